//! The EC2 instance metadata service (IMDSv2): where it is, and credentials and region from it.
//!
//! The endpoint is, first to last: an explicit endpoint, `AWS_EC2_METADATA_SERVICE_ENDPOINT`,
//! the profile's `ec2_metadata_service_endpoint`; else the address for the endpoint mode
//! (explicit, `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`, the profile's
//! `ec2_metadata_service_endpoint_mode`; `IPv4` (default, `http://169.254.169.254`) or `IPv6`
//! (`http://[fd00:ec2::254]`), in any case).

use http::uri::{Scheme, Uri};
use std::fmt;

pub(crate) const ENDPOINT_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
pub(crate) const MODE_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
pub(crate) const ENDPOINT_KEY: &str = "ec2_metadata_service_endpoint";
pub(crate) const MODE_KEY: &str = "ec2_metadata_service_endpoint_mode";

const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";

/// Which address family's default IMDS address to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EndpointMode {
    IPv4,
    IPv6,
}

impl EndpointMode {
    fn parse(value: &str, from: &str) -> Result<Self, EndpointError> {
        if value.eq_ignore_ascii_case("ipv4") {
            Ok(EndpointMode::IPv4)
        } else if value.eq_ignore_ascii_case("ipv6") {
            Ok(EndpointMode::IPv6)
        } else {
            Err(EndpointError::InvalidMode {
                value: value.to_owned(),
                from: from.to_owned(),
            })
        }
    }
}

/// The inputs of the endpoint choice, each `None` when not set.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EndpointInputs<'a> {
    pub(crate) explicit_endpoint: Option<&'a str>,
    pub(crate) explicit_mode: Option<EndpointMode>,
    pub(crate) env_endpoint: Option<&'a str>,
    pub(crate) env_mode: Option<&'a str>,
    pub(crate) profile_endpoint: Option<&'a str>,
    pub(crate) profile_mode: Option<&'a str>,
}

/// The IMDS endpoint settings cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EndpointError {
    InvalidMode {
        value: String,
        from: String,
    },
    InvalidEndpoint {
        value: String,
        from: String,
        reason: String,
    },
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::InvalidMode { value, from } => write!(
                f,
                "{from}: `{value}` is not a valid endpoint mode (expected IPv4 or IPv6)"
            ),
            EndpointError::InvalidEndpoint {
                value,
                from,
                reason,
            } => write!(
                f,
                "{from}: `{value}` is not a valid IMDS endpoint: {reason}"
            ),
        }
    }
}

impl std::error::Error for EndpointError {}

/// The IMDS base URI (`scheme://host[:port]`, without a trailing slash) for `inputs`.
pub(crate) fn endpoint(inputs: &EndpointInputs<'_>) -> Result<Uri, EndpointError> {
    let explicit = present(inputs.explicit_endpoint).map(|v| (v, "the configured IMDS endpoint"));
    let env = present(inputs.env_endpoint).map(|v| (v, ENDPOINT_VAR));
    let profile = present(inputs.profile_endpoint).map(|v| (v, ENDPOINT_KEY));
    if let Some((value, from)) = explicit.or(env).or(profile) {
        return parse_endpoint(value, from);
    }
    let mode = match inputs.explicit_mode {
        Some(mode) => mode,
        None => match (present(inputs.env_mode), present(inputs.profile_mode)) {
            (Some(env), _) => EndpointMode::parse(env, MODE_VAR)?,
            (None, Some(profile)) => EndpointMode::parse(profile, MODE_KEY)?,
            (None, None) => EndpointMode::IPv4,
        },
    };
    let text = match mode {
        EndpointMode::IPv4 => IPV4_ENDPOINT,
        EndpointMode::IPv6 => IPV6_ENDPOINT,
    };
    parse_endpoint(text, "the default IMDS endpoint")
}

fn parse_endpoint(value: &str, from: &str) -> Result<Uri, EndpointError> {
    let invalid = |reason: String| EndpointError::InvalidEndpoint {
        value: value.to_owned(),
        from: from.to_owned(),
        reason,
    };
    let uri = value
        .trim_end_matches('/')
        .parse::<Uri>()
        .map_err(|e| invalid(e.to_string()))?;
    if uri.scheme() != Some(&Scheme::HTTP) && uri.scheme() != Some(&Scheme::HTTPS) {
        return Err(invalid("it must start with http:// or https://".to_owned()));
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid("it has no host".to_owned()));
    }
    Ok(uri)
}

/// `base` joined with `path` (which starts with `/`), keeping any path prefix of `base`.
pub(crate) fn join(base: &Uri, path: &str) -> String {
    let base = base.to_string();
    format!("{}{path}", base.trim_end_matches('/'))
}

/// A setting's value, `None` when unset or blank.
fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_url(inputs: EndpointInputs<'_>) -> Result<String, EndpointError> {
        endpoint(&inputs).map(|base| join(&base, "/latest/api/token"))
    }

    #[test]
    fn precedence_of_endpoint_settings() {
        let all = EndpointInputs {
            explicit_endpoint: Some("http://explicit"),
            explicit_mode: Some(EndpointMode::IPv6),
            env_endpoint: Some("http://env:1"),
            env_mode: Some("IPv6"),
            profile_endpoint: Some("http://profile:2/"),
            profile_mode: Some("IPv6"),
        };
        assert_eq!(token_url(all).unwrap(), "http://explicit/latest/api/token");
        let no_explicit = EndpointInputs {
            explicit_endpoint: None,
            ..all
        };
        assert_eq!(
            token_url(no_explicit).unwrap(),
            "http://env:1/latest/api/token"
        );
        let profile_only = EndpointInputs {
            env_endpoint: Some(" "),
            ..no_explicit
        };
        assert_eq!(
            token_url(profile_only).unwrap(),
            "http://profile:2/latest/api/token"
        );
        assert_eq!(
            token_url(EndpointInputs::default()).unwrap(),
            "http://169.254.169.254/latest/api/token"
        );
        let modes = EndpointInputs {
            env_mode: Some("ipv4"),
            profile_mode: Some("nonsense"),
            ..EndpointInputs::default()
        };
        assert_eq!(
            token_url(modes).unwrap(),
            "http://169.254.169.254/latest/api/token"
        );
        let profile_mode = EndpointInputs {
            profile_mode: Some("IPV6"),
            ..EndpointInputs::default()
        };
        assert_eq!(
            token_url(profile_mode).unwrap(),
            "http://[fd00:ec2::254]/latest/api/token"
        );
    }

    #[test]
    fn bad_settings_are_errors_naming_their_source() {
        let error = token_url(EndpointInputs {
            profile_mode: Some("IPv7"),
            ..EndpointInputs::default()
        })
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "ec2_metadata_service_endpoint_mode: `IPv7` is not a valid endpoint mode \
             (expected IPv4 or IPv6)"
        );
        for bad in ["not a uri", "169.254.169.254", "ftp://x", "http://"] {
            let error = token_url(EndpointInputs {
                env_endpoint: Some(bad),
                ..EndpointInputs::default()
            })
            .unwrap_err();
            assert!(
                error.to_string().starts_with(ENDPOINT_VAR),
                "{bad}: {error}"
            );
        }
    }
}
