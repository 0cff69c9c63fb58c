//! Where requests go: the endpoint URL, resolved once per client.
//!
//! The custom endpoint is [`Config::endpoint_url_for`]: the explicit URL, else what the loader
//! read from `AWS_ENDPOINT_URL_<SERVICE>`, the profile's `services` section, `AWS_ENDPOINT_URL`
//! or the profile's `endpoint_url`.
//!
//! With endpoint rules in the [`ServiceMeta`] (the model's `smithy.rules#endpointRuleSet`), the
//! rules decide, given the region, the FIPS and dual-stack settings and the custom endpoint;
//! their authSchemes may override the signing region and name, and their headers are sent with
//! every request. Without rules: the custom endpoint, else
//! `https://{endpoint_prefix}.{region}.amazonaws.com` (`.amazonaws.com.cn` for `cn-` regions),
//! and FIPS or dual-stack is an error.

use crate::config::{Config, Region};
use crate::endpoint_rules::{built_in, Params, RuleSet};
use crate::error::ConfigError;
use crate::service::ServiceMeta;
use http::header::{HeaderName, HeaderValue};
use http::uri::{Scheme, Uri};

/// A resolved endpoint.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    /// The request URI (`scheme://authority/`).
    pub(crate) uri: Uri,
    /// The `Host` header value: the authority as written, port included if given.
    pub(crate) host: String,
    /// True for https.
    pub(crate) is_https: bool,
    /// Headers the endpoint rules ask to send with every request (usually none).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The signing region the endpoint's sigv4 auth scheme asks for, if any.
    pub(crate) signing_region: Option<String>,
    /// The signing name the endpoint's sigv4 auth scheme asks for, if any.
    pub(crate) signing_name: Option<String>,
}

/// Resolves the endpoint of `service` for `config`, whose region is `region`.
pub(crate) fn resolve(
    config: &Config,
    service: &ServiceMeta,
    region: &Region,
) -> Result<Endpoint, ConfigError> {
    let custom = config
        .endpoint_url_for(service.env_service_id)
        .map(str::to_owned);
    match service.endpoint_rules {
        Some(rules) => from_rules(rules, config, region, custom),
        None if config.use_fips() || config.use_dual_stack() => {
            Err(ConfigError::EndpointResolution {
                message: format!(
                    "FIPS and dual-stack endpoints come from the service's endpoint rules, and \
                     the client for {} was generated without them",
                    service.service_name
                ),
            })
        }
        None => {
            parse(&custom.unwrap_or_else(|| default_url(service.endpoint_prefix, region.as_str())))
        }
    }
}

impl Config {
    /// The endpoint URL a client for `service` uses with this configuration (explicit,
    /// `AWS_ENDPOINT_URL_<SERVICE>`, the profile's `services` section, `AWS_ENDPOINT_URL`, the
    /// profile's `endpoint_url`, then the service's endpoint rules for the region, FIPS and
    /// dual-stack settings). An error rule's message comes back as
    /// [`ConfigError::EndpointResolution`].
    pub fn resolve_endpoint(&self, service: &ServiceMeta) -> Result<String, ConfigError> {
        let region = self.require_region()?;
        Ok(resolve(self, service, region)?.uri.to_string())
    }
}

/// Evaluates the service's endpoint rules for this configuration.
fn from_rules(
    rules: &str,
    config: &Config,
    region: &Region,
    custom: Option<String>,
) -> Result<Endpoint, ConfigError> {
    let rules = RuleSet::parse(rules).map_err(|e| ConfigError::EndpointResolution {
        message: format!("the service's endpoint rules cannot be used: {e}"),
    })?;
    let mut params = Params::new()
        .with_built_in(built_in::REGION, region.as_str())
        .with_built_in(built_in::USE_FIPS, config.use_fips())
        .with_built_in(built_in::USE_DUAL_STACK, config.use_dual_stack());
    if let Some(url) = custom {
        params = params.with_built_in(built_in::ENDPOINT, url);
    }
    let resolved = match config.partitions() {
        Some(partitions) => rules.resolve_with(&params, partitions),
        None => rules.resolve(&params),
    }
    .map_err(|e| ConfigError::EndpointResolution {
        message: e.to_string(),
    })?;

    let mut endpoint = parse(resolved.url())?;
    let schemes = resolved.auth_schemes();
    if !schemes.is_empty() {
        let sigv4 = schemes.iter().find(|s| s.name == "sigv4").ok_or_else(|| {
            let names: Vec<&str> = schemes.iter().map(|s| s.name.as_str()).collect();
            ConfigError::EndpointResolution {
                message: format!(
                    "the endpoint {} needs the auth scheme(s) {}; this client signs with sigv4 only",
                    resolved.url(),
                    names.join(", ")
                ),
            }
        })?;
        endpoint.signing_region = sigv4.signing_region.clone();
        endpoint.signing_name = sigv4.signing_name.clone();
    }
    for (name, values) in resolved.headers() {
        let invalid = || ConfigError::InvalidEndpoint {
            url: resolved.url().to_owned(),
            reason: format!("the endpoint rules give an invalid header `{name}`"),
        };
        let header = HeaderName::try_from(name.as_str()).map_err(|_| invalid())?;
        for value in values {
            let value = HeaderValue::try_from(value.as_str()).map_err(|_| invalid())?;
            endpoint.headers.push((header.clone(), value));
        }
    }
    Ok(endpoint)
}

/// The AWS endpoint of a service in a region.
pub(crate) fn default_url(endpoint_prefix: &str, region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{endpoint_prefix}.{region}.{suffix}")
}

/// Parses and checks an endpoint URL: http or https, a host, an optional path, no query.
pub(crate) fn parse(url: &str) -> Result<Endpoint, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidEndpoint {
        url: crate::redact::url(url).into_owned(),
        reason: reason.to_owned(),
    };
    let uri: Uri = url
        .trim()
        .parse()
        .map_err(|e: http::uri::InvalidUri| invalid(&format!("not a URL ({e})")))?;
    let is_https = match uri.scheme() {
        Some(s) if *s == Scheme::HTTPS => true,
        Some(s) if *s == Scheme::HTTP => false,
        Some(_) => return Err(invalid("the scheme must be http or https")),
        None => {
            return Err(invalid(
                "no scheme: expected an absolute URL such as https://host:port",
            ))
        }
    };
    let authority = uri
        .authority()
        .ok_or_else(|| invalid("the URL has no host"))?;
    if authority.as_str().contains('@') {
        return Err(invalid("user information in the URL is not supported"));
    }
    if authority.host().is_empty() {
        return Err(invalid("the URL has no host"));
    }
    if uri.query().is_some() {
        return Err(invalid(
            "a query is not supported: give scheme, host, port and optionally a path",
        ));
    }
    // A path prefixes the operation's path (`/`): `https://example.com/custom` sends to
    // `/custom/`, as proxies and emulators mounted under a path expect.
    let prefix = uri.path().trim_end_matches('/');
    if !prefix
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/".contains(&b))
    {
        return Err(invalid(
            "the path may hold only letters, digits, `-`, `.`, `_`, `~` and `/`",
        ));
    }
    let path = format!("{prefix}/");
    let host = authority.as_str().to_owned();
    let uri = Uri::builder()
        .scheme(if is_https {
            Scheme::HTTPS
        } else {
            Scheme::HTTP
        })
        .authority(authority.clone())
        .path_and_query(path)
        .build()
        .map_err(|e| invalid(&e.to_string()))?;
    Ok(Endpoint {
        uri,
        host,
        is_https,
        headers: Vec::new(),
        signing_region: None,
        signing_name: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_urls_follow_the_partition() {
        assert_eq!(
            default_url("api.ecr", "us-west-2"),
            "https://api.ecr.us-west-2.amazonaws.com"
        );
        assert_eq!(
            default_url("api.ecr", "cn-north-1"),
            "https://api.ecr.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            default_url("api.ecr", "cn-northwest-1"),
            "https://api.ecr.cn-northwest-1.amazonaws.com.cn"
        );
    }

    #[test]
    fn parses_endpoints() {
        let e = parse("http://127.0.0.1:5000").unwrap();
        assert_eq!(e.host, "127.0.0.1:5000");
        assert_eq!(e.uri.to_string(), "http://127.0.0.1:5000/");
        assert!(!e.is_https);
        let e = parse("https://api.ecr.us-west-2.amazonaws.com/").unwrap();
        assert_eq!(e.host, "api.ecr.us-west-2.amazonaws.com");
        assert!(e.is_https);
        let e = parse("http://[::1]:4566").unwrap();
        assert_eq!(e.host, "[::1]:4566");
    }

    #[test]
    fn a_path_prefixes_the_operation_path() {
        assert_eq!(
            parse("https://example.com/custom").unwrap().uri.to_string(),
            "https://example.com/custom/"
        );
        assert_eq!(
            parse("https://example.com/a/b/").unwrap().uri.path(),
            "/a/b/"
        );
        assert_eq!(parse("http://127.0.0.1:5000").unwrap().uri.path(), "/");
        assert_eq!(parse("http://127.0.0.1:5000/").unwrap().uri.path(), "/");
    }

    #[test]
    fn rejects_unusable_endpoints() {
        for (url, reason) in [
            ("localhost:5000", "scheme"),
            ("ftp://host", "http or https"),
            ("http://host/?q=1", "query"),
            ("http://host/a%20b", "the path may hold only"),
            ("http://user:pw@host", "user information"),
            ("http://user:pw@host/path", "<redacted>@host/path"),
            ("not a url", "not a URL"),
            ("", "not a URL"),
        ] {
            let error = parse(url).unwrap_err();
            let e = error.to_string();
            assert!(e.contains(reason), "{url:?}: {e}");
            assert!(!format!("{e} {error:?}").contains("pw@"), "{e} {error:?}");
        }
    }
}
