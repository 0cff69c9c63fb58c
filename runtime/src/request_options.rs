//! What an operation's model traits change about its request, beyond the body: the host prefix
//! (`smithy.api#endpoint` with `@hostLabel` members) and gzip compression
//! (`smithy.api#requestCompression`). Generated code builds a [`RequestOptions`] per call and
//! passes it to [`ServiceClient::invoke_with`](crate::ServiceClient::invoke_with).

use crate::error::BuildError;

/// Per-call request changes an operation's model asks for. The default changes nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    host_prefix: Option<String>,
    compress: bool,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts `prefix` (already expanded and checked, see [`host_prefix`]) before the resolved
    /// endpoint's host, unless the config disables host prefixes.
    pub fn with_host_prefix(mut self, prefix: String) -> Self {
        self.host_prefix = Some(prefix);
        self
    }

    /// Gzip-compresses the body when it is at least the configured minimum size, unless the
    /// config disables request compression (needs the `request-compression` feature; without
    /// it, bodies are sent as they are).
    pub fn with_request_compression(mut self) -> Self {
        self.compress = true;
        self
    }

    /// The host prefix, if any.
    pub fn host_prefix(&self) -> Option<&str> {
        self.host_prefix.as_deref()
    }

    /// Whether the operation asks for compressed request bodies.
    pub fn request_compression(&self) -> bool {
        self.compress
    }
}

/// One piece of a `smithy.api#endpoint` host prefix template such as `foo.{Label}.`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostPrefixPart<'a> {
    /// Text of the template, such as `foo.` (checked by the generator).
    Literal(&'static str),
    /// A `{Label}`: the input member's wire name and its value, if set.
    Label(&'static str, Option<&'a str>),
}

/// Expands a host prefix template with the input's `@hostLabel` values, checking each value as
/// a host label (1 to 63 ASCII letters, digits or hyphens, not starting with a hyphen) and the
/// whole prefix as the start of a host name. `shape` is the input's name, for the error, which
/// names the member. Nothing is sent when this fails.
pub fn host_prefix(
    shape: &'static str,
    parts: &[HostPrefixPart<'_>],
) -> Result<String, BuildError> {
    let mut prefix = String::new();
    for part in parts {
        match *part {
            HostPrefixPart::Literal(text) => prefix.push_str(text),
            HostPrefixPart::Label(member, value) => {
                let value = value.ok_or_else(|| BuildError::missing(shape, member))?;
                if !is_host_label(value) {
                    return Err(BuildError::invalid(
                        shape,
                        member,
                        format!(
                            "{:?} is not a valid host label (1 to 63 ASCII letters, digits or \
                             hyphens, not starting with a hyphen); it goes into the request's \
                             host name",
                            crate::redact::shorten(value, 80)
                        ),
                    ));
                }
                prefix.push_str(value);
            }
        }
    }
    // The last piece joins the endpoint host's first label (`data-` + `api.example.com`).
    let (labels, joined) = prefix.rsplit_once('.').unwrap_or(("", &prefix));
    let valid = (labels.is_empty() || labels.split('.').all(is_host_label))
        && joined.len() <= 62
        && joined
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !(labels.is_empty() && joined.starts_with('-'));
    if !valid {
        let member = parts
            .iter()
            .find_map(|p| match p {
                HostPrefixPart::Label(member, _) => Some(*member),
                HostPrefixPart::Literal(_) => None,
            })
            .unwrap_or("(host prefix)");
        return Err(BuildError::invalid(
            shape,
            member,
            format!("the host prefix {prefix:?} is not the start of a valid host name"),
        ));
    }
    Ok(prefix)
}

/// One DNS label as the AWS SDKs check host labels: 1 to 63 ASCII letters, digits or hyphens,
/// not starting with a hyphen.
fn is_host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use HostPrefixPart::{Label, Literal};

    #[test]
    fn a_template_is_filled_with_its_labels() {
        let parts = [Literal("foo."), Label("label", Some("bar")), Literal(".")];
        assert_eq!(host_prefix("GetInput", &parts).unwrap(), "foo.bar.");
        assert_eq!(
            host_prefix("GetInput", &[Literal("data-")]).unwrap(),
            "data-"
        );
        assert_eq!(
            host_prefix(
                "GetInput",
                &[Label("id", Some("123456789012")), Literal(".")]
            )
            .unwrap(),
            "123456789012."
        );
    }

    #[test]
    fn a_missing_or_invalid_label_names_the_member() {
        let missing = host_prefix("GetInput", &[Label("label", None), Literal(".")]).unwrap_err();
        assert!(missing.is_missing());
        assert_eq!(missing.member(), "label");
        for bad in ["", "-bar", "a.b", "a_b", "a b", "ü", &"a".repeat(64)] {
            let error =
                host_prefix("GetInput", &[Label("label", Some(bad)), Literal(".")]).unwrap_err();
            assert_eq!(error.member(), "label", "{bad:?}");
            assert!(
                error.to_string().contains("not a valid host label"),
                "{error}"
            );
        }
        assert!(host_prefix(
            "GetInput",
            &[Label("label", Some(&"a".repeat(63))), Literal(".")]
        )
        .is_ok());
        assert!(host_prefix("GetInput", &[Label("label", Some("a-")), Literal(".")]).is_ok());
    }

    #[test]
    fn the_whole_prefix_must_start_a_host_name() {
        // A label joined to the host's first label may not make it longer than 63 characters.
        let long = "a".repeat(63);
        let error = host_prefix("GetInput", &[Label("label", Some(&long))]).unwrap_err();
        assert!(error
            .to_string()
            .contains("not the start of a valid host name"));
    }

    /// The client end to end through an HTTP client that records what it is given.
    mod client {
        use super::super::*;
        use crate::http_client::{HttpClient, HttpFuture, HttpRequest};
        use crate::{Config, ConfigBuilder, Credentials, ServiceClient, ServiceMeta};
        use std::sync::{Arc, Mutex};
        use std::time::{Duration, UNIX_EPOCH};
        use HostPrefixPart::{Label, Literal};

        static SVC: ServiceMeta = ServiceMeta {
            service_name: "Svc_20240101",
            signing_name: "svc",
            endpoint_prefix: "svc",
            env_service_id: "SVC",
            json_version: "1.0",
            endpoint_rules: None,
        };

        #[derive(Clone, Debug, Default)]
        struct Capture(Arc<Mutex<Vec<HttpRequest>>>);

        impl HttpClient for Capture {
            fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
                self.0.lock().unwrap().push(request);
                Box::pin(async { Ok(http::Response::new(bytes::Bytes::from_static(b"{}"))) })
            }
        }

        fn builder(capture: &Capture) -> ConfigBuilder {
            Config::builder()
                .region("us-west-2")
                .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
                .endpoint_url("http://svc.example.com:8080")
                .time_source(|| UNIX_EPOCH + Duration::from_secs(1_700_000_000))
                .http_client(capture.clone())
        }

        async fn send(config: ConfigBuilder, body: &[u8], options: &RequestOptions) -> HttpRequest {
            let capture = Capture::default();
            let client =
                ServiceClient::new(config.http_client(capture.clone()).build(), &SVC).unwrap();
            client
                .invoke_with("Get", body.to_vec(), options)
                .await
                .unwrap();
            let sent = capture.0.lock().unwrap().pop().unwrap();
            sent
        }

        /// The signature aws-sigv4's general signer gives the request as received.
        fn expected_authorization(request: &HttpRequest) -> String {
            use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};
            let header = |name: &str| request.headers()[name].to_str().unwrap();
            let headers = [
                ("content-type", header("content-type")),
                ("host", header("host")),
                ("x-amz-target", header("x-amz-target")),
            ];
            let uri = request.uri().to_string();
            let signable = SignableRequest::new(
                "POST",
                &uri,
                headers.into_iter(),
                SignableBody::Bytes(request.body()),
            )
            .unwrap();
            let identity =
                aws_credential_types::Credentials::new("AKID", "SECRET", None, None, "t").into();
            let params = aws_sigv4::sign::v4::SigningParams::builder()
                .identity(&identity)
                .region("us-west-2")
                .name("svc")
                .time(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
                .settings(SigningSettings::default())
                .build()
                .unwrap()
                .into();
            let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
                .unwrap()
                .into_parts();
            let authorization = instructions
                .headers()
                .find(|(name, _)| *name == "authorization")
                .map(|(_, value)| value.to_owned());
            authorization.unwrap()
        }

        #[tokio::test]
        async fn a_host_prefix_goes_before_the_host_and_is_signed() {
            let prefix = host_prefix(
                "GetInput",
                &[Literal("foo."), Label("label", Some("bar")), Literal(".")],
            )
            .unwrap();
            let options = RequestOptions::new().with_host_prefix(prefix);
            let capture = Capture::default();
            let sent = send(builder(&capture), b"{}", &options).await;
            assert_eq!(
                sent.uri().to_string(),
                "http://foo.bar.svc.example.com:8080/"
            );
            assert_eq!(sent.headers()["host"], "foo.bar.svc.example.com:8080");
            assert_eq!(
                sent.headers()["authorization"].to_str().unwrap(),
                expected_authorization(&sent)
            );

            // Turned off: the bare host, as without a prefix.
            let off = send(builder(&capture).disable_host_prefix(true), b"{}", &options).await;
            assert_eq!(off.uri().to_string(), "http://svc.example.com:8080/");
            assert_eq!(off.headers()["host"], "svc.example.com:8080");
        }

        #[cfg(feature = "request-compression")]
        #[tokio::test]
        async fn a_big_body_is_gzip_and_its_signature_covers_the_compressed_bytes() {
            let capture = Capture::default();
            let body = format!(r#"{{"data":"{}"}}"#, "x".repeat(20_000));
            let options = RequestOptions::new().with_request_compression();
            let sent = send(builder(&capture), body.as_bytes(), &options).await;
            assert_eq!(sent.headers()["content-encoding"], "gzip");
            assert_eq!(
                sent.headers()["content-length"].to_str().unwrap(),
                sent.body().len().to_string()
            );
            assert!(sent.body().len() < 1_000, "{} bytes", sent.body().len());
            assert_eq!(
                crate::compression::gunzip(sent.body()).unwrap(),
                body.as_bytes()
            );
            assert_eq!(
                sent.headers()["authorization"].to_str().unwrap(),
                expected_authorization(&sent)
            );

            // Small bodies, and everything when turned off, go as they are.
            let small = send(builder(&capture), b"{}", &options).await;
            assert!(small.headers().get("content-encoding").is_none());
            assert_eq!(&small.body()[..], b"{}");
            let off = builder(&capture).disable_request_compression(true);
            let off = send(off, body.as_bytes(), &options).await;
            assert!(off.headers().get("content-encoding").is_none());
            assert_eq!(&off.body()[..], body.as_bytes());
        }

        #[cfg(feature = "request-compression")]
        #[tokio::test]
        async fn mock_matchers_and_recorded_inputs_see_the_json_under_gzip() {
            use serde_json::{json, Value};
            let mock = crate::mock::MockHttpClient::new();
            let data = "y".repeat(20_000);
            let expected = data.clone();
            let rule = mock
                .rule::<Value, Value>("Get")
                .match_input(move |input| input["data"] == expected.as_str())
                .then_output(json!({"ok": true}));
            let client = ServiceClient::new(
                builder(&Capture::default())
                    .http_client(mock.clone())
                    .build(),
                &SVC,
            )
            .unwrap();
            let body = json!({ "data": data }).to_string().into_bytes();
            let options = RequestOptions::new().with_request_compression();
            client.invoke_with("Get", body, &options).await.unwrap();
            assert_eq!(rule.calls(), 1);
            let recorded = &mock.requests()[0];
            assert_eq!(recorded.header("content-encoding"), Some("gzip"));
            assert_eq!(recorded.input::<Value>().unwrap()["data"], data.as_str());
        }

        #[test]
        fn a_minimum_compression_size_over_10_mib_is_a_config_error() {
            let capture = Capture::default();
            let config = builder(&capture)
                .request_min_compression_size_bytes(10_485_761)
                .build();
            let error = ServiceClient::new(config, &SVC).unwrap_err();
            assert!(
                error
                    .to_string()
                    .contains("request_min_compression_size_bytes"),
                "{error}"
            );
            let ok = builder(&capture)
                .request_min_compression_size_bytes(10_485_760)
                .build();
            assert!(ServiceClient::new(ok, &SVC).is_ok());
        }
    }
}
