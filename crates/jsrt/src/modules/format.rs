//! Whether a file is an ES module or CommonJS, decided as Node (v20.19 and later) decides it:
//! `.mjs` is ESM, `.cjs` CommonJS; any other file follows the `"type"` of the nearest
//! `package.json` (`"module"` or `"commonjs"`); without one, the file is CommonJS unless it
//! fails to parse as CommonJS *and* parses as an ES module (module syntax: `import`/`export`
//! statements, `import.meta`, top-level `await`). Only the parser decides: text that merely
//! looks like module syntax (in a string, a template or a comment) changes nothing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rquickjs::{qjs, Ctx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Esm,
    CommonJs,
}

thread_local! {
    /// Directory -> the "type" of the package.json that governs it (None: none, or no type).
    static PACKAGE_TYPES: RefCell<HashMap<PathBuf, Option<Format>>> = RefCell::new(HashMap::new());
    /// File -> its format, once decided.
    static FILES: RefCell<HashMap<PathBuf, Format>> = RefCell::new(HashMap::new());
}

/// The format of the file at `path` whose text is `source`.
pub fn of_file(ctx: &Ctx<'_>, path: &Path, source: &str) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("mjs") => return Format::Esm,
        Some("cjs") => return Format::CommonJs,
        _ => {}
    }
    if let Some(known) = FILES.with(|f| f.borrow().get(path).copied()) {
        return known;
    }
    let format = path.parent().and_then(package_type).unwrap_or_else(|| detect(ctx, source));
    FILES.with(|f| f.borrow_mut().insert(path.to_path_buf(), format));
    format
}

/// The `"type"` of the nearest package.json at or above `dir` (the search stops at the first
/// package.json, with or without a type, as Node's does).
fn package_type(dir: &Path) -> Option<Format> {
    if let Some(known) = PACKAGE_TYPES.with(|p| p.borrow().get(dir).copied()) {
        return known;
    }
    let found = match std::fs::read_to_string(dir.join("package.json")) {
        Ok(text) => match serde_json::from_str::<serde_json::Value>(&text).ok().as_ref().and_then(|j| j.get("type")).and_then(|t| t.as_str()) {
            Some("module") => Some(Format::Esm),
            Some("commonjs") => Some(Format::CommonJs),
            _ => None,
        },
        Err(_) => dir.parent().and_then(package_type),
    };
    PACKAGE_TYPES.with(|p| p.borrow_mut().insert(dir.to_path_buf(), found));
    found
}

/// The format of code without a package type: CommonJS unless it needs module syntax.
pub fn detect(ctx: &Ctx<'_>, source: &str) -> Format {
    if !mentions_module_syntax(source) || parses_as_commonjs(ctx, source) {
        return Format::CommonJs;
    }
    if parses_as_module(source) {
        Format::Esm
    } else {
        Format::CommonJs
    }
}

/// Whether the words that module syntax needs (`import`, `export`, `await`) occur at all: a
/// quick filter so that most CommonJS files are not parsed twice. `exports` and other longer
/// identifiers do not count.
fn mentions_module_syntax(source: &str) -> bool {
    let bytes = source.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    ["import", "export", "await"].iter().any(|word| {
        source.match_indices(word).any(|(i, _)| {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + word.len()).copied();
            !before.is_some_and(|b| ident(b) || b == b'.') && !after.is_some_and(ident)
        })
    })
}

/// Whether `source` compiles as the body of a CommonJS module: the wrapper that `require`
/// compiles it in (`builtins::compile_function`, which makes the function without running
/// it). A syntax error is cleared.
fn parses_as_commonjs(ctx: &Ctx<'_>, source: &str) -> bool {
    let body = source.strip_prefix("#!").map(|s| format!("//{s}")).unwrap_or_else(|| source.to_string());
    let params = ["exports", "require", "module", "__filename", "__dirname"];
    let ok = crate::builtins::compile_function(ctx, &body, "<module format detection>", &params).is_ok();
    if !ok {
        let _ = ctx.catch();
    }
    ok
}

/// Whether `source` compiles as an ES module. In a throwaway runtime: QuickJS registers a
/// compiled module with its context, where it could not be removed again.
fn parses_as_module(source: &str) -> bool {
    use rquickjs::context::intrinsic::{Eval, RegExpCompiler};
    let Ok(rt) = rquickjs::Runtime::new() else { return false };
    // Only what parsing needs: eval (for JS_Eval) and the RegExp compiler (for /literals/).
    let Ok(context) = rquickjs::Context::custom::<(Eval, RegExpCompiler)>(&rt) else { return false };
    let text = format!("{source}\0");
    context.with(|ctx| {
        let mut opts = qjs::JSEvalOptions {
            version: qjs::JS_EVAL_OPTIONS_VERSION as _,
            eval_flags: (qjs::JS_EVAL_TYPE_MODULE | qjs::JS_EVAL_FLAG_COMPILE_ONLY) as _,
            filename: c"<module format detection>".as_ptr(),
            line_num: 1,
        };
        // SAFETY: the throwaway context is live; `text` is NUL-terminated and outlives the
        // call; the exception is owned by the Value made of it, and a compiled module goes
        // with the runtime.
        unsafe {
            let c = ctx.as_raw().as_ptr();
            let compiled = qjs::JS_Eval2(c, text.as_ptr() as *const _, (text.len() - 1) as _, &mut opts);
            if !qjs::JS_IsException(compiled) {
                return true;
            }
            // Compiling loads the modules it imports, which this runtime cannot: that error
            // comes after the parse succeeded. Only a SyntaxError means it failed.
            let e = rquickjs::Value::from_raw(ctx.clone(), qjs::JS_GetException(c));
            e.as_object().and_then(|o| o.get::<_, String>("name").ok()).as_deref() != Some("SyntaxError")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_words_count() {
        assert!(mentions_module_syntax("import x from 'y'"));
        assert!(mentions_module_syntax("const a = 1;\nexport { a };"));
        assert!(mentions_module_syntax("await f()"));
        assert!(!mentions_module_syntax("module.exports = { importer: 1, reexport: 2 };"));
        assert!(!mentions_module_syntax("exports.x = awaited;"));
        assert!(!mentions_module_syntax("a.import = 1; a.export = 2"));
    }

    #[test]
    fn the_parser_decides() {
        let rt = rquickjs::Runtime::new().unwrap();
        let context = rquickjs::Context::full(&rt).unwrap();
        context.with(|ctx| {
            assert_eq!(detect(&ctx, "import x from './y.js';"), Format::Esm);
            assert_eq!(detect(&ctx, "const a = 1;\nexport const b = 2;"), Format::Esm);
            assert_eq!(detect(&ctx, "console.log(import.meta.url)"), Format::Esm);
            assert_eq!(detect(&ctx, "await Promise.resolve(1);"), Format::Esm);
            assert_eq!(detect(&ctx, "const m = await import('./x.mjs');"), Format::Esm);
            assert_eq!(detect(&ctx, "module.exports = { importer: 1 };"), Format::CommonJs);
            assert_eq!(detect(&ctx, "/*\nimport x from 'y'\n*/\nrequire('z')"), Format::CommonJs);
            assert_eq!(detect(&ctx, "const t = `\nexport const x = 1;\n`;\nmodule.exports = t;"), Format::CommonJs);
            assert_eq!(detect(&ctx, "// import.meta\nconst s = 'import.meta';\nexports.s = s;"), Format::CommonJs);
            assert_eq!(detect(&ctx, "import('./x.js').then(() => {});"), Format::CommonJs);
            assert_eq!(detect(&ctx, "async function f() { await 1 }\nreturn 5;"), Format::CommonJs);
            // Broken either way: CommonJS, whose error the user then sees.
            assert_eq!(detect(&ctx, "const = ;"), Format::CommonJs);
            // No exception left behind: the context still evaluates.
            assert_eq!(ctx.eval::<i32, _>("1 + 1").unwrap(), 2);
        });
    }
}
