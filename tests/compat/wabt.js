// wabt.js (the WebAssembly Binary Toolkit compiled with emscripten): parse .wat text to a
// binary, then compile and run it with jsrt's WebAssembly.
const assert = require('node:assert');

require('wabt')().then((wabt) => {
  const mod = wabt.parseWat('add.wat', `(module
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "fac") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
        (else (i64.mul (local.get 0) (call 1 (i64.sub (local.get 0) (i64.const 1))))))))`);
  mod.validate();
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const { add, fac } = new WebAssembly.Instance(new WebAssembly.Module(buffer)).exports;
  assert.strictEqual(add(2, 3), 5);
  assert.strictEqual(fac(20n), 2432902008176640000n);
  assert.throws(() => wabt.parseWat('bad.wat', '(module (func (result i32) i64.const 1)))').toBinary({}));
  console.log('wabt ok');
});
