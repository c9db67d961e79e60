// jsrt:async_hooks — AsyncLocalStorage and AsyncResource. The async context is a Map (store
// per AsyncLocalStorage) that QuickJS carries from where a promise reaction is registered to
// where it runs (builtins/async_context.rs); timers, immediates and next ticks take the
// context they were scheduled in (bootstrap's bindAsyncContext). No other async_hooks API
// (createHook, executionAsyncId) beyond stubs.
'use strict';

const get = () => native.asyncContext();
const set = (c) => native.setAsyncContext(c);

function withStore(context, key, store) {
  const next = new Map(context instanceof Map ? context : undefined);
  if (store === kDelete) next.delete(key);
  else next.set(key, store);
  return next;
}
const kDelete = Symbol('delete');

function runIn(context, fn, thisArg, args) {
  const prev = get();
  set(context);
  try {
    return Reflect.apply(fn, thisArg, args);
  } finally {
    set(prev);
  }
}

class AsyncLocalStorage {
  constructor() {
    internal.useAsyncContext();
    this._enabled = true;
  }
  getStore() {
    if (!this._enabled) return undefined;
    const c = get();
    return c instanceof Map ? c.get(this) : undefined;
  }
  run(store, fn, ...args) {
    this._enabled = true;
    return runIn(withStore(get(), this, store), fn, undefined, args);
  }
  exit(fn, ...args) {
    return runIn(withStore(get(), this, kDelete), fn, undefined, args);
  }
  enterWith(store) {
    this._enabled = true;
    set(withStore(get(), this, store));
  }
  disable() {
    this._enabled = false;
    set(withStore(get(), this, kDelete));
  }
  static bind(fn) {
    internal.useAsyncContext();
    const context = get();
    return function (...args) { return runIn(context, fn, this, args); };
  }
  static snapshot() {
    internal.useAsyncContext();
    const context = get();
    return (fn, ...args) => runIn(context, fn, undefined, args);
  }
}

let nextId = 1;
class AsyncResource {
  constructor(type = 'AsyncResource') {
    internal.useAsyncContext();
    this.type = type;
    this._context = get();
    this._id = nextId++;
  }
  runInAsyncScope(fn, thisArg, ...args) { return runIn(this._context, fn, thisArg, args); }
  bind(fn, thisArg) {
    const self = this;
    return function (...args) { return self.runInAsyncScope(fn, thisArg ?? this, ...args); };
  }
  static bind(fn, type, thisArg) { return new AsyncResource(type).bind(fn, thisArg); }
  emitDestroy() { return this; }
  asyncId() { return this._id; }
  triggerAsyncId() { return 0; }
}

module.exports = {
  AsyncLocalStorage,
  AsyncResource,
  executionAsyncId: () => 0,
  triggerAsyncId: () => 0,
  executionAsyncResource: () => ({}),
  createHook: () => ({ enable() { return this; }, disable() { return this; } }),
};
