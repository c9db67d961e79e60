// Error stacks are formatted when first read, as in V8: Error.prepareStackTrace as it is at
// that moment, called once per error, never for errors whose stack nobody reads (traps
// included); what the error looks like then goes into the header. Compared with Node.
'use strict';
const fs = require('fs');
const path = require('path');

const saved = Error.prepareStackTrace;
let calls = 0;
const counting = (err, sites) => {
  calls++;
  return `${err.name}|${err.message}|${sites.length > 0}`;
};

// The header is what the error is when the stack is read.
const e = new Error('m');
e.name = 'Changed';
e.message = 'x';
console.log(e.stack.split('\n')[0]);

// prepareStackTrace installed after the error was made, called once however often it is read.
const late = new Error('late');
Error.prepareStackTrace = counting;
console.log(late.stack, late.stack, calls);

// Thrown and caught through frames, never read: never formatted.
calls = 0;
function thrower(n) {
  if (n === 0) throw new TypeError('deep');
  thrower(n - 1);
}
for (let i = 0; i < 100; i++) {
  try { thrower(5); } catch {}
}
console.log('unread errors formatted:', calls);

// The same for traps (and the wasm frames are still there when read).
const bytes = fs.readFileSync(path.join(__dirname, 'fixtures/stack/traps.wasm'));
const traps = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { cb() {}, other() {} } }).exports;
let trap;
for (let i = 0; i < 100; i++) {
  try { traps.run(5); } catch (err) { trap = err; }
}
console.log('unread traps formatted:', calls, trap.constructor.name);
Error.prepareStackTrace = saved;
console.log(trap.stack.split('\n').filter((l) => l.includes('wasm-function')).length);

// A stack set before it was read wins; captureStackTrace on a plain object and on an error.
const set = new Error('set');
set.stack = 'assigned';
console.log(set.stack);
const obj = {};
Error.captureStackTrace(obj);
console.log(typeof obj.stack, Object.prototype.hasOwnProperty.call(obj, 'stack'));
const captured = new RangeError('again');
Error.captureStackTrace(captured);
console.log(captured.stack.split('\n')[0]);

// prepareStackTrace that throws: the stack is undefined-ish, reading it does not throw.
Error.prepareStackTrace = () => { throw new Error('in prepare'); };
const broken = new Error('broken');
let read;
try { read = String(broken.stack === undefined || broken.stack === null ? 'none' : typeof broken.stack); } catch (err) { read = 'threw ' + err.message; }
Error.prepareStackTrace = saved;
console.log(read);
