//! Module specifier resolution shared by `import` and `require`: builtins (`jsrt:x`, `node:x`,
//! bare `fs`), relative and absolute paths, `file:` URLs, extension and index lookup, and
//! `node_modules` packages (`main`/`exports["."]` of package.json).

use std::path::{Component, Path, PathBuf};

/// Builtin modules; each is reachable as `jsrt:NAME`, `node:NAME` and bare `NAME`.
pub const BUILTINS: &[&str] = &[
    "assert", "assert/strict", "fs", "fs/promises", "path", "process", "url", "util", "events",
    "crypto", "buffer", "timers", "os", "wasi", "module", "string_decoder", "querystring", "tty",
    "perf_hooks", "util/types", "zlib", "child_process", "stream", "stream/promises",
    "readline", "readline/promises", "async_hooks", "worker_threads", "http", "https", "stream/web",
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

fn package_main(dir: &Path) -> Option<PathBuf> {
    use serde_json::Value;
    let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
    let json: Value = serde_json::from_str(&text).ok()?;
    // "exports": "./x" | {".": "./x" | {conditions}} with CommonJS-first conditions, else "main".
    fn pick(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => {
                if let Some(dot) = o.get(".") {
                    return pick(dot);
                }
                ["require", "node", "default", "import"].iter().find_map(|k| o.get(*k).and_then(pick))
            }
            _ => None,
        }
    }
    let target = json
        .get("exports")
        .and_then(pick)
        .or_else(|| json.get("main").and_then(|m| m.as_str().map(str::to_string)))?;
    let p = dir.join(target);
    as_file(&p).or_else(|| as_file(&p.join("index")))
}

fn as_directory(p: &Path) -> Option<PathBuf> {
    if !p.is_dir() {
        return None;
    }
    package_main(p).or_else(|| as_file(&p.join("index")))
}

/// Resolves `spec` imported from the module keyed `base`. The error is Node's message.
pub fn resolve(spec: &str, base: &str) -> Result<Resolved, String> {
    if let Some(b) = builtin_name(spec) {
        return Ok(Resolved::Builtin(b.to_string()));
    }
    if spec.starts_with("jsrt:") || spec.starts_with("node:") {
        return Err(format!("No such built-in module: {spec}"));
    }
    let not_found = || {
        let from = if base.is_empty() { "<main>".to_string() } else { base.to_string() };
        format!("Cannot find module '{spec}' imported from {from}")
    };
    let path = if spec.starts_with("file:") {
        url::Url::parse(spec).ok().and_then(|u| u.to_file_path().ok()).ok_or_else(not_found)?
    } else if spec.starts_with('/') {
        PathBuf::from(spec)
    } else if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
        base_dir(base).join(spec)
    } else {
        // A bare package name: walk up node_modules directories.
        let mut dir = Some(base_dir(base));
        while let Some(d) = dir {
            let candidate = d.join("node_modules").join(spec);
            if let Some(f) = as_file(&candidate).or_else(|| as_directory(&candidate)) {
                return Ok(Resolved::File(normalize(&f)));
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        return Err(not_found());
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
        assert_eq!(resolve("jsrt:assert", "/x.js"), Ok(Resolved::Builtin("assert".into())));
        assert_eq!(resolve("node:fs", "/x.js"), Ok(Resolved::Builtin("fs".into())));
        assert_eq!(resolve("path", "/x.js"), Ok(Resolved::Builtin("path".into())));
        assert!(resolve("jsrt:nope", "/x.js").unwrap_err().contains("No such built-in"));
    }

    #[test]
    fn files_and_indexes() {
        let dir = std::env::temp_dir().join(format!("jsrt-resolve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("lib")).unwrap();
        std::fs::write(dir.join("a.js"), "").unwrap();
        std::fs::write(dir.join("lib/index.js"), "").unwrap();
        let base = dir.join("main.js").to_string_lossy().into_owned();
        assert_eq!(resolve("./a", &base), Ok(Resolved::File(dir.join("a.js"))));
        assert_eq!(resolve("./lib", &base), Ok(Resolved::File(dir.join("lib/index.js"))));
        assert_eq!(resolve("./lib/../a.js", &base), Ok(Resolved::File(dir.join("a.js"))));
        let err = resolve("./missing", &base).unwrap_err();
        assert!(err.contains("'./missing'") && err.contains(&base), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

}
