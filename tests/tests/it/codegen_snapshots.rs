//! insta snapshots of every file the generator emits for `model/ecr.json` and for
//! `tests/models/all-shapes.json` (every Smithy shape): a change in the model or in how any shape
//! is generated shows up as a reviewable snapshot diff (`cargo insta review`).

use std::collections::BTreeSet;

use integration_tests::paths::{generate, project_model, workspace_root};

/// `tests/tests/snapshots/`, relative to this file (insta's default is `snapshots/` beside it).
const SNAPSHOTS: &str = "../snapshots";

/// Snapshots of `tests/models/all-shapes.json` are named with this prefix.
const ALL_SHAPES: &str = "all_shapes__";

fn all_shapes_model() -> std::path::PathBuf {
    workspace_root().join("tests/models/all-shapes.json")
}

fn snapshot_name(path: &std::path::Path) -> String {
    path.to_string_lossy().replace(['/', '\\'], "__")
}

#[test]
fn every_generated_file_matches_its_snapshot() {
    let files = generate(&project_model(), None, true);
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path(SNAPSHOTS);
    settings.bind(|| {
        for (path, content) in &files {
            insta::assert_snapshot!(snapshot_name(path), content);
        }
    });
}

#[test]
fn every_file_generated_for_all_shapes_matches_its_snapshot() {
    let files = generate(&all_shapes_model(), None, true);
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path(SNAPSHOTS);
    settings.bind(|| {
        for (path, content) in &files {
            insta::assert_snapshot!(format!("{ALL_SHAPES}{}", snapshot_name(path)), content);
        }
    });
}

#[test]
fn no_snapshot_is_left_for_a_file_the_generator_no_longer_emits() {
    let files = generate(&project_model(), None, true);
    let all_shapes = generate(&all_shapes_model(), None, true);
    let expected: BTreeSet<String> = files
        .keys()
        .map(|p| format!("{}.snap", snapshot_name(p)))
        .chain(
            all_shapes
                .keys()
                .map(|p| format!("{ALL_SHAPES}{}.snap", snapshot_name(p))),
        )
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| {
            name.ends_with(".snap") && (name.starts_with("src__") || name.starts_with(ALL_SHAPES))
        })
        .collect();
    let stale: Vec<&String> = present.difference(&expected).collect();
    assert!(
        stale.is_empty(),
        "snapshots for files no longer generated (delete them): {stale:?}"
    );
}
