//! Support for generated waiters (Smithy's `smithy.waiters#waitable`): the polling loop, the
//! spec's jittered backoff, and the error a waiter returns.
//!
//! The generated code compiles each acceptor into a function that looks at one response and says
//! which acceptor, if any, matched; [`wait`] calls the operation, asks that function, and stops
//! on success or failure, or sleeps and polls again on retry until the maximum wait is spent.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::error::{BuildError, SdkError};

/// The three states an acceptor can move a waiter into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// Stop waiting: the resource reached the wanted state.
    Success,
    /// Stop waiting: the resource can no longer reach the wanted state.
    Failure,
    /// Poll again after a delay.
    Retry,
}

impl fmt::Display for AcceptorState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AcceptorState::Success => "success",
            AcceptorState::Failure => "failure",
            AcceptorState::Retry => "retry",
        })
    }
}

/// An acceptor that matched a response: its state and a description of what it matches
/// (`output status == "COMPLETE"`), for errors and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matched {
    /// The state the acceptor moves the waiter into.
    pub state: AcceptorState,
    /// What the acceptor matches, as the model says it.
    pub acceptor: &'static str,
}

/// One waiter's timing: the model's delays (overridable) and the caller's maximum wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterConfig {
    /// The waiter's name in the model (`ImageScanComplete`).
    pub name: &'static str,
    /// The shortest delay between two polls (the model's `minDelay`, 2 s by default).
    pub min_delay: Duration,
    /// The longest delay between two polls (the model's `maxDelay`, 120 s by default).
    pub max_delay: Duration,
    /// How long to wait in total before giving up with a timeout.
    pub max_wait: Duration,
}

/// The response that ended a waiter: the operation's output, or the error an acceptor matched.
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, SdkError<E>>,
}

impl<O, E> FinalPoll<O, E> {
    /// Wraps a response.
    pub fn new(result: Result<O, SdkError<E>>) -> Self {
        FinalPoll { result }
    }

    /// The response, borrowed.
    pub fn as_result(&self) -> Result<&O, &SdkError<E>> {
        self.result.as_ref()
    }

    /// The response.
    pub fn into_result(self) -> Result<O, SdkError<E>> {
        self.result
    }
}

/// Why a waiter did not reach its success state.
#[derive(Debug)]
pub enum WaiterError<O, E> {
    /// The input was invalid (a missing required member); nothing was sent.
    Construction(BuildError),
    /// The delays or maximum wait cannot work (a zero minimum delay, or a minimum above the maximum).
    InvalidConfig {
        /// The waiter's name.
        waiter: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// An acceptor with the failure state matched.
    FailureState {
        /// The waiter's name.
        waiter: &'static str,
        /// What the acceptor matched.
        acceptor: &'static str,
        /// The response it matched.
        final_poll: FinalPoll<O, E>,
    },
    /// The operation failed with an error that no acceptor matches.
    Operation {
        /// The waiter's name.
        waiter: &'static str,
        /// The operation's error.
        error: SdkError<E>,
    },
    /// The maximum wait passed before a success or failure acceptor matched.
    Timeout(WaiterTimeout),
}

/// A waiter ran out of time; says how long it waited and what the last response looked like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterTimeout {
    waiter: &'static str,
    max_wait: Duration,
    attempts: u32,
    last_state: String,
}

impl WaiterTimeout {
    /// The waiter's name.
    pub fn waiter(&self) -> &str {
        self.waiter
    }

    /// The maximum wait that passed.
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// How many times the operation was called.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The state after the last response, and why (`retry: output status == "IN_PROGRESS"`).
    pub fn last_state(&self) -> &str {
        &self.last_state
    }
}

impl fmt::Display for WaiterTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "waiter {} timed out after {:?} and {} attempt{}; last state: {}",
            self.waiter,
            self.max_wait,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" },
            self.last_state
        )
    }
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Construction(e) => write!(f, "waiter input is invalid: {e}"),
            WaiterError::InvalidConfig { waiter, reason } => {
                write!(f, "waiter {waiter} cannot run: {reason}")
            }
            WaiterError::FailureState {
                waiter,
                acceptor,
                final_poll,
            } => {
                write!(f, "waiter {waiter} reached its failure state ({acceptor})")?;
                if let Err(error) = &final_poll.result {
                    write!(f, ": {error}")?;
                }
                Ok(())
            }
            WaiterError::Operation { waiter, error } => write!(
                f,
                "waiter {waiter} stopped on an error no acceptor expects: {error}"
            ),
            WaiterError::Timeout(timeout) => fmt::Display::fmt(timeout, f),
        }
    }
}

impl<O: fmt::Debug, E: Error + 'static> Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            WaiterError::Construction(e) => Some(e),
            WaiterError::Operation { error, .. } => Some(error),
            WaiterError::FailureState { final_poll, .. } => match &final_poll.result {
                Err(error) => Some(error),
                Ok(_) => None,
            },
            WaiterError::InvalidConfig { .. } | WaiterError::Timeout(_) => None,
        }
    }
}

impl Error for WaiterTimeout {}

/// The delay before the next poll, per the Smithy waiter spec, or `None` when no time is left
/// for another poll.
///
/// `attempt` counts the polls made so far (1 after the first); `random` is uniform in `[0, 1)`.
/// The delay grows exponentially from `min_delay`, capped at `max_delay`, with full jitter
/// between `min_delay` and that cap; it is shortened so that `min_delay` remains for one last
/// poll before the maximum wait.
pub fn delay(
    attempt: u32,
    min_delay: Duration,
    max_delay: Duration,
    remaining: Duration,
    random: f64,
) -> Option<Duration> {
    if remaining <= min_delay {
        return None;
    }
    let min = min_delay.as_secs_f64();
    let max = max_delay.as_secs_f64().max(min);
    let attempt_ceiling = (max / min).log2() + 1.0;
    let ceiling = if f64::from(attempt) > attempt_ceiling {
        max
    } else {
        (min * 2f64.powi(attempt.saturating_sub(1).min(62) as i32)).min(max)
    };
    let mut chosen = Duration::from_secs_f64(min + (ceiling - min) * random.clamp(0.0, 1.0));
    if remaining.saturating_sub(chosen) <= min_delay {
        chosen = remaining - min_delay;
    }
    Some(chosen)
}

/// Polls with `poll` until `classify` reports success or failure, an unmatched error arrives, or
/// `config.max_wait` passes.
///
/// Per the spec, a response that no acceptor matches means retry when it is a success and stop
/// with [`WaiterError::Operation`] when it is an error.
pub async fn wait<O, E, Fut>(
    config: &WaiterConfig,
    mut poll: impl FnMut() -> Fut,
    classify: impl Fn(&Result<O, SdkError<E>>) -> Option<Matched>,
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    Fut: Future<Output = Result<O, SdkError<E>>>,
{
    if config.min_delay.is_zero() || config.min_delay > config.max_delay {
        return Err(WaiterError::InvalidConfig {
            waiter: config.name,
            reason: format!(
                "the minimum delay ({:?}) must be above zero and at most the maximum delay ({:?})",
                config.min_delay, config.max_delay
            ),
        });
    }
    let started = tokio::time::Instant::now();
    let mut attempts = 0u32;
    loop {
        let result = poll().await;
        attempts += 1;
        let last_state = match classify(&result) {
            Some(Matched {
                state: AcceptorState::Success,
                ..
            }) => return Ok(FinalPoll::new(result)),
            Some(Matched {
                state: AcceptorState::Failure,
                acceptor,
            }) => {
                return Err(WaiterError::FailureState {
                    waiter: config.name,
                    acceptor,
                    final_poll: FinalPoll::new(result),
                })
            }
            Some(Matched {
                state: AcceptorState::Retry,
                acceptor,
            }) => format!("retry ({acceptor})"),
            None => match result {
                Err(error) => {
                    return Err(WaiterError::Operation {
                        waiter: config.name,
                        error,
                    })
                }
                Ok(_) => "retry (the response matched no acceptor)".to_string(),
            },
        };
        let remaining = config.max_wait.saturating_sub(started.elapsed());
        let Some(pause) = delay(
            attempts,
            config.min_delay,
            config.max_delay,
            remaining,
            fastrand::f64(),
        ) else {
            return Err(WaiterError::Timeout(WaiterTimeout {
                waiter: config.name,
                max_wait: config.max_wait,
                attempts,
                last_state,
            }));
        };
        tracing::debug!(waiter = config.name, attempts, ?pause, %last_state, "waiting before the next poll");
        tokio::time::sleep(pause).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn delays_grow_exponentially_up_to_the_maximum() {
        // random = 1: the upper end of the jitter range.
        let upper: Vec<u64> = (1..=8)
            .map(|attempt| {
                delay(attempt, S(2), S(120), S(10_000), 1.0)
                    .unwrap()
                    .as_secs()
            })
            .collect();
        assert_eq!(upper, [2, 4, 8, 16, 32, 64, 120, 120]);
        // random = 0: always the minimum.
        assert_eq!(delay(5, S(2), S(120), S(10_000), 0.0), Some(S(2)));
        // halfway: between min and the ceiling.
        assert_eq!(delay(3, S(2), S(120), S(10_000), 0.5), Some(S(5)));
    }

    #[test]
    fn the_last_delay_leaves_the_minimum_for_one_more_poll() {
        assert_eq!(delay(7, S(2), S(120), S(50), 1.0), Some(S(48)));
        assert_eq!(delay(1, S(5), S(120), S(6), 0.0), Some(S(1)));
        assert_eq!(delay(1, S(5), S(120), S(5), 0.0), None);
        assert_eq!(delay(1, S(5), S(120), S(0), 0.0), None);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        assert_eq!(delay(u32::MAX, S(1), S(30), S(1_000), 1.0), Some(S(30)));
    }

    #[test]
    fn timeout_message_names_the_waiter_and_the_last_state() {
        let timeout = WaiterTimeout {
            waiter: "ImageScanComplete",
            max_wait: S(30),
            attempts: 3,
            last_state: "retry (the response matched no acceptor)".to_string(),
        };
        assert_eq!(
            timeout.to_string(),
            "waiter ImageScanComplete timed out after 30s and 3 attempts; last state: retry (the response matched no acceptor)"
        );
    }

    fn config(max_wait: Duration) -> WaiterConfig {
        WaiterConfig {
            name: "Test",
            min_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_wait,
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    #[test]
    fn polls_until_success_and_returns_that_response() {
        let mut polls = 0;
        let result: Result<FinalPoll<u32, String>, _> = runtime().block_on(wait(
            &config(S(60)),
            || {
                polls += 1;
                std::future::ready(Ok(polls))
            },
            |r| match r {
                Ok(3) => Some(Matched {
                    state: AcceptorState::Success,
                    acceptor: "three",
                }),
                _ => None,
            },
        ));
        assert_eq!(result.unwrap().into_result().unwrap(), 3);
    }

    #[test]
    fn an_unmatched_error_stops_the_waiter() {
        let result: Result<FinalPoll<u32, String>, _> = runtime().block_on(wait(
            &config(S(60)),
            || {
                std::future::ready(Err(SdkError::Response(crate::ResponseError::new(
                    500, None, "bad",
                ))))
            },
            |_| None,
        ));
        assert!(matches!(
            result,
            Err(WaiterError::Operation { waiter: "Test", .. })
        ));
    }

    #[test]
    fn a_failure_acceptor_stops_with_its_description() {
        let result: Result<FinalPoll<u32, String>, _> = runtime().block_on(wait(
            &config(S(60)),
            || std::future::ready(Ok(1)),
            |_| {
                Some(Matched {
                    state: AcceptorState::Failure,
                    acceptor: "output status == \"FAILED\"",
                })
            },
        ));
        let error = result.unwrap_err();
        assert_eq!(
            error.to_string(),
            "waiter Test reached its failure state (output status == \"FAILED\")"
        );
    }

    #[test]
    fn retries_until_the_maximum_wait_then_times_out() {
        let mut polls = 0;
        let result: Result<FinalPoll<u32, String>, _> = runtime().block_on(wait(
            &config(Duration::from_millis(20)),
            || {
                polls += 1;
                std::future::ready(Ok(polls))
            },
            |_| {
                Some(Matched {
                    state: AcceptorState::Retry,
                    acceptor: "output status == \"IN_PROGRESS\"",
                })
            },
        ));
        let Err(WaiterError::Timeout(timeout)) = result else {
            panic!("expected a timeout, got {result:?}");
        };
        assert!(timeout.attempts() >= 2, "{timeout}");
        assert_eq!(timeout.attempts(), polls);
        assert_eq!(
            timeout.last_state(),
            "retry (output status == \"IN_PROGRESS\")"
        );
    }

    #[test]
    fn invalid_delays_fail_before_polling() {
        let mut bad = config(S(1));
        bad.min_delay = Duration::ZERO;
        let result: Result<FinalPoll<u32, String>, _> = runtime().block_on(wait(
            &bad,
            || -> std::future::Ready<Result<u32, SdkError<String>>> { panic!("must not poll") },
            |_| None,
        ));
        assert!(matches!(result, Err(WaiterError::InvalidConfig { .. })));
    }
}
