//! The runtime a blocking client owns: a current-thread tokio runtime that drives one call at a
//! time per calling thread, so a CLI or a build script can call AWS without async code.

use crate::error::{BlockingError, ConfigError, SdkError};
use std::fmt;
use std::future::Future;

/// A tokio runtime owned by a blocking client; calls block the calling thread on it.
///
/// Shared by clones of the client (behind an `Arc`). Several threads may call at once: tokio's
/// current-thread runtime lets each `block_on` drive its own call.
pub struct BlockingRuntime {
    // `Option` so that `Drop` can take it out and shut it down without blocking.
    runtime: Option<tokio::runtime::Runtime>,
    client: &'static str,
}

impl BlockingRuntime {
    /// Starts the runtime. `client` names the blocking client in errors, such as
    /// `aws_thin_ecr::blocking::Client`.
    pub fn new(client: &'static str) -> Result<Self, ConfigError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ConfigError::AsyncRuntime {
                reason: e.to_string(),
            })?;
        Ok(Self {
            runtime: Some(runtime),
            client,
        })
    }

    /// Runs `call` to completion on this runtime, blocking the current thread.
    ///
    /// Inside an async runtime (where blocking would stall its tasks, and tokio would panic)
    /// this sends nothing and returns [`SdkError::Blocking`].
    pub fn block_on<T, E>(
        &self,
        call: impl Future<Output = Result<T, SdkError<E>>>,
    ) -> Result<T, SdkError<E>> {
        let inside_async = tokio::runtime::Handle::try_current().is_ok();
        match &self.runtime {
            Some(runtime) if !inside_async => runtime.block_on(call),
            _ => Err(SdkError::Blocking(BlockingError::inside_async_runtime(
                self.client,
            ))),
        }
    }
}

impl Drop for BlockingRuntime {
    // Dropping a runtime blocks until its tasks end, which tokio refuses (with a panic) inside
    // another runtime: a blocking client dropped in async code shuts down in the background.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            }
        }
    }
}

impl fmt::Debug for BlockingRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingRuntime")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceErrorResponse;

    #[test]
    fn blocks_outside_and_refuses_inside_an_async_runtime() {
        let blocking = BlockingRuntime::new("test::Client").unwrap();
        let answer: Result<u8, SdkError<ServiceErrorResponse>> = blocking.block_on(async {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            Ok(7)
        });
        assert_eq!(answer.unwrap(), 7);

        let outer = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let error = outer
            .block_on(async {
                blocking.block_on(async { Ok::<u8, SdkError<ServiceErrorResponse>>(7) })
            })
            .unwrap_err();
        assert!(matches!(error, SdkError::Blocking(_)));
        assert!(error
            .to_string()
            .starts_with("test::Client was called from inside an async runtime"));
        // Dropped inside the other runtime: no panic.
        outer.block_on(async move { drop(blocking) });
    }
}
