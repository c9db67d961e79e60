// Wasm frames in stack traces, compared with Node: traps, errors thrown or made in imports
// with wasm below them, calls into another instance, recursion, tail calls, call sites for
// Error.prepareStackTrace. Only the header and the wasm frames are compared (jsrt and Node
// show JS frames a little differently), and the hash in a wasm URL is each engine's own.
'use strict';
const fs = require('fs');
const path = require('path');

const bytes = (name) => fs.readFileSync(path.join(__dirname, 'fixtures/stack', name));
const wasmLines = (stack) =>
  stack.split('\n').filter((l, i) => i === 0 || l.includes('wasm://') || l.includes('wasm-function'))
    .map((l) => l.replace(/(wasm:\/\/wasm\/(?:[\w$.]+-)?)[0-9a-f]{8}/g, '$1HASH'));

function show(label, f) {
  try {
    f();
    console.log(label, 'did not throw');
  } catch (e) {
    // Trap messages are each engine's own wording: the class is compared instead.
    console.log(`--- ${label}: ${e.constructor.name}\n${wasmLines(e.stack).slice(1).join('\n')}`);
  }
}

let inner = null;
const other = new WebAssembly.Instance(new WebAssembly.Module(bytes('anon.wasm')));
const imports = {
  env: {
    cb(n) {
      if (n === 1) throw new TypeError('thrown by the import');
      if (n === 2) inner = new Error('made in the import').stack;
      if (n === 3) traps.exports.run(3); // a nested call into the same instance traps
    },
    other: () => other.exports.run(1),
  },
};
const traps = new WebAssembly.Instance(new WebAssembly.Module(bytes('traps.wasm')), imports);
const e = traps.exports;

show('trap two calls deep', () => e.run(5));
show('trap in a module without names', () => other.exports.run(9));
show('error thrown by an import', () => e.callcb(1));
e.callcb(2);
console.log(`--- error made in an import\n${wasmLines(inner).join('\n')}`);
show('trap in a nested call', () => e.callcb(3));
show('trap in another instance called from JS through wasm', () => e.via_other());
show('recursion', () => e.down(3));
show('tail call', () => e.tail(4));
// The call that could not start shows at its function's entry, above its caller at the call.
show('stack exhausted', () => e.down(1e7));
show('out of bounds', () => e.oob());
// An import that is another instance's re-exported import: the frames of the instance that
// defines the function, then the caller's (called from JS and from wasm).
const relay = new WebAssembly.Instance(new WebAssembly.Module(bytes('relay.wasm')), { other: { run: other.exports.run } });
const user = new WebAssembly.Instance(new WebAssembly.Module(bytes('reexport.wasm')), { relay: { run: relay.exports.run } });
show('re-exported import called from JS', () => relay.exports.run(9));
show('re-exported import called from wasm', () => user.exports.use(9));
show('start function', () => new WebAssembly.Instance(new WebAssembly.Module(bytes('start.wasm')), { env: { f() {} } }));

// A malformed name section (its function names run past its end) and a garbage
// .debug_line: frames fall back to indices.
const broken = Buffer.concat([bytes('anon.wasm'),
  Buffer.from([0, 8, 4, ...Buffer.from('name'), 1, 9, 0xff]),
  Buffer.from([0, 13, 11, ...Buffer.from('.debug_line'), 0xff])]);
show('malformed name and DWARF sections', () => new WebAssembly.Instance(new WebAssembly.Module(broken)).exports.run(1));

// Call sites as V8 gives them to Error.prepareStackTrace.
const saved = Error.prepareStackTrace;
Error.prepareStackTrace = (err, sites) => sites
  .filter((s) => String(s.getFileName()).startsWith('wasm://'))
  .map((s) => [s.getFunctionName(), s.getFileName().replace(/[0-9a-f]{8}$/, 'HASH'), s.getLineNumber(), s.getColumnNumber()].join(' '));
try { e.run(1); } catch (err) { console.log('--- call sites\n' + err.stack.join('\n')); }
Error.prepareStackTrace = saved;

// Error.stackTraceLimit counts wasm frames too.
Error.stackTraceLimit = 2;
try { e.down(5); } catch (err) { console.log('--- limit 2\n' + wasmLines(err.stack).join('\n')); }
Error.stackTraceLimit = 10;

// A trap caught and the instance used again: no frames left over from the first trap.
try { e.run(1); } catch {}
show('after a caught trap', () => e.callcb(1));
