// jsrt-flags: --wasm-tier=interp
// (Interpreted in both passes of ./x test: the limits are the JS API's, checked when a module is
// validated and loaded; the compiled tier would add only LLVM time, waited for up to 5 s per
// module, which pushed this test past its 120 s on CI's two busy cores.)
// The JS API's implementation-defined limits (WebAssembly JS API spec, "Implementation-defined
// Limits"), at full size: a module *at* each limit validates and compiles, one past it does
// not (validate() is false, compiling is a CompileError, also asynchronously). The modules
// are built by fixtures/limit-modules.js. Node 20 gives the same answers except for imports
// and exports (V8 11 keeps the older limit of 100,000) and validate() of a module over 1 GiB
// (a RangeError).
// bench/limits/ measures how compile time grows with each (linearly).
const assert = require('jsrt:assert');
const { LIMITS, BUILDERS, moduleOfSize, tableModule } = require('./fixtures/limit-modules.js');

const pending = [];
for (const [name, build] of Object.entries(BUILDERS)) {
  const limit = LIMITS[name];
  let at = build(limit);
  assert.strictEqual(WebAssembly.validate(at), true, `${name}: validate at the limit (${limit})`);
  assert.ok(new WebAssembly.Module(at) instanceof WebAssembly.Module, `${name}: compile at the limit`);
  at = null;
  const over = build(limit + 1);
  assert.strictEqual(WebAssembly.validate(over), false, `${name}: validate over the limit`);
  assert.throws(() => new WebAssembly.Module(over), WebAssembly.CompileError, `${name}: compile over the limit`);
  pending.push(WebAssembly.compile(over).then(
    () => assert.fail(`${name}: async compile over the limit resolved`),
    (e) => assert.ok(e instanceof WebAssembly.CompileError, `${name}: async compile over the limit: ${e}`)));
}

// A function over the fast interpreter's frame (more than 32,767 cells of locals) compiles
// and traps when called, naming itself (crates/jsrt-wasm/src/bigframe.rs).
{
  const m = new WebAssembly.Module(BUILDERS.locals(LIMITS.locals));
  assert.strictEqual(WebAssembly.Module.exports(m).length, 0);
}

// Table sizes: a table may be declared larger than 10,000,000 elements (it validates and
// compiles) but not created; a maximum above the limit is fine, growing past it is not.
assert.throws(() => new WebAssembly.Table({ element: 'anyfunc', initial: LIMITS.tableSize + 1 }), RangeError);
assert.strictEqual(new WebAssembly.Table({ element: 'anyfunc', initial: LIMITS.tableSize }).length, LIMITS.tableSize);
const t = new WebAssembly.Table({ element: 'anyfunc', initial: 1, maximum: LIMITS.tableSize + 1 });
assert.throws(() => t.grow(LIMITS.tableSize), RangeError);
const tooBig = tableModule(LIMITS.tableSize + 1);
assert.strictEqual(WebAssembly.validate(tooBig), true);
const tooBigModule = new WebAssembly.Module(tooBig);
assert.throws(() => new WebAssembly.Instance(tooBigModule), RangeError);
pending.push(WebAssembly.instantiate(tooBig).then(() => assert.fail('instantiated'), (e) => assert.ok(e instanceof RangeError, String(e))));
assert.strictEqual(new WebAssembly.Instance(new WebAssembly.Module(tableModule(1, LIMITS.tableSize + 1))).exports.grow(), -1);

// Module size: 1 GiB (one custom section) compiles; one byte more does not.
{
  let big = moduleOfSize(LIMITS.moduleSize);
  assert.strictEqual(WebAssembly.validate(big), true);
  assert.ok(new WebAssembly.Module(big) instanceof WebAssembly.Module);
  big = null;
  const over = moduleOfSize(LIMITS.moduleSize + 1);
  assert.strictEqual(WebAssembly.validate(over), false);
  assert.throws(() => new WebAssembly.Module(over), WebAssembly.CompileError);
}

Promise.all(pending).then(() => console.log('spec limits ok'));
