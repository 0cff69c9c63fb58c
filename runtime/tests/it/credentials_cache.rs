//! Credentials caching seen from a client: refreshed before expiry, once however many calls
//! wait, never used once expired.

use crate::support::ECR;
use aws_credential_types::provider::{error::CredentialsError, future, ProvideCredentials};
use aws_thin_runtime::{Clock, Config, Credentials, ServiceClient};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use tokio::sync::Semaphore;

/// Credentials that live one minute from the (test) clock's now. Each call waits for a permit
/// of `gate`, so a test can hold a refresh open while other calls pile up behind it.
#[derive(Debug)]
struct OneMinuteProvider {
    now: Arc<AtomicU64>,
    calls: Arc<AtomicUsize>,
    gate: Arc<Semaphore>,
    fail: Arc<AtomicBool>,
}

impl ProvideCredentials for OneMinuteProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let _permit = self.gate.acquire().await.expect("gate open");
            if self.fail.load(Ordering::SeqCst) {
                return Err(CredentialsError::provider_error("the STS endpoint said no"));
            }
            let now = self.now.load(Ordering::SeqCst);
            Ok(Credentials::new(
                format!("AKID{n}"),
                "secret",
                Some("token".into()),
                Some(UNIX_EPOCH + Duration::from_secs(now + 60)),
                "test",
            ))
        })
    }
}

struct Setup {
    client: ServiceClient,
    now: Arc<AtomicU64>,
    calls: Arc<AtomicUsize>,
    gate: Arc<Semaphore>,
    fail: Arc<AtomicBool>,
}

fn setup() -> Setup {
    let now = Arc::new(AtomicU64::new(1_000_000));
    let calls = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(Semaphore::new(1000));
    let fail = Arc::new(AtomicBool::new(false));
    let clock_now = now.clone();
    let config = Config::builder()
        .region("us-west-2")
        .clock(Clock::from_fn(move || {
            UNIX_EPOCH + Duration::from_secs(clock_now.load(Ordering::SeqCst))
        }))
        .credentials_provider(OneMinuteProvider {
            now: now.clone(),
            calls: calls.clone(),
            gate: gate.clone(),
            fail: fail.clone(),
        })
        .build();
    Setup {
        client: ServiceClient::new(config, &ECR).unwrap(),
        now,
        calls,
        gate,
        fail,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn one_minute_credentials_are_refreshed_before_expiry_once_under_50_concurrent_calls() {
    let s = setup();
    let start = s.now.load(Ordering::SeqCst);
    assert_eq!(
        s.client.credentials().await.unwrap().access_key_id(),
        "AKID0"
    );

    // Well before expiry: cached.
    s.now.store(start + 20, Ordering::SeqCst);
    assert_eq!(
        s.client.credentials().await.unwrap().access_key_id(),
        "AKID0"
    );
    assert_eq!(s.calls.load(Ordering::SeqCst), 1);

    // 35 s in, 25 s before expiry: due for refresh. Hold the refresh open until all 50 calls
    // are waiting, then let it finish.
    s.now.store(start + 35, Ordering::SeqCst);
    let held = s.gate.clone().acquire_many_owned(1000).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let client = s.client.clone();
        tasks.push(tokio::spawn(async move { client.credentials().await }));
    }
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert_eq!(s.calls.load(Ordering::SeqCst), 2, "one refresh started");
    drop(held);
    for task in tasks {
        let credentials = task.await.unwrap().unwrap();
        assert_eq!(credentials.access_key_id(), "AKID1");
        assert!(credentials.expiry().unwrap() > UNIX_EPOCH + Duration::from_secs(start + 35));
    }
    assert_eq!(
        s.calls.load(Ordering::SeqCst),
        2,
        "exactly one refresh for 50 calls"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_refresh_keeps_valid_credentials_but_never_expired_ones() {
    let s = setup();
    let start = s.now.load(Ordering::SeqCst);
    assert_eq!(
        s.client.credentials().await.unwrap().access_key_id(),
        "AKID0"
    );

    s.fail.store(true, Ordering::SeqCst);
    // Due for refresh, refresh fails, the current credentials are still valid for 10 s.
    s.now.store(start + 50, Ordering::SeqCst);
    assert_eq!(
        s.client.credentials().await.unwrap().access_key_id(),
        "AKID0"
    );

    // Expired: the error, not the old credentials.
    s.now.store(start + 60, Ordering::SeqCst);
    let error = s.client.credentials().await.unwrap_err().to_string();
    assert!(error.contains("the STS endpoint said no"), "{error}");

    s.fail.store(false, Ordering::SeqCst);
    assert_eq!(
        s.client.credentials().await.unwrap().access_key_id(),
        "AKID3"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn static_credentials_are_never_re_read() {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKIDSTATIC", "s", None, None, "test"))
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    for _ in 0..3 {
        assert_eq!(
            client.credentials().await.unwrap().access_key_id(),
            "AKIDSTATIC"
        );
    }
}
