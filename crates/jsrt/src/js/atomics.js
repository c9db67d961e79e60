// jsrt:internal/atomics — Atomics.wait, Atomics.waitAsync and Atomics.notify (installed by
// bootstrap.js, loaded on first use): through jsrt's waiter lists, one per address and shared
// with wasm's memory.atomic.wait and notify (builtins/atomics.rs), so JS and wasm wake each
// other; the arguments are validated in the spec's order. As in Node, `wait` may block the
// main thread.
'use strict';

const TypedArray = Object.getPrototypeOf(Int8Array);
const tagOf = Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag).get;
const lengthOf = Object.getOwnPropertyDescriptor(TypedArray.prototype, 'length').get;
const bufferOf = Object.getOwnPropertyDescriptor(TypedArray.prototype, 'buffer').get;
const { isSharedArrayBuffer: isShared } = require('internal/web');
const describe = (v) => (v !== null && typeof v === 'object' ? Object.prototype.toString.call(v) : String(v));
// ValidateIntegerTypedArray(ta, waitable = true): whether its elements are 64-bit.
const waitable = (ta) => {
  const tag = ta !== null && typeof ta === 'object' ? tagOf.call(ta) : undefined;
  if (tag !== 'Int32Array' && tag !== 'BigInt64Array') throw new TypeError(`${describe(ta)} is not an int32 or BigInt64 typed array.`);
  return tag === 'BigInt64Array';
};
// ValidateAtomicAccess: ToIndex, then the bounds.
const accessIndex = (ta, index) => {
  const n = Number(index);
  const i = Number.isNaN(n) ? 0 : Math.trunc(n);
  if (i < 0 || i > Number.MAX_SAFE_INTEGER || i >= lengthOf.call(ta)) throw new RangeError('Invalid atomic access index');
  return i;
};
const sharedOnly = (ta) => {
  if (!isShared(bufferOf.call(ta))) throw new TypeError(`${describe(ta)} is not a shared typed array.`);
};
const valueOf = (wide, value) => (wide ? BigInt.asIntN(64, value) : value | 0);
const timeoutOf = (timeout) => {
  const q = Number(timeout);
  return Number.isNaN(q) ? Infinity : Math.max(q, 0);
};
exports.wait = function wait(typedArray, index, value, timeout) {
  const wide = waitable(typedArray);
  sharedOnly(typedArray);
  const i = accessIndex(typedArray, index);
  const v = valueOf(wide, value);
  return native.atomics('wait', typedArray, i, v, timeoutOf(timeout));
};
exports.waitAsync = function waitAsync(typedArray, index, value, timeout) {
  const wide = waitable(typedArray);
  sharedOnly(typedArray);
  const i = accessIndex(typedArray, index);
  const v = valueOf(wide, value);
  const t = timeoutOf(timeout);
  if (t === 0) return { async: false, value: Atomics.load(typedArray, i) === v ? 'timed-out' : 'not-equal' };
  const r = native.atomics('waitAsync', typedArray, i, v);
  if (typeof r === 'string') return { async: false, value: r };
  const [promise, address, id, op] = r;
  // (Timers take at most 2^31-1 ms, as in Node, where a longer one fires at once: a timeout
  // beyond that, over 24 days, waits for a notify alone.)
  if (t <= 0x7fffffff) setTimeout(() => native.atomics('timeout', address, id, op), t).unref();
  return { async: true, value: promise };
};
exports.notify = function notify(typedArray, index, count) {
  waitable(typedArray);
  const i = accessIndex(typedArray, index);
  let c = Infinity;
  if (count !== undefined) {
    const n = Number(count);
    c = Number.isNaN(n) ? 0 : Math.max(Math.trunc(n), 0);
  }
  // An unshared buffer has no waiters.
  return isShared(bufferOf.call(typedArray)) ? native.atomics('notify', typedArray, i, c) : 0;
};
