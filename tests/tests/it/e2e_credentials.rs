//! End to end: credentials from the default chain against moto (signature checking on).
//! A role assumed through a profile (`role_arn` + `source_profile`), a web identity from the
//! environment, and a real `credential_process` script each give the keys DeleteRepository is
//! signed with; moto accepts only correctly signed requests from keys it issued.
//! Run with `cargo xtask test` (it sets up the moto venv).

use aws_thin_ecr::{Client, Config};
use aws_thin_runtime::{Env, RetryConfig};
use integration_tests::moto::MotoServer;
use std::path::PathBuf;

/// A fresh directory under the system's temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("aws-thin-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An environment with moto as every endpoint (ECR and STS), IMDS off, no shared files unless
/// `extra` names them.
fn env(moto: &MotoServer, extra: &[(&str, &str)]) -> Env {
    let endpoint = moto.endpoint();
    let mut pairs: Vec<(String, String)> = [
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/nonexistent/aws-thin-e2e-config"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-thin-e2e-credentials",
        ),
        ("HOME", "/nonexistent"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        pairs.retain(|(name, _)| name != k);
        pairs.push((k.to_string(), v.to_string()));
    }
    Env::from_map(pairs)
}

fn client(env: Env) -> Client {
    let config = Config::builder()
        .retry_config(RetryConfig::disabled())
        .build_from_env_with(env)
        .expect("config");
    Client::new(config).expect("client")
}

/// Deletes `repo` through `client` and checks moto no longer has it.
async fn delete_with(client: &Client, moto: &MotoServer, repo: &str) {
    let output = client
        .delete_repository()
        .repository_name(repo)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DeleteRepository failed: {e}\n{}", moto.stderr()));
    assert_eq!(
        output.repository().and_then(|r| r.repository_name()),
        Some(repo)
    );
    assert!(!moto.repo_exists(repo));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn role_from_a_profile_with_source_profile() {
    let moto = MotoServer::start();
    let role = moto.create_role("e2e-profile-role");
    moto.create_repo("assumed/profile");
    let dir = TempDir::new("assume-role");
    let config = dir.write(
        "config",
        &format!(
            "[profile base]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n\
             [profile e2e]\nrole_arn = {role}\nsource_profile = base\nrole_session_name = e2e-session\n",
            moto.access_key_id(),
            moto.secret_access_key()
        ),
    );
    let client = client(env(
        &moto,
        &[("AWS_CONFIG_FILE", &config), ("AWS_PROFILE", "e2e")],
    ));

    // Temporary keys from moto's STS, not the base profile's.
    let credentials = client.service_client().credentials().await.unwrap();
    assert_ne!(credentials.access_key_id(), moto.access_key_id());
    assert!(
        credentials.access_key_id().starts_with("ASIA"),
        "{credentials:?}"
    );
    assert!(credentials.session_token().is_some());
    assert!(credentials.expiry().is_some());

    delete_with(&client, &moto, "assumed/profile").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn web_identity_from_the_environment() {
    let moto = MotoServer::start();
    let role = moto.create_role("e2e-web-identity-role");
    moto.create_repo("assumed/web-identity");
    let dir = TempDir::new("web-identity");
    // moto does not verify the token; its shape is a JWT's.
    let token = dir.write(
        "token.jwt",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlMmUifQ.c2lnbmF0dXJl\n",
    );
    let client = client(env(
        &moto,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
            ("AWS_ROLE_ARN", &role),
            ("AWS_ROLE_SESSION_NAME", "e2e-web-identity"),
        ],
    ));

    let credentials = client.service_client().credentials().await.unwrap();
    assert!(
        credentials.access_key_id().starts_with("ASIA"),
        "{credentials:?}"
    );
    assert!(credentials.session_token().is_some());

    delete_with(&client, &moto, "assumed/web-identity").await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn credential_process_script() {
    use std::os::unix::fs::PermissionsExt;

    let moto = MotoServer::start();
    moto.create_repo("process/repo");
    let dir = TempDir::new("credential-process");
    let script = dir.write(
        "credentials.sh",
        &format!(
            "#!/bin/sh\n# A credential helper, as `aws configure export-credentials` prints them.\n\
             printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"{}\", \"SecretAccessKey\": \"{}\"}}'\n",
            moto.access_key_id(),
            moto.secret_access_key()
        ),
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = dir.write(
        "config",
        &format!("[default]\ncredential_process = {}\n", script),
    );
    let client = client(env(&moto, &[("AWS_CONFIG_FILE", &config)]));

    let credentials = client.service_client().credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), moto.access_key_id());

    delete_with(&client, &moto, "process/repo").await;
}
