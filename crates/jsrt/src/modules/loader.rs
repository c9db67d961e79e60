//! QuickJS's ES module resolver and loader: builtins (`jsrt:*`), ES module files, JSON
//! modules, CommonJS files imported from ESM (their `module.exports` is the default export and
//! its keys named exports) and `import.meta` (`url`, `filename`, `dirname`, `main`, `resolve`).

use rquickjs::loader::{ImportAttributes, Loader, Resolver};
use rquickjs::module::Declared;
use rquickjs::{Ctx, Function, Module, Object};

use super::format::{self, Format};
use super::resolve::{resolve, Kind};
use crate::{builtins, event_loop};

pub struct JsrtResolver;
pub struct JsrtLoader;

impl Resolver for JsrtResolver {
    fn resolve<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        base: &str,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<String> {
        match resolve(name, base, Kind::Import) {
            Ok(r) => Ok(r.key()),
            Err(e) => {
                let err = builtins::make_error(ctx, "Error", &e.message, Some(e.code))?;
                Err(ctx.throw(err))
            }
        }
    }
}

/// A valid JS identifier that can be a named export of a synthetic module.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && !matches!(s, "default" | "await" | "yield" | "let" | "static" | "enum" | "implements"
            | "package" | "protected" | "interface" | "private" | "public" | "class" | "const"
            | "function" | "var" | "new" | "delete" | "typeof" | "void" | "in" | "instanceof"
            | "if" | "else" | "for" | "while" | "do" | "return" | "break" | "continue" | "switch"
            | "case" | "throw" | "try" | "catch" | "finally" | "with" | "debugger" | "this"
            | "super" | "import" | "export" | "extends" | "null" | "true" | "false")
}

/// Source of a module re-exporting a CommonJS-style value obtained through `getter`
/// (a JS expression), with `keys` as named exports.
fn reexport_source(getter: &str, keys: &[String]) -> String {
    let mut src = format!("const m = {getter};\nexport default m;\n");
    for k in keys.iter().filter(|k| is_identifier(k)) {
        src.push_str(&format!("export const {k} = m.{k};\n"));
    }
    src
}

/// Sets `import.meta` for a module keyed by an absolute path.
fn set_meta<'js>(ctx: &Ctx<'js>, meta: &Object<'js>, key: &str) -> rquickjs::Result<()> {
    let path = std::path::Path::new(key);
    let url = url::Url::from_file_path(path)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| format!("file://{key}"));
    meta.set("url", url)?;
    meta.set("filename", key)?;
    meta.set(
        "dirname",
        path.parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default(),
    )?;
    let resolve_fn: Function = event_loop::hook(ctx, "metaResolve", (key,))?;
    meta.set("resolve", resolve_fn)?;
    Ok(())
}

/// Declares an ES module from source and sets its `import.meta`.
pub fn declare_esm<'js>(
    ctx: &Ctx<'js>,
    key: &str,
    source: String,
) -> rquickjs::Result<Module<'js, Declared>> {
    let module = Module::declare(ctx.clone(), key, strip_hashbang(source))?;
    // rquickjs's `meta()` is generic over the module state, so it works before evaluation.
    if let Ok(meta) = module.meta() {
        set_meta(ctx, &meta, key)?;
        let is_main: bool = event_loop::hook(ctx, "isMainModule", (key,)).unwrap_or(false);
        meta.set("main", is_main)?;
    }
    Ok(module)
}

fn strip_hashbang(source: String) -> String {
    if source.starts_with("#!") {
        // Keep the line so line numbers stay right.
        let end = source.find('\n').unwrap_or(source.len());
        format!("//{}", &source[2.min(end)..])
    } else {
        source
    }
}

fn throw_error<'js>(ctx: &Ctx<'js>, msg: &str, code: Option<&str>) -> rquickjs::Error {
    match builtins::make_error(ctx, "Error", msg, code) {
        Ok(e) => ctx.throw(e),
        Err(e) => e,
    }
}

impl Loader for JsrtLoader {
    fn load<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        name: &str,
        attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<Module<'js, Declared>> {
        if let Some(builtin) = name.strip_prefix("jsrt:") {
            let keys: Vec<String> = event_loop::hook(ctx, "builtinKeys", (builtin,))?;
            let getter = format!(
                "globalThis[Symbol.for('jsrt.internal')].requireBuiltin({})",
                serde_json::to_string(builtin).unwrap_or_default()
            );
            return Module::declare(ctx.clone(), name, reexport_source(&getter, &keys));
        }
        let path = std::path::Path::new(name);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let want_json = attributes
            .as_ref()
            .and_then(|a| a.get_type().ok().flatten())
            .is_some_and(|t| t == "json");
        if ext == "wasm" {
            let src = format!(
                "const ns = await globalThis[Symbol.for('jsrt.internal')].importWasm({});\n",
                serde_json::to_string(name).unwrap_or_default()
            );
            let keys: Vec<String> = event_loop::hook(ctx, "wasmExportNames", (name,))?;
            let mut src = src;
            for k in keys.iter().filter(|k| is_identifier(k)) {
                src.push_str(&format!("export const {k} = ns.{k};\n"));
            }
            return Module::declare(ctx.clone(), name, src);
        }
        let source = std::fs::read_to_string(path)
            .map_err(|e| throw_error(ctx, &format!("Cannot read module '{name}': {e}"), None))?;
        if ext == "json" || want_json {
            // Validate first so a bad file reports a JSON error, then export the parsed value.
            ctx.json_parse(source.clone())?;
            return Module::declare(ctx.clone(), name, format!("export default {source};"));
        }
        if format::of_file(ctx, path, &source) == Format::Esm {
            return declare_esm(ctx, name, source);
        }
        // CommonJS imported from ESM: require it now and re-export.
        let keys: Vec<String> = event_loop::hook(ctx, "cjsExportNames", (name,))?;
        let getter = format!(
            "globalThis[Symbol.for('jsrt.internal')].requireFile({})",
            serde_json::to_string(name).unwrap_or_default()
        );
        Module::declare(ctx.clone(), name, reexport_source(&getter, &keys))
    }
}
