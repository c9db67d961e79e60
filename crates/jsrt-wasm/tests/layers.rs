//! The crate's files as layers (crates/jsrt-wasm/README.md): no file imports another that
//! imports it back, directly or not (through `crate::` paths and the crate root's re-exports,
//! tests aside), and the instance layers import only downwards.

use std::collections::{BTreeMap, BTreeSet};

/// The layers from instances up (README's picture), bottom first: a file imports none of a
/// layer above its own.
const INSTANCE_LAYERS: &[&[&str]] = &[
    &["instance"],
    &["host", "registry", "foreign", "standalone"],
    &["memory", "global", "table"],
    &["cycles"],
    &["instantiate"],
];

/// Identifiers after `crate::` in `src`.
fn crate_paths(src: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = src;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + 7..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        out.insert(name);
    }
    out
}

/// A file's code without its tests and line comments.
fn code_of(src: &str) -> String {
    let src = src.split("#[cfg(test)]").next().unwrap_or("");
    src.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Each file's imports of other files of the crate.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(dir.join("lib.rs")).unwrap();
    // `pub use file::{A, B};` in the crate root: `crate::A` is file's.
    let mut reexports: BTreeMap<String, String> = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.trim().strip_prefix("pub use ")) {
        let Some((file, names)) = line.trim_end_matches(';').split_once("::") else { continue };
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            reexports.insert(name.trim().to_string(), file.to_string());
        }
    }
    // A file `name.rs`, or a folder `name/` (its files together).
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            if e.path().join("mod.rs").exists() {
                return Some(name);
            }
            name.strip_suffix(".rs").map(str::to_string)
        })
        .filter(|f| f != "lib")
        .collect();
    let source = |f: &str| -> String {
        let folder = dir.join(f);
        if folder.is_dir() {
            let mut parts: Vec<_> = std::fs::read_dir(&folder).unwrap().flatten().map(|e| e.path()).collect();
            parts.sort();
            return parts.iter().map(|p| code_of(&std::fs::read_to_string(p).unwrap())).collect::<Vec<_>>().join("\n");
        }
        code_of(&std::fs::read_to_string(dir.join(format!("{f}.rs"))).unwrap())
    };
    files
        .iter()
        .map(|f| {
            let code = source(f);
            let deps = crate_paths(&code)
                .into_iter()
                .map(|p| reexports.get(&p).cloned().unwrap_or(p))
                .filter(|d| d != f && files.contains(d))
                .collect();
            (f.clone(), deps)
        })
        .collect()
}

/// The files that reach themselves through their imports.
fn in_a_circle(g: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    let reaches = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = g[from].iter().map(String::as_str).collect();
        while let Some(f) = todo.pop() {
            if seen.insert(f.to_string()) {
                todo.extend(g[f].iter().map(String::as_str));
            }
        }
        seen
    };
    g.keys().filter(|f| reaches(f).contains(*f)).cloned().collect()
}

#[test]
fn no_import_circle() {
    let g = graph();
    assert!(g.len() > 20 && g["instance"].contains("module") && g["module"].contains("rewrite"), "the scan finds the files and their imports: {g:?}");
    let circle = in_a_circle(&g);
    assert!(circle.is_empty(), "files in an import circle: {circle:?} (imports: {g:?})");
}

#[test]
fn instance_layers_import_downwards() {
    let g = graph();
    for (k, layer) in INSTANCE_LAYERS.iter().enumerate() {
        let above: BTreeSet<&str> = INSTANCE_LAYERS[k + 1..].iter().flat_map(|l| l.iter().copied()).collect();
        for file in *layer {
            let up: Vec<&String> = g[*file].iter().filter(|d| above.contains(d.as_str())).collect();
            assert!(up.is_empty(), "{file} imports {up:?}, of a layer above its own");
        }
    }
    // The layers below instances import none of them.
    let instance_layers: BTreeSet<&str> = INSTANCE_LAYERS.iter().flat_map(|l| l.iter().copied()).collect();
    for (file, deps) in &g {
        if !instance_layers.contains(file.as_str()) {
            let up: Vec<&String> = deps.iter().filter(|d| instance_layers.contains(d.as_str())).collect();
            assert!(up.is_empty(), "{file} (below instances) imports {up:?}");
        }
    }
}
