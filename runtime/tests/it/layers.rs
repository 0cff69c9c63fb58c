//! The runtime's modules import each other in layers, never in a circle (DESIGN.md, "The
//! runtime's layers"): read from the sources, so a new cycle fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name -> the crate modules its code (not its comments) names as `crate::<module>`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let modules: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').to_owned())
        })
        .collect();
    let mut graph = BTreeMap::new();
    for module in &modules {
        let mut text = String::new();
        let file = src.join(format!("{module}.rs"));
        let dir = src.join(module);
        let mut files = vec![];
        if file.is_file() {
            files.push(file);
        }
        if dir.is_dir() {
            for entry in walk(&dir) {
                files.push(entry);
            }
        }
        for f in files {
            text.push_str(&std::fs::read_to_string(f).unwrap());
        }
        let mut uses = BTreeSet::new();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if modules.contains(&name) && &name != module {
                    uses.insert(name);
                }
            }
            // `use crate::{a, b::c}`
            if let Some(rest) = line.trim().strip_prefix("use crate::{") {
                for part in rest.split([',', '}']) {
                    let name = part.trim().split("::").next().unwrap_or("").to_owned();
                    if modules.contains(&name) && &name != module {
                        uses.insert(name);
                    }
                }
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// A cycle through `start`, if any (depth-first).
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(graph, next, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(found) = visit(graph, node, &mut Vec::new(), &mut done) {
            return Some(found);
        }
    }
    None
}

#[test]
fn runtime_modules_have_no_import_cycles() {
    let graph = imports();
    assert!(graph.len() > 10, "modules not found: {graph:?}");
    if let Some(found) = cycle(&graph) {
        panic!("import cycle: {}\n{graph:#?}", found.join(" -> "));
    }
}

#[test]
fn only_the_seams_touch_the_process_environment_and_disk() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for file in walk(&src) {
        let name = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        // native_roots.rs reads the system's trust store from the process's environment and
        // files, as rustls-native-certs (which it stands in for on Linux) does.
        if name == "os.rs" || name == "test_util.rs" || name == "native_roots.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Unit tests may use the real clock.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for needle in ["std::env::var", "std::fs::", "SystemTime::now()"] {
            assert!(
                !text.contains(needle),
                "{name} uses {needle}: read through crate::os instead"
            );
        }
    }
}

#[test]
fn the_detector_finds_a_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("a".into(), ["b".to_owned()].into());
    graph.insert("b".into(), ["a".to_owned()].into());
    assert_eq!(cycle(&graph).unwrap(), ["a", "b", "a"]);
}
