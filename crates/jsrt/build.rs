//! Precompiles jsrt's builtin JavaScript to QuickJS bytecode, so starting a process does not
//! parse it (parsing the bootstrap was most of jsrt's start-up time).
//!
//! The builtin sources are the `(name, include_str!("file"))` entries of `JS_SOURCES` in
//! `src/builtins/mod.rs` and `src/webassembly/mod.rs`; this script reads those two lists, wraps
//! every source exactly as `builtins::compile_function` does (same parameters, same file name
//! `jsrt:NAME` in stack traces), compiles it with the same QuickJS (the `rquickjs` version is
//! pinned in both places) and writes `OUT_DIR/bytecode.rs`: `(name, bytes)` pairs. At run time
//! a builtin whose bytecode does not load falls back to compiling its source.

use std::fmt::Write as _;
use std::path::Path;

use rquickjs::{qjs, Context, Runtime};

/// (name, file) pairs of a `JS_SOURCES` list.
fn entries(list_file: &Path) -> Vec<(String, std::path::PathBuf)> {
    let text = std::fs::read_to_string(list_file).expect("read the JS_SOURCES list");
    let dir = list_file.parent().expect("a directory");
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("(\"") else { continue };
        let Some((name, rest)) = rest.split_once('"') else { continue };
        let Some(file) = rest.split("include_str!(\"").nth(1).and_then(|r| r.split('"').next()) else { continue };
        out.push((name.to_string(), dir.join(file)));
    }
    out
}

fn main() {
    // At run time, not env!(): a build script binary is shared by checkouts that share a target
    // directory, and must read the sources of the checkout being built.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir);
    let lists = [root.join("src/builtins/mod.rs"), root.join("src/webassembly/mod.rs")];
    let mut sources = Vec::new();
    for l in &lists {
        println!("cargo:rerun-if-changed={}", l.display());
        sources.extend(entries(l));
    }
    assert!(sources.iter().any(|(n, _)| n == "bootstrap"), "the bootstrap is in JS_SOURCES");
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let rt = Runtime::new().expect("a QuickJS runtime");
    let ctx = Context::full(&rt).expect("a QuickJS context");
    let mut table = String::from("/// (builtin name, QuickJS bytecode), made by build.rs.\npub static BYTECODE: &[(&str, &[u8])] = &[\n");
    ctx.with(|ctx| {
        for (k, (name, file)) in sources.iter().enumerate() {
            println!("cargo:rerun-if-changed={}", file.display());
            let body = std::fs::read_to_string(file).expect("read a builtin source");
            // Must match builtins::compile_function and the parameters the bootstrap passes.
            let params = if name == "bootstrap" { "native" } else { "exports, require, module, native, internal" };
            let src = format!("(function ({params}) {{\n{body}\n}})\0");
            let fname = std::ffi::CString::new(format!("jsrt:{name}")).expect("no NUL");
            let mut opts = qjs::JSEvalOptions {
                version: qjs::JS_EVAL_OPTIONS_VERSION as _,
                eval_flags: (qjs::JS_EVAL_TYPE_GLOBAL | qjs::JS_EVAL_FLAG_COMPILE_ONLY) as _,
                filename: fname.as_ptr(),
                line_num: 1,
            };
            // SAFETY: `src` is NUL-terminated and outlives the calls; the context is live; the
            // compiled object and the written buffer are freed here.
            let bytes = unsafe {
                let c = ctx.as_raw().as_ptr();
                let obj = qjs::JS_Eval2(c, src.as_ptr() as *const _, (src.len() - 1) as _, &mut opts);
                if qjs::JS_IsException(obj) {
                    panic!("{name}: does not compile");
                }
                let mut len: qjs::size_t = 0;
                let buf = qjs::JS_WriteObject(c, &mut len, obj, qjs::JS_WRITE_OBJ_BYTECODE as _);
                qjs::JS_FreeValue(c, obj);
                assert!(!buf.is_null(), "{name}: cannot write bytecode");
                let bytes = std::slice::from_raw_parts(buf, len as usize).to_vec();
                qjs::js_free(c, buf as *mut _);
                bytes
            };
            let path = Path::new(&out_dir).join(format!("builtin{k}.qbc"));
            std::fs::write(&path, bytes).expect("write bytecode");
            let _ = writeln!(table, "    ({name:?}, include_bytes!({:?})),", path.display().to_string());
        }
    });
    table.push_str("];\n");
    std::fs::write(Path::new(&out_dir).join("bytecode.rs"), table).expect("write bytecode.rs");
}
