//! Host names of the regional services the providers call (STS, the SSO portal).
//!
//! Both services' endpoint rules come down to `{prefix}[-fips].{region}.{suffix}`, the suffix
//! being the region's partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`, ...) or, for
//! dual-stack, its dual-stack suffix (`api.aws`, ...); the partition data is the runtime's own.

use crate::endpoint_rules::Partitions;

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
