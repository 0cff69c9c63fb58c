//! A moto server (the AWS emulator from PyPI's `moto[server]`) for end-to-end tests, with IAM
//! signature checking on.
//!
//! [`MotoServer::start`] runs `tests/moto/fixture.py serve` with the venv's python. That process
//! starts moto on 127.0.0.1 (a port the OS picks, so tests run in parallel, each with its own
//! server), lets exactly three requests through unauthenticated (`INITIAL_NO_AUTH_ACTION_COUNT=3`:
//! CreateUser, PutUserPolicy, CreateAccessKey for an IAM user with an allow-everything policy), and
//! from then on moto checks every request's SigV4 signature against the keys it holds and the
//! user's policies. The helpers ([`MotoServer::create_repo`] and friends) send one-line commands to
//! that process's stdin and read one JSON line back, so they cost a request, not a Python start.
//!
//! The venv comes from `cargo xtask test` (it creates `target/moto-venv` from
//! `tests/moto/requirements.txt` and sets `AWS_THIN_MOTO_PYTHON`).
//!
//! What moto 5.2.5 answers to a request signed with a wrong secret key (any service but EC2/S3):
//! status 403, `Content-Type: text/html; charset=utf-8` although the body is XML, no
//! `x-amzn-errortype` header, an `x-amzn-requestid` header, and the body
//! `<?xml version="1.0" encoding="utf-8"?>\n<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. ...</Message><Type>Sender</Type></Error></Errors></ErrorResponse>`.
//! An unknown access key id gets the same shape with `InvalidClientTokenId`.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The environment variable naming the python of a venv that has `tests/moto/requirements.txt`.
pub const PYTHON_ENV: &str = "AWS_THIN_MOTO_PYTHON";

/// How long the server may take to start and create its IAM user.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one fixture command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// A running moto server with an IAM user whose key may call ECR; stopped on drop.
pub struct MotoServer {
    child: Child,
    endpoint: String,
    access_key_id: String,
    secret_access_key: String,
    commands: Mutex<Commands>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

struct Commands {
    stdin: ChildStdin,
    lines: Receiver<String>,
}

/// The raw HTTP response moto gave to a request sent by the fixture (boto3).
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: serde_json::Map<String, Value>,
    pub body: String,
    /// The error code boto3 parsed from the response (`None` on success).
    pub error_code: Option<String>,
}

impl RawResponse {
    /// A header's value, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(Value::as_str)
    }
}

impl MotoServer {
    /// Starts moto and creates the IAM user and key. Panics with a clear message (and the
    /// server's stderr) if the venv is missing or the server does not come up in time.
    pub fn start() -> MotoServer {
        let python = python();
        let started = Instant::now();
        let mut child = Command::new(&python)
            .arg(fixture_script())
            .arg("serve")
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            // Keys and config from the user's environment must not leak into the fixture.
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_ENDPOINT_URL")
            .env("AWS_CONFIG_FILE", "/nonexistent/aws-thin-moto-config")
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/aws-thin-moto-credentials",
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {} (moto fixture): {e}", python.display()));

        // Drain stderr continuously (werkzeug logs every request there; a full pipe would block
        // the server) and keep it for error messages.
        let stderr = Arc::new(Mutex::new(Vec::new()));
        {
            let mut pipe = child.stderr.take().expect("stderr is piped");
            let stderr = Arc::clone(&stderr);
            thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    stderr.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
        }
        let (tx, lines) = mpsc::channel();
        {
            let pipe = child.stdout.take().expect("stdout is piped");
            thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let stdin = child.stdin.take().expect("stdin is piped");

        let mut server = MotoServer {
            child,
            endpoint: String::new(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
            commands: Mutex::new(Commands { stdin, lines }),
            stderr,
        };
        let hello = {
            let commands = server.commands.lock().unwrap();
            match commands.lines.recv_timeout(START_TIMEOUT) {
                Ok(line) => line,
                Err(e) => {
                    drop(commands);
                    let why = match e {
                        RecvTimeoutError::Timeout => {
                            format!("did not start within {}s", START_TIMEOUT.as_secs())
                        }
                        RecvTimeoutError::Disconnected => "exited during startup".to_owned(),
                    };
                    server.fail(&format!("moto server ({}) {why}", python.display()));
                }
            }
        };
        let hello: Value = serde_json::from_str(&hello).unwrap_or_else(|e| {
            server.fail(&format!(
                "moto fixture printed {hello:?} instead of its endpoint and keys: {e}"
            ))
        });
        let field = |name: &str| match hello.get(name).and_then(Value::as_str) {
            Some(s) => s.to_owned(),
            None => server.fail(&format!(
                "moto fixture's startup line lacks {name:?}: {hello}"
            )),
        };
        let (endpoint, access_key_id, secret_access_key) = (
            field("endpoint"),
            field("access_key_id"),
            field("secret_access_key"),
        );
        server.endpoint = endpoint;
        server.access_key_id = access_key_id;
        server.secret_access_key = secret_access_key;
        if std::env::var_os("AWS_THIN_MOTO_VERBOSE").is_some() {
            eprintln!(
                "moto server at {} ready in {:?}",
                server.endpoint,
                started.elapsed()
            );
        }
        server
    }

    /// The server's URL, `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        self.endpoint.clone()
    }

    /// The IAM user's access key id (allowed to call everything).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The IAM user's secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// Creates an ECR repository; returns the repository as boto3 reports it.
    pub fn create_repo(&self, name: &str) -> Value {
        self.expect_ok(&["create-repo", name])
    }

    /// Puts an image (tag `latest`) into the repository, so it is not empty.
    pub fn put_image(&self, name: &str) -> Value {
        self.expect_ok(&["put-image", name])
    }

    /// Creates an IAM role anyone may assume (also with a web identity), allowed everything;
    /// returns its ARN.
    pub fn create_role(&self, name: &str) -> String {
        let doc = self.expect_ok(&["create-role", name]);
        doc.get("arn")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("create-role answered {doc}"))
            .to_owned()
    }

    /// Whether the repository exists.
    pub fn repo_exists(&self, name: &str) -> bool {
        let doc = self.expect_ok(&["describe-repo", name]);
        doc.get("exists")
            .and_then(Value::as_bool)
            .unwrap_or_else(|| panic!("describe-repo answered {doc}"))
    }

    /// Sends DeleteRepository through boto3, signed with the user's access key id and
    /// `secret_access_key` (`None`: the right one), and returns moto's raw response.
    pub fn delete_repo_raw(
        &self,
        name: &str,
        force: bool,
        secret_access_key: Option<&str>,
    ) -> RawResponse {
        let mut args = Vec::new();
        if let Some(secret) = secret_access_key {
            args.extend(["--secret-access-key", secret]);
        }
        args.extend(["delete-repo", name]);
        if force {
            args.push("--force");
        }
        let doc = self.expect_ok(&args);
        let status = doc.get("status").and_then(Value::as_u64);
        match (
            status,
            doc.get("headers"),
            doc.get("body").and_then(Value::as_str),
        ) {
            (Some(status), Some(Value::Object(headers)), Some(body)) => RawResponse {
                status: status as u16,
                headers: headers.clone(),
                body: body.to_owned(),
                error_code: doc
                    .get("error_code")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            },
            _ => panic!("delete-repo answered {doc}"),
        }
    }

    /// Runs one fixture command (the words of a `fixture.py` subcommand line, e.g.
    /// `["--secret-access-key", "x", "describe-repo", "r"]`); returns its JSON answer, which is
    /// `{"error": CODE, "message": ..., "status": HTTP_STATUS}` when the AWS call failed.
    pub fn fixture(&self, args: &[&str]) -> Value {
        let line = args
            .iter()
            .map(|a| shell_quote(a))
            .collect::<Vec<_>>()
            .join(" ");
        let mut commands = self.commands.lock().unwrap_or_else(|p| p.into_inner());
        // Anything left over from an earlier command that timed out is stale.
        while commands.lines.try_recv().is_ok() {}
        if let Err(e) = writeln!(commands.stdin, "{line}").and_then(|()| commands.stdin.flush()) {
            drop(commands);
            self.fail(&format!("cannot send {line:?} to the moto fixture: {e}"));
        }
        let answer = match commands.lines.recv_timeout(COMMAND_TIMEOUT) {
            Ok(answer) => answer,
            Err(e) => {
                drop(commands);
                self.fail(&format!("moto fixture gave no answer to {line:?}: {e:?}"));
            }
        };
        drop(commands);
        serde_json::from_str(&answer).unwrap_or_else(|e| {
            self.fail(&format!(
                "moto fixture answered {line:?} with {answer:?}: {e}"
            ))
        })
    }

    /// The server's stderr so far (werkzeug's request log and any Python traceback).
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }

    fn expect_ok(&self, args: &[&str]) -> Value {
        let doc = self.fixture(args);
        if doc.get("error").is_some() {
            panic!("moto fixture command {args:?} failed: {doc}");
        }
        doc
    }

    fn fail(&self, what: &str) -> ! {
        // Give a dying process a moment to finish writing its traceback.
        thread::sleep(Duration::from_millis(200));
        panic!("{what}\n--- moto server stderr ---\n{}", self.stderr());
    }
}

impl fmt::Debug for MotoServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MotoServer")
            .field("endpoint", &self.endpoint)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("pid", &self.child.id())
            .finish()
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        // The fixture also exits by itself when its stdin closes (if this process dies).
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The python that runs the fixture: `$AWS_THIN_MOTO_PYTHON` (a relative path is taken from the
/// workspace root), else the venv `cargo xtask test` makes under `target/`. Panics, saying how to create it, when it is missing.
pub fn python() -> PathBuf {
    let (path, source) = match std::env::var_os(PYTHON_ENV) {
        // Relative to the workspace root: cargo runs each test binary in its package's directory.
        Some(p) if !p.is_empty() => (workspace_root().join(p), format!("${PYTHON_ENV}")),
        _ => (default_venv_python(), "the default location".to_owned()),
    };
    if !path.is_file() {
        panic!(
            "the moto venv's python is missing: {} ({source}).\n\
             The end-to-end tests need moto's server from tests/moto/requirements.txt. \
             Run the project's test command, `cargo xtask test`, which creates the venv \
             target/moto-venv and runs all tests; or point {PYTHON_ENV} at the python of a \
             venv with those requirements installed.",
            path.display()
        );
    }
    path
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn default_venv_python() -> PathBuf {
    let venv = workspace_root().join("target").join("moto-venv");
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// `tests/moto/fixture.py`.
pub fn fixture_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("moto")
        .join("fixture.py")
}

/// Quotes a word for Python's `shlex.split`.
fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=+@%,".contains(&b))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
