//! The region chain: explicit, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`,
//! then the [`RegionSource`]s of [`later_sources`] (the instance metadata service).
//!
//! The first three are read by the loader directly; the later sources may need the network, so
//! they are asked only when nothing before them gave a region.

use crate::config::Region;
use crate::error::ConfigError;
use crate::os::{setting, Env};
use crate::provider::SourceContext;
use std::future::Future;

pub use crate::provider::{RegionFuture, RegionSource};

/// `AWS_REGION`, else `AWS_DEFAULT_REGION`.
pub(crate) fn from_env(env: &Env) -> Result<Option<Region>, ConfigError> {
    Ok(match setting(env, "AWS_REGION")? {
        Some(region) => Some(Region::from(region)),
        None => setting(env, "AWS_DEFAULT_REGION")?.map(Region::from),
    })
}

/// The sources asked after the environment and the profile, in order: IMDS.
pub fn later_sources() -> Vec<Box<dyn RegionSource>> {
    vec![Box::new(crate::provider::ImdsRegionSource)]
}

/// Asks [`later_sources`] in order; on failure, the text to append to "looked at ...".
pub(crate) fn from_later_sources(ctx: SourceContext) -> Result<Region, String> {
    let sources = later_sources();
    if sources.is_empty() {
        return Err(String::new());
    }
    let outcome = block_on(async move {
        let mut tried = String::new();
        for source in &sources {
            match source.load(&ctx).await {
                Ok(region) => {
                    tracing::info!(
                        source = source.name(),
                        region = region.as_str(),
                        "loaded the AWS region"
                    );
                    return Ok(region);
                }
                Err(error) => {
                    tried.push_str(&format!(", {} ({error})", source.name()));
                    if !error.is_skipped() {
                        break;
                    }
                }
            }
        }
        Err(tried)
    });
    outcome.unwrap_or_else(|e| Err(format!(", the later region sources ({e})")))
}

/// Runs `future` to completion from synchronous code, inside or outside a tokio runtime: on a
/// thread of its own with a runtime of its own (a runtime cannot block on itself).
fn block_on<T: Send + 'static>(
    future: impl Future<Output = T> + Send + 'static,
) -> Result<T, String> {
    let run = move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|runtime| runtime.block_on(future))
    };
    match std::thread::spawn(run).join() {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("cannot start a tokio runtime: {e}")),
        Err(_) => Err("the thread asking them panicked".to_owned()),
    }
}
