//! AWS's cross-SDK suites for the shared config files: `profile-parser-tests.json` (parsing)
//! and `file-location-tests.json` (where the files are), read from
//! `$AWS_THIN_PROFILE_SUITE`, else `../shared/test-suites/aws-sdk-rust/aws-runtime` beside the
//! workspace. Every case prints one line; the last line is `N passed, M failed`.

use aws_thin_runtime::profile::{FileLocations, Platform, ProfileSet, Section};
use aws_thin_runtime::{Env, Fs};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn suite(file: &str) -> Value {
    let dir = std::env::var_os("AWS_THIN_PROFILE_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/test-suites/aws-sdk-rust/aws-runtime")
        });
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); set AWS_THIN_PROFILE_SUITE to the aws-runtime test data",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

/// Runs `check` on every case, printing one line each, and fails listing the failures.
fn run(name: &str, cases: &[Value], check: impl Fn(&Value) -> Result<(), String>) {
    let mut failed = Vec::new();
    for case in cases {
        let title = case["name"].as_str().unwrap_or("(unnamed)");
        match check(case) {
            Ok(()) => println!("ok     {title}"),
            Err(why) => {
                println!("FAILED {title}: {why}");
                failed.push(format!("{title}: {why}"));
            }
        }
    }
    println!(
        "{name}: {} passed, {} failed",
        cases.len() - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(!cases.is_empty(), "{name}: no cases found");
}

fn as_map(
    sections: &mut dyn Iterator<Item = &Section>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    sections
        .map(|s| {
            let properties = s
                .properties()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            (s.name().to_owned(), properties)
        })
        .collect()
}

fn expected_map(value: &Value) -> BTreeMap<String, BTreeMap<String, String>> {
    serde_json::from_value(value.clone()).unwrap()
}

#[test]
fn profile_parser_suite() {
    let suite = suite("profile-parser-tests.json");
    run(
        "profile parser suite",
        suite["tests"].as_array().unwrap(),
        |case| {
            let input = &case["input"];
            let parsed = ProfileSet::parse(
                input["configFile"].as_str(),
                input["credentialsFile"].as_str(),
            );
            let output = &case["output"];
            match (parsed, output["errorContaining"].as_str()) {
                (Ok(set), None) => {
                    let config = &output["config"];
                    let profiles = as_map(&mut set.profiles());
                    if profiles != expected_map(&config["profiles"]) {
                        return Err(format!(
                            "profiles {profiles:?}, expected {}",
                            config["profiles"]
                        ));
                    }
                    if !config["sso_sessions"].is_null() {
                        let sessions = as_map(&mut set.sso_sessions());
                        if sessions != expected_map(&config["sso_sessions"]) {
                            return Err(format!(
                                "sso sessions {sessions:?}, expected {}",
                                config["sso_sessions"]
                            ));
                        }
                    }
                    Ok(())
                }
                (Err(error), Some(expected)) if error.message.contains(expected) => Ok(()),
                (Err(error), expected) => Err(format!("error `{error}`, expected {expected:?}")),
                (Ok(set), Some(expected)) => Err(format!(
                    "parsed {:?}, expected an error containing {expected:?}",
                    as_map(&mut set.profiles())
                )),
            }
        },
    );
}

#[test]
fn file_location_suite() {
    let suite = suite("file-location-tests.json");
    run(
        "file location suite",
        suite["tests"].as_array().unwrap(),
        |case| {
            let vars: BTreeMap<String, String> =
                serde_json::from_value(case["environment"].clone()).unwrap();
            let env = Env::from_map(vars);
            let platform = match case["platform"].as_str() {
                Some("windows") => Platform::Windows,
                _ => Platform::Unix,
            };
            let at = FileLocations::from_env(&env, platform);
            let expected = (
                case["configLocation"].as_str(),
                case["credentialsLocation"].as_str(),
            );
            if (at.config.as_deref(), at.credentials.as_deref()) != expected {
                return Err(format!("found {at:?}, expected {expected:?}"));
            }
            if let Some(profile) = case["profile"].as_str() {
                let set = ProfileSet::load(&env, &Fs::from_map::<&str, &str>([]), None)
                    .map_err(|e| e.to_string())?;
                if set.selected_name() != profile {
                    return Err(format!(
                        "selected profile `{}`, expected `{profile}`",
                        set.selected_name()
                    ));
                }
            }
            Ok(())
        },
    );
}
