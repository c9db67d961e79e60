//! Module specifier resolution shared by `import` and `require`: builtins (`jsrt:x`, `node:x`,
//! bare `fs`), relative and absolute paths, `file:` URLs, extension and index lookup, and
//! `node_modules` packages as Node resolves them: package.json `exports` (subpaths, patterns,
//! conditions in the file's order: "import" for `import`, "require" for `require`, "node" and
//! "default" for both), `imports` (`#name`), self-reference, else `main` and index files.

use std::path::{Component, Path, PathBuf};

/// Builtin modules; each is reachable as `jsrt:NAME`, `node:NAME` and bare `NAME`.
pub const BUILTINS: &[&str] = &[
    "assert", "assert/strict", "fs", "fs/promises", "path", "process", "url", "util", "events",
    "crypto", "buffer", "timers", "os", "wasi", "module", "string_decoder", "querystring", "tty",
    "perf_hooks", "util/types", "zlib", "child_process", "stream", "stream/promises",
    "readline", "readline/promises", "async_hooks", "worker_threads", "http", "https", "stream/web",
    "timers/promises",
];

/// jsrt's own builtins, which Node does not have: only `jsrt:NAME` reaches them (a bare
/// `NAME` stays free for npm packages).
pub const JSRT_ONLY: &[&str] = &["wasm"];

/// A resolved module: a builtin or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Builtin(String),
    File(PathBuf),
}

impl Resolved {
    /// The canonical name QuickJS keys modules by: `jsrt:NAME` or the absolute path.
    pub fn key(&self) -> String {
        match self {
            Resolved::Builtin(n) => format!("jsrt:{n}"),
            Resolved::File(p) => p.to_string_lossy().into_owned(),
        }
    }
}

/// The builtin a specifier names, if any.
pub fn builtin_name(spec: &str) -> Option<&str> {
    if let Some(own) = spec.strip_prefix("jsrt:").and_then(|n| JSRT_ONLY.iter().copied().find(|b| *b == n)) {
        return Some(own);
    }
    let name = spec.strip_prefix("jsrt:").or_else(|| spec.strip_prefix("node:")).unwrap_or(spec);
    BUILTINS.iter().copied().find(|b| *b == name)
}

/// Lexically normalises a path (`a/./b/../c` → `a/c`) without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The directory that relative specifiers in `base` resolve against. `base` is a module key:
/// an absolute file path, a `jsrt:` builtin, or a pseudo-file such as `[eval]`.
fn base_dir(base: &str) -> PathBuf {
    let p = Path::new(base);
    if p.is_absolute() {
        p.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"))
    } else {
        std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"))
    }
}

const EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "json", "wasm"];

fn as_file(p: &Path) -> Option<PathBuf> {
    if p.is_file() {
        return Some(p.to_path_buf());
    }
    for ext in EXTENSIONS {
        let mut s = p.as_os_str().to_owned();
        s.push(".");
        s.push(ext);
        let c = PathBuf::from(s);
        if c.is_file() {
            return Some(c);
        }
    }
    None
}

/// Who asks for a module: `import` (the "import" condition of package.json `exports`) or
/// `require` (the "require" condition). Both also match "node" and "default".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Import,
    Require,
}

impl Kind {
    fn matches(self, condition: &str) -> bool {
        matches!((self, condition), (_, "node" | "default") | (Kind::Import, "import") | (Kind::Require, "require"))
    }
}

/// Why a specifier does not resolve: Node's error code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    pub code: &'static str,
    pub message: String,
}

thread_local! {
    /// package.json files read so far, by folder (None: none there, or not JSON), as Node
    /// caches them: every bare import reads its scope's and its target's.
    static PACKAGE_JSONS: std::cell::RefCell<std::collections::HashMap<PathBuf, Option<std::rc::Rc<serde_json::Value>>>> = Default::default();
}

fn read_package_json(dir: &Path) -> Option<std::rc::Rc<serde_json::Value>> {
    if let Some(known) = PACKAGE_JSONS.with(|p| p.borrow().get(dir).cloned()) {
        return known;
    }
    let json = std::fs::read_to_string(dir.join("package.json")).ok().and_then(|t| serde_json::from_str(&t).ok()).map(std::rc::Rc::new);
    PACKAGE_JSONS.with(|p| p.borrow_mut().insert(dir.to_path_buf(), json.clone()));
    json
}

/// A target of `exports`/`imports` (Node's PACKAGE_TARGET_RESOLVE): a string ("./x", with `*`
/// replaced by `star`), an array (its first entry that resolves) or an object of conditions
/// (the first key, in the file's order, that `kind` matches). `None`: not exported (a null
/// target, or no condition matched).
fn target_of(target: &serde_json::Value, star: Option<&str>, kind: Kind) -> Option<String> {
    use serde_json::Value;
    match target {
        Value::String(t) => Some(match star {
            Some(m) => t.replace('*', m),
            None => t.clone(),
        }),
        Value::Array(list) => list.iter().find_map(|t| target_of(t, star, kind)),
        Value::Object(o) => o.iter().filter(|(k, _)| kind.matches(k)).find_map(|(_, t)| target_of(t, star, kind)),
        _ => None,
    }
}

/// The target `subpath` ("." or "./x", or "#x" for `imports`) maps to in an `exports` or
/// `imports` object (Node's PACKAGE_IMPORTS_EXPORTS_RESOLVE): an exact key, else the pattern
/// key (one `*`) with the longest prefix that matches.
fn mapped(map: &serde_json::Map<String, serde_json::Value>, subpath: &str, kind: Kind) -> Option<String> {
    if let Some(t) = map.get(subpath).filter(|_| !subpath.contains('*')) {
        return target_of(t, None, kind);
    }
    let best = map
        .iter()
        .filter_map(|(key, t)| {
            let (prefix, suffix) = key.split_once('*')?;
            let rest = subpath.strip_prefix(prefix)?.strip_suffix(suffix)?;
            (subpath.len() >= key.len() && !suffix.contains('*')).then_some((prefix.len(), key.len(), rest, t))
        })
        .max_by_key(|(prefix, key, _, _)| (*prefix, *key))?;
    target_of(best.3, Some(best.2), kind)
}

/// `subpath` of the package in `dir` through its `exports` (Node's PACKAGE_EXPORTS_RESOLVE).
fn through_exports(dir: &Path, exports: &serde_json::Value, subpath: &str, kind: Kind) -> Result<PathBuf, ResolveError> {
    let conditions_only = match exports {
        serde_json::Value::Object(o) => !o.keys().any(|k| k.starts_with('.')),
        _ => true,
    };
    let target = if conditions_only {
        (subpath == ".").then(|| target_of(exports, None, kind)).flatten()
    } else {
        mapped(exports.as_object().expect("an object has subpath keys"), subpath, kind)
    };
    let pkg = dir.join("package.json");
    let not_exported = || ResolveError {
        code: "ERR_PACKAGE_PATH_NOT_EXPORTED",
        message: if subpath == "." {
            format!("No \"exports\" main defined in {}", pkg.display())
        } else {
            format!("Package subpath '{subpath}' is not defined by \"exports\" in {}", pkg.display())
        },
    };
    let target = target.ok_or_else(not_exported)?;
    if !target.starts_with("./") {
        return Err(ResolveError { code: "ERR_INVALID_PACKAGE_TARGET", message: format!("Invalid \"exports\" target \"{target}\" defined in the package config {}", pkg.display()) });
    }
    let file = normalize(&dir.join(&target));
    if file.is_file() {
        Ok(file)
    } else {
        Err(ResolveError { code: "ERR_MODULE_NOT_FOUND", message: format!("Cannot find module '{}'", file.display()) })
    }
}

/// A package's entry without `exports`: `main` (as a file, or a folder's index), else index.
fn package_main(dir: &Path) -> Option<PathBuf> {
    let main = read_package_json(dir).and_then(|j| j.get("main").and_then(|m| m.as_str().map(str::to_string)));
    let main = main.map(|m| dir.join(m));
    main.and_then(|p| as_file(&p).or_else(|| as_file(&p.join("index")))).or_else(|| as_file(&dir.join("index")))
}

fn as_directory(p: &Path) -> Option<PathBuf> {
    if !p.is_dir() {
        return None;
    }
    package_main(p)
}

/// A bare specifier's package name and subpath: `@scope/name/x/y` → (`@scope/name`, `./x/y`),
/// `name` → (`name`, `.`).
fn split_package(spec: &str) -> Option<(&str, String)> {
    let name_end = if spec.starts_with('@') {
        let slash = spec.find('/')?;
        spec[slash + 1..].find('/').map_or(spec.len(), |i| slash + 1 + i)
    } else {
        spec.find('/').unwrap_or(spec.len())
    };
    let (name, rest) = spec.split_at(name_end);
    if name.is_empty() || name.starts_with('.') || name.contains('\\') || name.contains('%') {
        return None;
    }
    Some((name, format!(".{rest}")))
}

/// The nearest folder at or above `dir` with a package.json, and that file's contents.
fn package_scope(dir: &Path) -> Option<(PathBuf, std::rc::Rc<serde_json::Value>)> {
    let mut d = Some(dir);
    while let Some(here) = d {
        if here.file_name().is_some_and(|n| n == "node_modules") {
            return None;
        }
        if let Some(json) = read_package_json(here) {
            return Some((here.to_path_buf(), json));
        }
        d = here.parent();
    }
    None
}

/// A bare specifier: the package's own name from inside it (self-reference through its
/// `exports`), else the package in the nearest `node_modules` folder up from `from`.
fn resolve_package(spec: &str, from: &Path, kind: Kind) -> Result<Option<PathBuf>, ResolveError> {
    let Some((name, subpath)) = split_package(spec) else { return Ok(None) };
    if let Some((dir, json)) = package_scope(from) {
        if let (Some(exports), Some(true)) = (json.get("exports"), json.get("name").map(|n| n == name)) {
            return through_exports(&dir, exports, &subpath, kind).map(Some);
        }
    }
    let mut d = Some(from.to_path_buf());
    while let Some(here) = d {
        let dir = here.join("node_modules").join(name);
        if dir.is_dir() {
            if let Some(exports) = read_package_json(&dir).as_ref().and_then(|j| j.get("exports")) {
                return through_exports(&dir, exports, &subpath, kind).map(Some);
            }
            let candidate = dir.join(&subpath);
            if let Some(f) = as_file(&candidate).or_else(|| as_directory(&candidate)) {
                return Ok(Some(f));
            }
        } else if subpath == "." {
            // A file `node_modules/name.js` (CommonJS's LOAD_AS_FILE).
            if let Some(f) = as_file(&dir) {
                return Ok(Some(f));
            }
        }
        d = here.parent().map(Path::to_path_buf);
    }
    Ok(None)
}

/// A `#name` specifier through the `imports` of the package that `from` is in.
fn resolve_import_map(spec: &str, from: &Path, kind: Kind) -> Result<PathBuf, ResolveError> {
    let scope = package_scope(from);
    let target = scope.as_ref().and_then(|(_, json)| json.get("imports")?.as_object().and_then(|m| mapped(m, spec, kind)));
    let not_defined = || ResolveError {
        code: "ERR_PACKAGE_IMPORT_NOT_DEFINED",
        message: match &scope {
            Some((dir, _)) => format!("Package import specifier \"{spec}\" is not defined in package {}", dir.join("package.json").display()),
            None => format!("Package import specifier \"{spec}\" is not defined"),
        },
    };
    let target = target.ok_or_else(not_defined)?;
    let dir = scope.as_ref().map(|(d, _)| d.clone()).expect("a target came from a scope");
    if target.starts_with("./") {
        let file = normalize(&dir.join(&target));
        return if file.is_file() { Ok(file) } else { Err(ResolveError { code: "ERR_MODULE_NOT_FOUND", message: format!("Cannot find module '{}'", file.display()) }) };
    }
    // A bare target: that package, resolved from the importing package.
    resolve_package(&target, &dir, kind)?.ok_or_else(not_defined)
}

/// Resolves `spec` imported (or required, per `kind`) from the module keyed `base`.
pub fn resolve(spec: &str, base: &str, kind: Kind) -> Result<Resolved, ResolveError> {
    if let Some(b) = builtin_name(spec) {
        return Ok(Resolved::Builtin(b.to_string()));
    }
    if spec.starts_with("jsrt:") || spec.starts_with("node:") {
        return Err(ResolveError { code: "ERR_UNKNOWN_BUILTIN_MODULE", message: format!("No such built-in module: {spec}") });
    }
    let not_found = || {
        let from = if base.is_empty() { "<main>".to_string() } else { base.to_string() };
        ResolveError { code: "ERR_MODULE_NOT_FOUND", message: format!("Cannot find module '{spec}' imported from {from}") }
    };
    let with_base = |mut e: ResolveError| {
        if !base.is_empty() && e.code != "ERR_MODULE_NOT_FOUND" {
            e.message = format!("{} imported from {base}", e.message);
        }
        e
    };
    let path = if spec.starts_with("file:") {
        url::Url::parse(spec).ok().and_then(|u| u.to_file_path().ok()).ok_or_else(not_found)?
    } else if spec.starts_with('/') {
        PathBuf::from(spec)
    } else if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
        base_dir(base).join(spec)
    } else if spec.starts_with('#') {
        return resolve_import_map(spec, &base_dir(base), kind).map(|p| Resolved::File(normalize(&p))).map_err(with_base);
    } else {
        return match resolve_package(spec, &base_dir(base), kind).map_err(with_base)? {
            Some(f) => Ok(Resolved::File(normalize(&f))),
            None => Err(not_found()),
        };
    };
    let path = normalize(&path);
    as_file(&path)
        .or_else(|| as_directory(&path))
        .map(|p| Resolved::File(normalize(&p)))
        .ok_or_else(not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins() {
        assert_eq!(resolve("jsrt:assert", "/x.js", Kind::Import), Ok(Resolved::Builtin("assert".into())));
        assert_eq!(resolve("node:fs", "/x.js", Kind::Import), Ok(Resolved::Builtin("fs".into())));
        assert_eq!(resolve("path", "/x.js", Kind::Require), Ok(Resolved::Builtin("path".into())));
        assert!(resolve("jsrt:nope", "/x.js", Kind::Import).unwrap_err().message.contains("No such built-in"));
    }

    #[test]
    fn files_and_indexes() {
        let dir = std::env::temp_dir().join(format!("jsrt-resolve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("lib")).unwrap();
        std::fs::write(dir.join("a.js"), "").unwrap();
        std::fs::write(dir.join("lib/index.js"), "").unwrap();
        let base = dir.join("main.js").to_string_lossy().into_owned();
        assert_eq!(resolve("./a", &base, Kind::Import), Ok(Resolved::File(dir.join("a.js"))));
        assert_eq!(resolve("./lib", &base, Kind::Import), Ok(Resolved::File(dir.join("lib/index.js"))));
        assert_eq!(resolve("./lib/../a.js", &base, Kind::Import), Ok(Resolved::File(dir.join("a.js"))));
        let err = resolve("./missing", &base, Kind::Import).unwrap_err().message;
        assert!(err.contains("'./missing'") && err.contains(&base), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

}
