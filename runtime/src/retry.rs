//! Retries: which failures are retried, and how long to wait in between.

use crate::error::{SdkError, ServiceErrorResponse};
use std::time::Duration;

/// Error codes that mean "slow down": retried with backoff.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
];

/// Error codes of failures that are likely to go away on their own.
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// HTTP statuses that are retried whatever the error code.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// How failed attempts are retried ("standard" mode of the AWS SDKs, without the retry quota).
///
/// An attempt is retried when it failed with a connection error (refused, reset, closed early),
/// a connect or per-attempt timeout, HTTP 500, 502, 503 or 504, HTTP 429, a throttling error code
/// (`ThrottlingException`, `TooManyRequestsException`, `RequestLimitExceeded`, ...) or a
/// transient one (`RequestTimeout`, `RequestTimeoutException`). Other service errors (say
/// `RepositoryNotFoundException`, HTTP 400) are returned at once. Before retry *n* (1, 2, ...)
/// the client sleeps a random time between zero and `min(max_backoff, initial_backoff * 2^(n-1))`
/// ("full jitter"), so many clients throttled together do not retry in lockstep.
///
/// Defaults: 3 attempts in all, initial backoff 100 ms, max backoff 20 s.
///
/// # Retries and operations that are not idempotent
///
/// A retry resends the same request. For an operation that changes state and is not idempotent,
/// such as ECR's `DeleteRepository`, the first attempt may have taken effect even though its
/// answer never arrived intact (a 500 from a load balancer after the deletion, a connection reset,
/// a timeout). The retry then meets the new state: `DeleteRepository` answers
/// `RepositoryNotFoundException` although *this* call deleted the repository. The client does
/// not hide this: it returns what the last attempt received. Callers that need certainty can
/// either turn retries off ([`RetryConfig::disabled`]) and decide themselves, or treat
/// `RepositoryNotFoundException` after a retried delete as success, knowing that another client
/// may have deleted it instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// Standard retries: 3 attempts, backoff from 100 ms up to 20 s with full jitter.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// One attempt only: every failure is returned as it is.
    pub fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// Sets the number of attempts in all, the first included (1 turns retries off; 0 counts
    /// as 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the upper bound of the first backoff; it doubles for each further retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the largest upper bound a backoff can reach.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The number of attempts in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the first backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// How long to sleep before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Whether the failure of one attempt is worth another.
pub(crate) fn is_retryable(error: &SdkError<ServiceErrorResponse>) -> bool {
    match error {
        SdkError::Transport(_) => true,
        SdkError::Timeout(_) => true,
        SdkError::Service(response) => {
            let status = response.meta.status().unwrap_or(0);
            TRANSIENT_STATUSES.contains(&status)
                || status == 429
                || response.meta.code().is_some_and(is_retryable_code)
        }
        _ => false,
    }
}

fn is_retryable_code(code: &str) -> bool {
    THROTTLING_CODES.contains(&code) || TRANSIENT_CODES.contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{BuildError, ErrorMetadata, TimeoutError, TimeoutKind};

    fn service(code: Option<&str>, status: u16) -> SdkError<ServiceErrorResponse> {
        SdkError::Service(ServiceErrorResponse {
            meta: ErrorMetadata::new(code.map(Into::into), None, Some(status), None),
            body: bytes::Bytes::new(),
        })
    }

    #[test]
    fn classifies_failures() {
        for status in [500, 502, 503, 504, 429] {
            assert!(is_retryable(&service(None, status)), "{status}");
        }
        for code in [
            "ThrottlingException",
            "SlowDown",
            "RequestTimeout",
            "TooManyRequestsException",
        ] {
            assert!(is_retryable(&service(Some(code), 400)), "{code}");
        }
        assert!(!is_retryable(&service(
            Some("RepositoryNotFoundException"),
            400
        )));
        assert!(!is_retryable(&service(None, 403)));
        assert!(!is_retryable(&service(None, 501)));
        assert!(is_retryable(&SdkError::Timeout(TimeoutError::new(
            TimeoutKind::Attempt,
            Duration::from_secs(1)
        ))));
        assert!(!is_retryable(&SdkError::Construction(BuildError::missing(
            "A", "b"
        ))));
    }

    #[test]
    fn backoff_grows_exponentially_within_the_cap() {
        let config = RetryConfig::standard()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(config.backoff(1) <= Duration::from_millis(100));
            assert!(config.backoff(2) <= Duration::from_millis(200));
            assert!(config.backoff(3) <= Duration::from_millis(350));
            assert!(config.backoff(40) <= Duration::from_millis(350));
        }
        // Jitter: not always the same value.
        let samples: Vec<_> = (0..20).map(|_| config.backoff(3)).collect();
        assert!(samples.iter().any(|s| *s != samples[0]));
    }

    #[test]
    fn max_attempts_is_at_least_one() {
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
        assert_eq!(
            RetryConfig::standard().with_max_attempts(0).max_attempts(),
            1
        );
        assert_eq!(RetryConfig::default().max_attempts(), 3);
    }
}
