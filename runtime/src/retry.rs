//! Retries: which failures are retried, how long to wait in between, and the retry quota that
//! stops a client from multiplying its load during an outage (the "standard" retry mode of the
//! AWS SDKs).

use crate::error::{ErrorMetadata, SdkError, ServiceErrorResponse};
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
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
    "PriorRequestNotComplete",
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

/// How failed attempts are retried: the "standard" retry mode of the AWS SDKs.
///
/// An attempt is retried when it failed with a connection error (refused, reset, closed early
/// before a successful status arrived), a connect or per-attempt timeout, HTTP 500, 502, 503 or
/// 504, HTTP 429, a throttling error code (`Throttling`, `ThrottlingException`,
/// `ThrottledException`, `RequestThrottledException`, `TooManyRequestsException`,
/// `ProvisionedThroughputExceededException`, `TransactionInProgressException`,
/// `RequestLimitExceeded`, `BandwidthLimitExceeded`, `LimitExceededException`,
/// `RequestThrottled`, `SlowDown`, `PriorRequestNotComplete`, `EC2ThrottledException`) or a
/// transient one (`RequestTimeout`, `RequestTimeoutException`). Other service errors (say
/// `RepositoryNotFoundException`, HTTP 400) are returned at once. Before retry *n* (1, 2, ...)
/// the client sleeps a random time between zero and `min(max_backoff, initial_backoff * 2^(n-1))`
/// ("full jitter"), so many clients throttled together do not retry in lockstep.
///
/// # Retry quota
///
/// Each client (and its clones) holds a bucket of 500 retry tokens. A retry takes 5 tokens, or 10
/// after a timeout or connection failure; when the bucket cannot pay, the failure is returned
/// without a retry. A call that succeeds after retries puts its retry's tokens back; one that
/// succeeds at once adds 1 token (up to 500). So during an outage a client soon stops retrying,
/// instead of tripling its load, and recovers as calls succeed again.
///
/// Defaults: 3 attempts in all, initial backoff 100 ms, max backoff 20 s, retry quota on.
/// [`RetryMode::Adaptive`] is accepted (from `AWS_RETRY_MODE` or the profile's `retry_mode`) and
/// behaves as standard: there is no client-side rate limiter.
///
/// # Retries and operations that are not idempotent
///
/// A retry resends the same request. For an operation that changes state and is not idempotent,
/// such as ECR's `DeleteRepository`, the first attempt may have taken effect even though its
/// answer never arrived intact (a 500 from a load balancer after the deletion, a connection reset,
/// a timeout). The retry then meets the new state: `DeleteRepository` answers
/// `RepositoryNotFoundException` although *this* call deleted the repository. The client does
/// not hide this: it returns what the last attempt received. Once a successful (2xx) status has
/// arrived, though, a failure while reading the rest of the answer is never retried: the call
/// fails with a [`ResponseError`](crate::ResponseError) saying the operation may have succeeded.
/// Callers that need certainty can either turn retries off ([`RetryConfig::disabled`]) and
/// decide themselves, or treat `RepositoryNotFoundException` after a retried delete as success,
/// knowing that another client may have deleted it instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    quota: bool,
}

/// The retry mode, as `AWS_RETRY_MODE` and the profile's `retry_mode` name it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryMode {
    /// Backoff with jitter and a retry quota ([`RetryConfig`]).
    #[default]
    Standard,
    /// Accepted for compatibility with the AWS SDKs; behaves as [`RetryMode::Standard`] (no
    /// client-side rate limiter).
    Adaptive,
}

impl RetryMode {
    /// Parses `standard` or `adaptive` (any case; `legacy` is read as `standard`, as the other
    /// SDKs' legacy modes differ only in details this client does not have).
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "standard" | "legacy" => Some(RetryMode::Standard),
            "adaptive" => Some(RetryMode::Adaptive),
            _ => None,
        }
    }

    /// `standard` or `adaptive`.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }
}

impl fmt::Display for RetryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// Standard retries: 3 attempts, backoff from 100 ms up to 20 s with full jitter, retry
    /// quota on.
    pub fn standard() -> Self {
        Self {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
            quota: true,
        }
    }

    /// Sets the mode (which changes nothing but the reported mode: see [`RetryMode`]).
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// Turns the retry quota off (`false`): every retryable failure is retried up to the maximum
    /// number of attempts, however many calls are failing. On by default.
    pub fn with_retry_quota(mut self, enabled: bool) -> Self {
        self.quota = enabled;
        self
    }

    /// The mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// Whether the retry quota is on.
    pub fn retry_quota(&self) -> bool {
        self.quota
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

/// Tokens in a full retry bucket.
const QUOTA_CAPACITY: u32 = 500;
/// What a retry costs.
const RETRY_COST: u32 = 5;
/// What a retry after a timeout or a connection failure costs.
const TIMEOUT_RETRY_COST: u32 = 10;
/// What a call that succeeds at its first attempt gives back.
const SUCCESS_REFILL: u32 = 1;

/// The retry token bucket of one client, shared by its calls and clones.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    tokens: AtomicU32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self {
            tokens: AtomicU32::new(QUOTA_CAPACITY),
        }
    }
}

impl RetryQuota {
    /// Takes what a retry after `error` costs, and returns it; `None` if the bucket cannot pay.
    pub(crate) fn acquire(&self, error: &SdkError<ServiceErrorResponse>) -> Option<u32> {
        let cost = match error {
            SdkError::Timeout(_) | SdkError::Transport(_) => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                tokens.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// A call succeeded: puts back what its last retry took, or [`SUCCESS_REFILL`] if it needed
    /// none.
    pub(crate) fn succeeded(&self, retry_cost: Option<u32>) {
        let refill = retry_cost.unwrap_or(SUCCESS_REFILL);
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                (tokens < QUOTA_CAPACITY).then(|| (tokens + refill).min(QUOTA_CAPACITY))
            });
    }

    #[cfg(test)]
    fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
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

/// Whether the service refused the request because our clock is off (the AWS SDKs' list):
/// `RequestTimeTooSkewed`, `RequestExpired`, `RequestInTheFuture`; `InvalidSignatureException`
/// or `SignatureDoesNotMatch` saying the signature expired or is not yet current; `AuthFailure`
/// mentioning the time.
pub(crate) fn is_clock_skew_error(meta: &ErrorMetadata) -> bool {
    let message = meta.message().unwrap_or_default().to_ascii_lowercase();
    match meta.code().unwrap_or_default() {
        "RequestTimeTooSkewed" | "RequestExpired" | "RequestInTheFuture" => true,
        "InvalidSignatureException" | "SignatureDoesNotMatch" => {
            message.contains("expired") || message.contains("not yet current")
        }
        "AuthFailure" => message.contains("skew") || message.contains("time"),
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
    fn the_quota_drains_and_refills_by_the_spec() {
        let quota = RetryQuota::default();
        let throttled = service(Some("ThrottlingException"), 400);
        let timeout = SdkError::Timeout(TimeoutError::new(
            TimeoutKind::Attempt,
            Duration::from_secs(1),
        ));
        assert_eq!(quota.acquire(&throttled), Some(5));
        assert_eq!(quota.acquire(&timeout), Some(10));
        assert_eq!(quota.available(), 485);
        quota.succeeded(Some(10));
        assert_eq!(quota.available(), 495);
        // Drain: 99 more retries at 5 leave 0.
        for _ in 0..99 {
            assert!(quota.acquire(&throttled).is_some());
        }
        assert_eq!(quota.available(), 0);
        assert_eq!(quota.acquire(&throttled), None);
        quota.succeeded(None);
        assert_eq!(quota.available(), 1);
        assert_eq!(quota.acquire(&throttled), None, "1 token cannot pay 5");
        for _ in 0..1000 {
            quota.succeeded(None);
        }
        assert_eq!(quota.available(), 500, "capped at the capacity");
    }

    #[test]
    fn retry_modes_parse() {
        assert_eq!(RetryMode::parse("standard"), Some(RetryMode::Standard));
        assert_eq!(RetryMode::parse(" Adaptive "), Some(RetryMode::Adaptive));
        assert_eq!(RetryMode::parse("legacy"), Some(RetryMode::Standard));
        assert_eq!(RetryMode::parse("fast"), None);
        assert_eq!(RetryMode::Adaptive.to_string(), "adaptive");
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
