//! Paginators and waiters in the generator: every one of the shared AWS models (both ECR models
//! and the awsJson corpus) generates, and what the generator cannot compile fails with the
//! operation and the waiter's name. Their behaviour is tested in `tests/scratch/pagers-waiters/`
//! (`cargo xtask check-models` compiles our model `tests/models/pagers-waiters.json` and runs them).

use std::path::{Path, PathBuf};

use aws_thin_codegen::{generate, Model, Settings};
use integration_tests::paths::{shared_models_dir, workspace_root};
use serde_json::Value;

/// The corpus of AWS awsJson models: `$AWS_THIN_SHARED_MODELS/awsjson-corpus`.
fn corpus_models() -> Vec<PathBuf> {
    let dir = shared_models_dir().join("awsjson-corpus");
    let mut models: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "cannot list {} (set AWS_THIN_SHARED_MODELS): {e}",
                dir.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    models.sort();
    models
}

/// (paginated operations, waiter count, waitable operations) of a model.
fn paginated_and_waitable(model: &Model) -> (Vec<String>, usize, Vec<String>) {
    let mut paginated = Vec::new();
    let mut waiters = 0;
    let mut waitable = Vec::new();
    for (id, shape) in &model.shapes {
        if let aws_thin_codegen::model::Shape::Operation(op) = shape {
            let name = id
                .rsplit_once('#')
                .map_or(id.as_str(), |(_, n)| n)
                .to_string();
            if op.traits.has("smithy.api#paginated") {
                paginated.push(name.clone());
            }
            if let Some(Value::Object(w)) = op.traits.get("smithy.waiters#waitable") {
                waiters += w.len();
                waitable.push(name);
            }
        }
    }
    (paginated, waiters, waitable)
}

/// What generating a model's paginated and waitable operations gave.
enum Outcome {
    /// Generated: (paginators, waiters) in the code.
    Generated(usize, usize),
    /// Generation fails for a reason that has nothing to do with paginators and waiters (it fails
    /// the same way without their traits); their IR was still built: (paginators, waiters).
    Unrelated(String, Option<(usize, usize)>),
}

/// Generates the paginated and waitable operations of a model.
fn generate_all(path: &Path) -> Outcome {
    let json = std::fs::read_to_string(path).unwrap();
    let model = Model::from_json(&json, &path.display().to_string()).unwrap();
    let (paginated, waiter_count, waitable) = paginated_and_waitable(&model);
    let mut operations: Vec<String> = paginated.iter().chain(&waitable).cloned().collect();
    operations.sort();
    operations.dedup();
    if operations.is_empty() {
        return Outcome::Generated(0, 0);
    }
    let settings = Settings {
        operations: Some(operations),
        documentation: false,
        ..Settings::default()
    };
    match generate(&model, &settings) {
        Ok(files) => {
            let text: String = files.values().map(String::as_str).collect();
            let into_paginator = text.matches("pub fn into_paginator(").count();
            let wait_until = text.matches("pub fn wait_until_").count();
            assert_eq!(
                into_paginator,
                paginated.len(),
                "{}: paginators",
                path.display()
            );
            assert_eq!(wait_until, waiter_count, "{}: waiters", path.display());
            Outcome::Generated(into_paginator, wait_until)
        }
        Err(error) => {
            let mut stripped = model.clone();
            for shape in stripped.shapes.values_mut() {
                if let aws_thin_codegen::model::Shape::Operation(op) = shape {
                    op.traits.0.remove("smithy.api#paginated");
                    op.traits.0.remove("smithy.waiters#waitable");
                }
            }
            let plain = generate(&stripped, &settings);
            assert!(
                plain.is_err(),
                "{}: generation fails only with paginators and waiters: {error}",
                path.display()
            );
            let ir = aws_thin_codegen::normalize(&model, &settings)
                .ok()
                .map(|krate| {
                    assert_eq!(
                        krate.paginators.len(),
                        paginated.len(),
                        "{}",
                        path.display()
                    );
                    assert_eq!(krate.waiters.len(), waiter_count, "{}", path.display());
                    (krate.paginators.len(), krate.waiters.len())
                });
            let first_line = error
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            Outcome::Unrelated(first_line, ir)
        }
    }
}

#[test]
fn every_paginator_and_waiter_of_the_ecr_models_generates() {
    let mut totals = Vec::new();
    for file in [
        integration_tests::paths::OLDER_AWS_MODEL,
        integration_tests::paths::NEWER_AWS_MODEL,
    ] {
        match generate_all(&integration_tests::paths::shared_model(file)) {
            Outcome::Generated(p, w) => totals.push((p, w)),
            Outcome::Unrelated(error, _) => panic!("{file}: {error}"),
        }
    }
    // Both models: ListImages, DescribeImages, ... (7 or 8 paginators); ImageScanComplete and
    // LifecyclePolicyPreviewComplete.
    assert_eq!(totals[0].1, 2);
    assert_eq!(totals[1], (7, 2));
}

#[test]
fn every_paginator_and_waiter_of_the_corpus_generates() {
    let models = corpus_models();
    assert!(models.len() > 100, "the corpus has {} models", models.len());
    let (mut paginators, mut waiters) = (0, 0);
    let mut unrelated = Vec::new();
    // The corpus is 45 MB of JSON: generate on every core (test binaries run one at a time).
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = models.len().div_ceil(workers);
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = models
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().map(|m| generate_all(m)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a corpus worker panicked"))
            .collect()
    });
    for outcome in outcomes {
        if let Outcome::Generated(p, w) | Outcome::Unrelated(_, Some((p, w))) = outcome {
            paginators += p;
            waiters += w;
        }
        if let Outcome::Unrelated(error, _) = outcome {
            unrelated.push(error);
        }
    }
    println!(
        "corpus: {} models, {paginators} paginators, {waiters} waiters",
        models.len()
    );
    // Reported, not failed: generator gaps that paginators and waiters do not cause.
    for error in &unrelated {
        println!("fails without paginators and waiters too: {error}");
    }
    assert!(
        paginators > 1000 && waiters > 50,
        "{paginators} paginators, {waiters} waiters"
    );
}

/// Our model with one waiter acceptor's matcher replaced.
fn with_matcher(waiter: &str, matcher: Value) -> Model {
    let path = workspace_root().join("tests/models/pagers-waiters.json");
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    json["shapes"]["example.pagers#DescribeRepositories"]["traits"]["smithy.waiters#waitable"]
        [waiter]["acceptors"][0]["matcher"] = matcher;
    Model::from_json(&json.to_string(), "pagers-waiters.json").unwrap()
}

fn generation_error(model: &Model) -> String {
    generate(model, &Settings::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn a_path_outside_the_supported_jmespath_fails_with_the_waiter_name() {
    for (path, reason) in [
        (
            "repositories[0:1].repositoryName",
            "slices are not supported",
        ),
        ("{a: repositories}", "multi-select hashes are not supported"),
        (
            "sort_by(repositories, &repositoryName)",
            "expression references",
        ),
        (
            "max(repositories[].imageCount)",
            "the function max() is not supported",
        ),
        ("repositories.repositoryName", "is a field of a list"),
        ("repositories[].nope", "has no member `nope`"),
    ] {
        let model = with_matcher(
            "AllImmutable",
            serde_json::json!({"output": {"path": path, "expected": "x", "comparator": "anyStringEquals"}}),
        );
        let error = generation_error(&model);
        assert!(
            error.contains("example.pagers#DescribeRepositories")
                && error.contains("waiter `AllImmutable` cannot be generated: acceptor 1")
                && error.contains(reason),
            "{path}: {error}"
        );
    }
}

#[test]
fn a_comparator_that_does_not_fit_the_path_type_fails() {
    for (path, comparator, reason) in [
        (
            "repositories[0].imageCount",
            "stringEquals",
            "gives a number, but stringEquals needs a string",
        ),
        (
            "repositories[].repositoryName",
            "booleanEquals",
            "gives a list of a string, but booleanEquals needs a boolean",
        ),
        (
            "repositories[0].repositoryName == `1`",
            "booleanEquals",
            "cannot compare a string with a number",
        ),
    ] {
        let model = with_matcher(
            "AllImmutable",
            serde_json::json!({"output": {"path": path, "expected": "true", "comparator": comparator}}),
        );
        let error = generation_error(&model);
        assert!(error.contains(reason), "{path}: {error}");
    }
}

#[test]
fn a_paginator_whose_token_is_missing_fails_with_the_operation() {
    let path = workspace_root().join("tests/models/pagers-waiters.json");
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    json["shapes"]["example.pagers#ListLabels"]["traits"]["smithy.api#paginated"]["outputToken"] =
        "paging.missing".into();
    let model = Model::from_json(&json.to_string(), "pagers-waiters.json").unwrap();
    let error = generation_error(&model);
    assert!(
        error.contains("example.pagers#ListLabels") && error.contains("has no member `missing`"),
        "{error}"
    );
}
