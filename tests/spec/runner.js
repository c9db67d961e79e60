// Executes the spec-test commands of one .wast file (JSON, made by crates/jsrt/tests/spec.rs)
// against the WebAssembly JS API, like the spec's own JS harness, and prints one JSON line per
// assertion: {line, status: "pass"|"fail"|"skip", why}. Not a test by itself (it lives in
// tests/spec/ and is run by the spec test with a command file).
'use strict';
const fs = require('jsrt:fs');

const cmds = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const externrefs = new Map();
const externref = (n) => {
  if (!externrefs.has(n)) externrefs.set(n, { externref: n });
  return externrefs.get(n);
};

function spectest() {
  const noop = () => {};
  const host = {
    print: noop, print_i32: noop, print_i64: noop, print_f32: noop, print_f64: noop,
    print_i32_f32: noop, print_f64_f64: noop,
    global_i32: 666, global_i64: 666n, global_f32: Math.fround(666.6), global_f64: 666.6,
    memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
    shared_memory: new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }),
  };
  if (typeof WebAssembly.Table === 'function') {
    host.table = new WebAssembly.Table({ initial: 10, maximum: 20, element: 'anyfunc' });
  }
  return host;
}

const registry = { spectest: spectest() };
const named = {};
let current;
const importObject = new Proxy({}, { get: (_, name) => registry[name] });

// Failures that are WAMR's, not jsrt's: the message jsrt or WAMR gives, and what to report.
const WAMR_LIMITS = [
  [/multiple memories/, 'WAMR limitation: multi-memory cannot be enabled with the fast interpreter (build-scripts/unsupported_combination.cmake)'],
  [/gc feature|function references required/, 'WAMR limitation: GC and typed function references are not enabled in this WAMR build (wamrx-sys without the gc feature)'],
];
let wamrSkip = null; // set once a module of this file was skipped for a WAMR limitation

function wamrLimit(e) {
  const text = describe(e);
  const hit = WAMR_LIMITS.find(([re]) => re.test(text));
  return hit ? hit[1] : null;
}

function report(line, status, why) {
  if (status === 'fail' && wamrSkip !== null) {
    status = 'skip';
    why = `depends on a module skipped for a WAMR limitation (line ${wamrSkip.line}): ${wamrSkip.why}`;
  }
  console.log(JSON.stringify({ line, status, why: why === undefined ? undefined : normalize(String(why)) }));
}

// Reasons are grouped in docs/conformance.md, so take out what differs per assertion.
function normalize(why) {
  return why
    .replace(/Import #\d+ "[^"]*" "[^"]*"/g, 'Import')
    .replace(/Import #\d+ "[^"]*"/g, 'Import')
    .replace(/line \d+/g, 'line N')
    .slice(0, 200);
}

function bytes(b64) {
  return Buffer.from(b64, 'base64');
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

class Skip extends Error {}
// ToWebAssemblyValue gives an implementation-defined NaN for a NaN number (JS API spec), so an
// argument's NaN sign and payload cannot be chosen from JS.
let nanArgument = false; // set by value() for the assertion being run
const NAN_ARG = 'NaN argument with a sign or payload: ToWebAssemblyValue makes an implementation-defined NaN';

function value(v) {
  switch (v.type) {
    case 'i32': return Number(v.value) | 0;
    case 'i64': return BigInt(v.value);
    case 'f32':
      u32[0] = Number(v.bits);
      if (Number.isNaN(f32[0]) && u32[0] !== 0x7fc00000) nanArgument = true;
      return f32[0];
    case 'f64':
      u64[0] = BigInt(v.bits);
      if (Number.isNaN(f64[0]) && u64[0] !== 0x7ff8000000000000n) nanArgument = true;
      return f64[0];
    case 'ref.null': return null;
    case 'ref.extern': return externref(v.value);
    case 'v128': throw new Skip('v128 values cannot cross the JS boundary (the JS API throws TypeError)');
    default: throw new Skip(`value type ${v.type} is not expressible in the JS API`);
  }
}

function matches(actual, e) {
  switch (e.type) {
    case 'i32': return actual === (Number(e.value) | 0);
    case 'i64': return actual === BigInt.asIntN(64, BigInt(e.value));
    case 'f32': {
      if (e.nan) return Number.isNaN(actual);
      u32[0] = Number(e.bits);
      return Number.isNaN(f32[0]) ? Number.isNaN(actual) : Object.is(actual, f32[0]);
    }
    case 'f64': {
      if (e.nan) return Number.isNaN(actual);
      u64[0] = BigInt(e.bits);
      return Number.isNaN(f64[0]) ? Number.isNaN(actual) : Object.is(actual, f64[0]);
    }
    case 'ref.null': return actual === null;
    case 'ref.extern': return actual === externref(e.value);
    case 'ref.func': return typeof actual === 'function';
    case 'either': return e.values.some((x) => matches(actual, x));
    case 'v128': throw new Skip('v128 values cannot cross the JS boundary (the JS API throws TypeError)');
    default: throw new Skip(`result type ${e.type} is not expressible in the JS API`);
  }
}

function target(name) {
  const t = name ? named[name] : current;
  if (!t) throw new Error('no module instance to act on');
  if (t.limit) throw new Skip(t.limit);
  if (t.error) throw new Error(`the module failed to load: ${t.error}`);
  return t.instance;
}

function act(a) {
  const inst = target(a.module);
  if (a.type === 'get') {
    const g = inst.exports[a.field];
    return g instanceof WebAssembly.Global ? g.value : g;
  }
  const f = inst.exports[a.field];
  if (typeof f !== 'function') throw new Error(`no exported function "${a.field}"`);
  return f(...a.args.map(value));
}

// The JS API itself throws TypeError for a call whose signature has v128 (ToJSValue and
// ToWebAssemblyValue are undefined for it): such an assertion cannot be run through JS.
function isV128Boundary(e) {
  return e instanceof TypeError && /type incompatibility when transforming from\/to JS/.test(e.message);
}
const V128_SKIP = 'v128 in the signature: the JS API throws TypeError for such calls';

function describe(e) {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function expectThrow(line, fn, accept, what) {
  let threw;
  try {
    fn();
  } catch (e) {
    if (e instanceof Skip) return report(line, 'skip', e.message);
    if (isV128Boundary(e)) return report(line, 'skip', V128_SKIP);
    threw = e;
  }
  if (threw === undefined) return report(line, 'fail', `expected ${what}, nothing was thrown`);
  if (accept.some((E) => threw instanceof E)) return report(line, 'pass');
  report(line, 'fail', `expected ${what}, got ${describe(threw)}`);
}

for (const c of cmds) {
  const line = c.line;
  try {
    switch (c.cmd) {
      case 'module': {
        let entry;
        if (c.error) {
          entry = { error: `does not encode: ${c.error}` };
        } else {
          try {
            entry = { instance: new WebAssembly.Instance(new WebAssembly.Module(bytes(c.wasm)), importObject) };
          } catch (e) {
            const limit = wamrLimit(e);
            entry = { error: describe(e), limit };
            if (limit) {
              report(line, 'skip', limit);
              if (wamrSkip === null) wamrSkip = { line, why: limit };
            } else {
              report(line, 'fail', `module did not instantiate: ${describe(e)}`);
            }
          }
        }
        current = entry;
        if (c.name) named[c.name] = entry;
        break;
      }
      case 'register': {
        const t = c.module ? named[c.module] : current;
        if (t && t.instance) registry[c.as] = t.instance.exports;
        break;
      }
      case 'action':
        try {
          act(c.action);
        } catch (e) {
          if (!(e instanceof Skip) && !isV128Boundary(e)) report(line, 'fail', `action threw ${describe(e)}`);
        }
        break;
      case 'assert_return': {
        nanArgument = false;
        let result;
        try {
          result = act(c.action);
        } catch (e) {
          if (e instanceof Skip) { report(line, 'skip', e.message); break; }
          if (isV128Boundary(e)) { report(line, 'skip', V128_SKIP); break; }
          report(line, 'fail', `threw ${describe(e)}`);
          break;
        }
        const exp = c.expected;
        let ok;
        try {
          if (exp.length === 0) ok = result === undefined;
          else if (exp.length === 1) ok = matches(result, exp[0]);
          else ok = Array.isArray(result) && result.length === exp.length && exp.every((e, i) => matches(result[i], e));
        } catch (e) {
          if (e instanceof Skip) { report(line, 'skip', e.message); break; }
          throw e;
        }
        if (!ok && nanArgument) report(line, 'skip', NAN_ARG);
        else report(line, ok ? 'pass' : 'fail', ok ? undefined : 'wrong result');
        break;
      }
      case 'assert_trap':
        expectThrow(line, () => act(c.action), [WebAssembly.RuntimeError], `RuntimeError (${c.text})`);
        break;
      case 'assert_exhaustion':
        expectThrow(line, () => act(c.action), [RangeError, WebAssembly.RuntimeError], 'stack exhaustion');
        break;
      case 'assert_uninstantiable':
        expectThrow(line, () => new WebAssembly.Instance(new WebAssembly.Module(bytes(c.wasm)), importObject), [WebAssembly.RuntimeError], `RuntimeError at instantiation (${c.text})`);
        break;
      case 'assert_invalid':
      case 'assert_malformed':
        expectThrow(line, () => new WebAssembly.Module(bytes(c.wasm)), [WebAssembly.CompileError], `CompileError (${c.text})`);
        break;
      case 'assert_unlinkable':
        expectThrow(line, () => new WebAssembly.Instance(new WebAssembly.Module(bytes(c.wasm)), importObject), [WebAssembly.LinkError, TypeError], `LinkError (${c.text})`);
        break;
      case 'wrapped': {
        // A v128 assertion checked inside wasm by an added export (crates/jsrt/tests/spec/v128.rs).
        const run = () => target(c.module).exports[c.wrapper]();
        if (c.kind === 'trap') {
          expectThrow(line, run, [WebAssembly.RuntimeError], `RuntimeError (${c.text})`);
        } else {
          let r;
          try {
            r = run();
          } catch (e) {
            report(line, 'fail', `threw ${describe(e)}`);
            break;
          }
          report(line, r === 1 ? 'pass' : 'fail', r === 1 ? undefined : 'wrong result (checked in wasm)');
        }
        break;
      }
      case 'skip':
        report(line, 'skip', c.why);
        break;
      default:
        report(line, 'skip', `unknown command ${c.cmd}`);
    }
  } catch (e) {
    report(line, 'fail', `runner error: ${describe(e)}`);
  }
}
console.log(JSON.stringify({ done: true }));
