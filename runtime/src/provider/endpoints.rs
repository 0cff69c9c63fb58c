//! Where the providers' regional services (STS, the SSO portal) are.
//!
//! Unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
//! `ignore_configured_endpoint_urls`) is true, a configured URL wins, as for any AWS client:
//! `AWS_ENDPOINT_URL_<SERVICE>`, the service's `endpoint_url` in the profile's `services`
//! section, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`. Otherwise both services' endpoint
//! rules come down to `https://{prefix}[-fips].{region}.{suffix}`, the suffix being the region's
//! partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`, ...) or, with dual-stack, its
//! dual-stack suffix (`api.aws`, ...); FIPS and dual-stack follow `AWS_USE_FIPS_ENDPOINT` /
//! `AWS_USE_DUALSTACK_ENDPOINT`, else the profile's `use_fips_endpoint` /
//! `use_dualstack_endpoint`. The partition data is the runtime's own.

use super::support::env_var;
use super::{SourceContext, SourceError};
use crate::endpoint_rules::Partitions;
use crate::profile::Section;

/// A service's base URL (no trailing slash) and the `Host` header for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ServiceEndpoint {
    pub(crate) base: String,
    pub(crate) host: String,
}

/// Which service: its `AWS_ENDPOINT_URL_<ID>` suffix, its key in a `services` section, and the
/// first label of its regional host.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Service {
    pub(crate) env_id: &'static str,
    pub(crate) services_key: &'static str,
    pub(crate) host_prefix: &'static str,
}

pub(crate) const STS: Service = Service {
    env_id: "STS",
    services_key: "sts",
    host_prefix: "sts",
};

pub(crate) const SSO: Service = Service {
    env_id: "SSO",
    services_key: "sso",
    host_prefix: "portal.sso",
};

/// The endpoint of `service` in `region`.
pub(crate) fn resolve(
    ctx: &SourceContext,
    service: Service,
    region: &str,
) -> Result<ServiceEndpoint, SourceError> {
    let set = ctx.profiles().ok();
    let profile = set.and_then(|s| s.selected());
    let services = match (set, profile.and_then(|p| p.get("services"))) {
        (Some(set), Some(name)) => set.services(name),
        _ => None,
    };
    let base = match configured(ctx, service, profile, services)? {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let fips = flag(ctx, profile, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?;
            let dual = flag(
                ctx,
                profile,
                "AWS_USE_DUALSTACK_ENDPOINT",
                "use_dualstack_endpoint",
            )?;
            format!(
                "https://{}",
                regional_host(service.host_prefix, region, fips, dual)
            )
        }
    };
    let uri: http::Uri = base.parse().map_err(|e| {
        SourceError::failed(format!(
            "the {} endpoint `{base}` is not a valid URL: {e}",
            service.env_id
        ))
    })?;
    let host = match (uri.scheme_str(), uri.authority()) {
        (Some("http" | "https"), Some(authority)) => authority.as_str().to_owned(),
        _ => {
            return Err(SourceError::failed(format!(
                "the {} endpoint `{base}` must be an http:// or https:// URL with a host",
                service.env_id
            )))
        }
    };
    Ok(ServiceEndpoint { base, host })
}

fn configured(
    ctx: &SourceContext,
    service: Service,
    profile: Option<&Section>,
    services: Option<&Section>,
) -> Result<Option<String>, SourceError> {
    let ignore = match env_var(ctx, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")? {
        Some(value) => is_true(&value),
        None => profile
            .and_then(|p| p.get("ignore_configured_endpoint_urls"))
            .is_some_and(is_true),
    };
    if ignore {
        return Ok(None);
    }
    if let Some(url) = env_var(ctx, &format!("AWS_ENDPOINT_URL_{}", service.env_id))? {
        return Ok(Some(url));
    }
    if let Some(url) = services.and_then(|s| s.sub_property(service.services_key, "endpoint_url")) {
        return Ok(Some(url.to_owned()));
    }
    if let Some(url) = env_var(ctx, "AWS_ENDPOINT_URL")? {
        return Ok(Some(url));
    }
    Ok(profile
        .and_then(|p| p.get("endpoint_url"))
        .map(str::to_owned))
}

fn is_true(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("true")
}

/// A true/false setting from the environment, else the profile; default false. (The config
/// loader has already rejected values other than true and false.)
fn flag(
    ctx: &SourceContext,
    profile: Option<&Section>,
    var: &str,
    key: &str,
) -> Result<bool, SourceError> {
    Ok(match env_var(ctx, var)? {
        Some(value) => is_true(&value),
        None => profile.and_then(|p| p.get(key)).is_some_and(is_true),
    })
}

/// `prefix[-fips].region.suffix`.
pub(crate) fn regional_host(prefix: &str, region: &str, fips: bool, dual_stack: bool) -> String {
    let suffix_key = if dual_stack {
        "dualStackDnsSuffix"
    } else {
        "dnsSuffix"
    };
    let partition = Partitions::builtin().resolve(region);
    let suffix = partition
        .as_ref()
        .and_then(|p| p.as_object())
        .and_then(|outputs| outputs.get(suffix_key))
        .and_then(|v| v.as_str())
        .unwrap_or(if dual_stack {
            "api.aws"
        } else {
            "amazonaws.com"
        });
    let fips = if fips { "-fips" } else { "" };
    format!("{prefix}{fips}.{region}.{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_follow_the_partition() {
        assert_eq!(
            regional_host("sts", "eu-west-1", false, false),
            "sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            regional_host("sts", "cn-north-1", false, false),
            "sts.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            regional_host("sts", "us-east-1", true, false),
            "sts-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(
            regional_host("portal.sso", "us-east-2", true, true),
            "portal.sso-fips.us-east-2.api.aws"
        );
    }
}
