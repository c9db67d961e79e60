// jsrt:bootstrap — runs once per process with `native` (the Rust natives, src/builtins/).
// Owns: the builtin module registry, CommonJS `require`, timers and immediates, next-tick and
// microtask draining, `process`, `console`, the lazily created web globals, uncaught-error and
// rejection reporting, and the hooks the Rust event loop calls (returned at the end).
'use strict';

const internal = Object.create(null);
Object.defineProperty(globalThis, Symbol.for('jsrt.internal'), { value: internal });

// ---------------------------------------------------------------- stack traces
// V8's format ("Name: message\n    at fn (file:line:col)"), which Node users and tools parse;
// frames inside jsrt's own JS are hidden; wasm frames as V8 shows them.
function prepareStackTrace(err, callsites) {
  let header;
  try {
    header = Error.prototype.toString.call(err);
  } catch {
    header = 'Error';
  }
  let out = header;
  for (const c of callsites) {
    // A wasm frame (webassembly/stack.rs) comes with its text.
    const text = c.getJsrtText();
    if (text !== undefined) {
      out += `\n    at ${text}`;
      continue;
    }
    const file = c.getFileName();
    if (!file || file.startsWith('jsrt:') || file === 'native') continue;
    let fn = c.getFunctionName();
    if (fn === '<eval>' || fn === '<anonymous>') fn = null;
    // Files compiled with a CommonJS wrapper have the wrapper's header as line 1.
    const line = c.getLineNumber() - (native.isWrapped(file) ? 1 : 0);
    const loc = `${file}:${line}:${c.getColumnNumber()}`;
    out += fn ? `\n    at ${fn} (${loc})` : `\n    at ${loc}`;
  }
  return out;
}
// The format of stacks while Error.prepareStackTrace is unset (it is undefined, as in Node;
// stacks are formatted when first read, as in V8: QuickJS patch 0006).
native.setDefaultPrepareStackTrace(prepareStackTrace);

// ---------------------------------------------------------------- builtin modules
const builtinCache = new Map();
const builtinAliases = {
  'assert/strict': () => requireBuiltin('assert').strict,
  'fs/promises': () => requireBuiltin('fs').promises,
  'util/types': () => requireBuiltin('util').types,
  'stream/promises': () => requireBuiltin('stream').promises,
  'readline/promises': () => requireBuiltin('readline').promises,
  worker_threads: () => requireBuiltin('internal/workers').threads,
  http: () => requireBuiltin('internal/http').http,
  'stream/web': () => requireBuiltin('internal/streams'),
  https: () => requireBuiltin('internal/http').https,
  process: () => process,
  timers: () => timersModule,
  'timers/promises': () => requireBuiltin('internal/timers_promises'),
  module: () => Module,
};

function requireBuiltin(name) {
  let cached = builtinCache.get(name);
  if (cached !== undefined) return cached.exports;
  if (builtinAliases[name]) return builtinAliases[name]();
  const src = native.source(name);
  if (src === undefined) {
    const err = new Error(`No such built-in module: jsrt:${name}`);
    err.code = 'ERR_UNKNOWN_BUILTIN_MODULE';
    throw err;
  }
  const module = { exports: {} };
  builtinCache.set(name, module);
  const fn = native.compileBuiltin(name) ?? native.compileFunction(src, `jsrt:${name}`, ['exports', 'require', 'module', 'native', 'internal']);
  fn.call(module.exports, module.exports, requireBuiltin, module, native, internal);
  return module.exports;
}
internal.requireBuiltin = requireBuiltin;

const lazyInspect = () => requireBuiltin('internal/inspect');

// ---------------------------------------------------------------- next ticks and microtasks
const tickQueue = [];
let tickIndex = 0;

function runMicrotasks() {
  do {
    while (tickIndex < tickQueue.length) {
      const t = tickQueue[tickIndex];
      tickQueue[tickIndex++] = undefined;
      try {
        t.fn(...t.args);
      } catch (e) {
        fatal(e);
      }
    }
    tickQueue.length = 0;
    tickIndex = 0;
    native.drainJobs();
  } while (tickQueue.length !== 0);
}

// Once an AsyncLocalStorage exists, callbacks of next ticks, timers and immediates run in the
// async context they were scheduled in (async_hooks.js); before that, nothing is wrapped.
let asyncContextInUse = false;
internal.useAsyncContext = () => { asyncContextInUse = true; };
function bindAsyncContext(fn) {
  if (!asyncContextInUse) return fn;
  const context = native.asyncContext();
  if (context === undefined) return fn;
  return function (...args) {
    const prev = native.asyncContext();
    native.setAsyncContext(context);
    try {
      return fn.apply(this, args);
    } finally {
      native.setAsyncContext(prev);
    }
  };
}

function nextTick(fn, ...args) {
  if (typeof fn !== 'function') throw invalidArgType('callback', 'function', fn);
  tickQueue.push({ fn: bindAsyncContext(fn), args });
}

function queueMicrotask(fn) {
  if (typeof fn !== 'function') throw invalidArgType('callback', 'function', fn);
  Promise.resolve().then(() => {
    try {
      fn();
    } catch (e) {
      fatal(e);
    }
  });
}

function invalidArgType(name, expected, actual) {
  const shown = actual === null ? 'null' : typeof actual === 'function' ? `function ${actual.name}` : typeof actual === 'object' ? `an instance of ${actual.constructor?.name ?? 'Object'}` : `type ${typeof actual} (${String(actual).slice(0, 25)})`;
  const err = new TypeError(`The "${name}" argument must be of type ${expected}. Received ${shown}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}
internal.invalidArgType = invalidArgType;

// ---------------------------------------------------------------- timers
const TIMEOUT_MAX = 2 ** 31 - 1;
const heap = []; // binary min-heap of Timeout by (when, seq)
const activeTimers = new Map(); // id -> Timeout
let timerSeq = 0;
let refedTimers = 0;

function heapLess(a, b) { return a.when < b.when || (a.when === b.when && a.seq < b.seq); }
function heapPush(t) {
  heap.push(t);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!heapLess(heap[i], heap[p])) break;
    [heap[i], heap[p]] = [heap[p], heap[i]];
    i = p;
  }
}
function heapPop() {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && heapLess(heap[l], heap[m])) m = l;
      if (r < heap.length && heapLess(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
  return top;
}

function scheduleWakeup() {
  while (heap.length && heap[0].destroyed) heapPop();
  if (heap.length === 0) native.setTimer(-1, false);
  else native.setTimer(Math.max(0, heap[0].when - native.now()), refedTimers > 0);
}

class Timeout {
  constructor(callback, after, args, repeat) {
    after *= 1;
    if (!(after >= 1 && after <= TIMEOUT_MAX)) after = 1;
    this._idleTimeout = after;
    this._onTimeout = bindAsyncContext(callback);
    this._timerArgs = args;
    this._repeat = repeat ? after : null;
    this.id = ++timerSeq;
    this.refed = true;
    this.destroyed = false;
    this.start();
  }
  start() {
    this.when = native.now() + this._idleTimeout;
    this.seq = ++timerSeq;
    activeTimers.set(this.id, this);
    if (this.refed) refedTimers++;
    heapPush(this);
    scheduleWakeup();
  }
  ref() {
    if (!this.refed && !this.destroyed) { refedTimers++; scheduleWakeup(); }
    this.refed = true;
    return this;
  }
  unref() {
    if (this.refed && !this.destroyed) { refedTimers--; scheduleWakeup(); }
    this.refed = false;
    return this;
  }
  hasRef() { return this.refed; }
  refresh() {
    if (!this.destroyed) {
      this._clear();
      this.destroyed = false;
      this.start();
    }
    return this;
  }
  close() { clearTimeout(this); return this; }
  _clear() {
    if (this.destroyed) return;
    this.destroyed = true;
    activeTimers.delete(this.id);
    if (this.refed) refedTimers--;
    // Keep the heap entry; it is skipped when it reaches the top. Re-arm with a fresh entry.
    const idx = heap.indexOf(this);
    if (idx !== -1) heap[idx] = Object.assign(Object.create(null), { when: this.when, seq: this.seq, destroyed: true });
  }
  [Symbol.toPrimitive]() { return this.id; }
}

function processTimers() {
  const now = native.now();
  while (heap.length) {
    const t = heap[0];
    if (t.destroyed) { heapPop(); continue; }
    if (t.when > now) break;
    heapPop();
    if (t._repeat !== null) {
      t.when = now + t._repeat;
      t.seq = ++timerSeq;
      heapPush(t);
    } else {
      t.destroyed = true;
      activeTimers.delete(t.id);
      if (t.refed) refedTimers--;
    }
    try {
      t._onTimeout(...t._timerArgs);
    } catch (e) {
      fatal(e);
    }
    runMicrotasks();
  }
  scheduleWakeup();
}

function setTimeout(callback, after, ...args) {
  if (typeof callback !== 'function') throw invalidArgType('callback', 'function', callback);
  return new Timeout(callback, after, args, false);
}
function setInterval(callback, repeat, ...args) {
  if (typeof callback !== 'function') throw invalidArgType('callback', 'function', callback);
  return new Timeout(callback, repeat, args, true);
}
function clearTimeout(timer) {
  if (timer == null) return;
  const t = timer instanceof Timeout ? timer : activeTimers.get(+timer);
  if (t) {
    t._clear();
    scheduleWakeup();
  }
}

class Immediate {
  constructor(callback, args) {
    this._onImmediate = bindAsyncContext(callback);
    this._args = args;
    this.destroyed = false;
    this.refed = true;
  }
  ref() { this.refed = true; return this; }
  unref() { this.refed = false; return this; }
  hasRef() { return this.refed; }
}
let immediateQueue = [];
function setImmediate(callback, ...args) {
  if (typeof callback !== 'function') throw invalidArgType('callback', 'function', callback);
  const im = new Immediate(callback, args);
  immediateQueue.push(im);
  native.setImmediatePending(true);
  return im;
}
function clearImmediate(im) {
  if (im instanceof Immediate) im.destroyed = true;
}
function processImmediates() {
  const queue = immediateQueue;
  immediateQueue = [];
  native.setImmediatePending(false);
  for (const im of queue) {
    if (im.destroyed) continue;
    im.destroyed = true;
    try {
      im._onImmediate(...im._args);
    } catch (e) {
      fatal(e);
    }
    runMicrotasks();
  }
  if (immediateQueue.length) native.setImmediatePending(true);
}

const timersModule = {
  setTimeout, setInterval, setImmediate, clearTimeout, clearInterval: clearTimeout, clearImmediate,
};
// timers.promises (js/timers_promises.js), loaded on first use.
lazyProperty(timersModule, 'promises', () => requireBuiltin('internal/timers_promises'));

// ---------------------------------------------------------------- process
const EventEmitter = requireBuiltin('events');
const process = new EventEmitter();
let exitCode;
let exiting = false;
const nodeCompatVersion = '20.11.0';

function hrtime(prev) {
  const [s, ns] = native.hrtime();
  if (Array.isArray(prev)) {
    let ds = s - prev[0];
    let dns = ns - prev[1];
    if (dns < 0) { ds -= 1; dns += 1e9; }
    return [ds, dns];
  }
  return [s, ns];
}
hrtime.bigint = () => native.hrtimeBigint();

Object.assign(process, {
  title: 'jsrt',
  argv: native.argv,
  argv0: 'jsrt',
  execArgv: [],
  execPath: native.execPath,
  env: native.env,
  pid: native.pid,
  ppid: native.ppid,
  getuid: () => native.ids[0],
  geteuid: () => native.ids[1],
  getgid: () => native.ids[2],
  getegid: () => native.ids[3],
  getgroups: () => native.groups(),
  platform: native.platform,
  arch: native.arch,
  version: `v${nodeCompatVersion}`,
  versions: { jsrt: native.version, node: nodeCompatVersion, quickjs: 'ng', wamr: '2.4.3' },
  release: { name: 'jsrt' },
  features: {},
  config: { variables: {} },
  cwd: native.cwd,
  chdir: native.chdir,
  hrtime,
  nextTick,
  uptime: () => native.now() / 1000,
  memoryUsage: Object.assign(() => ({ rss: native.memoryUsage(), heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), { rss: () => native.memoryUsage() }),
  umask: () => 0o22,
  emitWarning(warning, type) {
    const msg = warning instanceof Error ? `${warning.name}: ${warning.message}` : `${type || 'Warning'}: ${warning}`;
    native.write(2, `(jsrt:${native.pid}) ${msg}\n`);
  },
  exit(code) {
    if (code !== undefined) process.exitCode = code;
    const c = normalizeExitCode(process.exitCode);
    if (!exiting) {
      exiting = true;
      try {
        process.emit('exit', c);
      } catch (e) {
        native.write(2, formatUncaught(e) + '\n');
        native.exit(7);
      }
    }
    native.exit(normalizeExitCode(process.exitCode ?? c));
  },
  abort() { native.exit(134); },
  kill() { return true; },
  // Deprecated in Node (DEP0111) but still read by old emscripten output ('constants').
  binding(name) {
    if (name === 'constants') {
      return { os: requireBuiltin('os').constants, fs: requireBuiltin('fs').constants, crypto: {}, zlib: requireBuiltin('zlib').constants ?? {}, trace: {} };
    }
    throw new Error(`No such module: ${name}`);
  },
});
// `obj[name]`, made by `make()` on first read, then a plain data property (enumerable).
function lazyProperty(obj, name, make) {
  Object.defineProperty(obj, name, {
    get() {
      const value = make();
      Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: true });
      return value;
    },
    configurable: true,
    enumerable: true,
  });
}
// process.stdin: a Readable over fd 0, made on first use (not inside Object.assign above,
// which would call the getter at start-up; reads run on the blocking pool).
lazyProperty(process, 'stdin', () => requireBuiltin('internal/stdin'));
// process.stdout/stderr: Writable streams over fd 1 and 2 (synchronous writes), made on first
// use; console writes to the descriptors directly.
lazyProperty(process, 'stdout', () => requireBuiltin('internal/stdout')(1));
lazyProperty(process, 'stderr', () => requireBuiltin('internal/stdout')(2));
Object.defineProperty(process, 'exitCode', {
  get() { return exitCode; },
  set(v) {
    if (v !== undefined && v !== null && !Number.isInteger(Number(v))) {
      const err = new TypeError(`The "code" argument must be of type number. Received ${typeof v}`);
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    exitCode = v == null ? undefined : Number(v);
  },
  enumerable: true,
  configurable: false,
});
Object.defineProperty(process, Symbol.toStringTag, { value: 'process' });

function normalizeExitCode(c) {
  const n = Number(c ?? 0);
  return Number.isInteger(n) ? n & 0xff : 1;
}

// ---------------------------------------------------------------- console
const counts = new Map();
const timers = new Map();
let groupIndent = '';

function print(fd, args) {
  let s;
  if (args.length === 1 && typeof args[0] === 'string') s = args[0];
  else s = lazyInspect().formatWithOptions(undefined, ...args);
  if (groupIndent) s = groupIndent + s.replaceAll('\n', `\n${groupIndent}`);
  native.write(fd, s + '\n');
}

const console = {
  log: (...args) => print(1, args),
  info: (...args) => print(1, args),
  debug: (...args) => print(1, args),
  error: (...args) => print(2, args),
  warn: (...args) => print(2, args),
  dir: (obj, options) => print(1, [lazyInspect().inspect(obj, { customInspect: false, ...options })]),
  dirxml: (...args) => print(1, args),
  trace(...args) {
    const err = { name: 'Trace', message: lazyInspect().format(...args) };
    const stack = new Error().stack.split('\n').slice(1).join('\n');
    print(2, [`Trace${err.message ? ': ' + err.message : ''}\n${stack}`.trimEnd()]);
  },
  assert(cond, ...args) {
    if (!cond) {
      if (typeof args[0] === 'string') args[0] = `Assertion failed: ${args[0]}`;
      else args.unshift('Assertion failed');
      print(2, args);
    }
  },
  count(label = 'default') {
    label = `${label}`;
    const n = (counts.get(label) || 0) + 1;
    counts.set(label, n);
    print(1, [`${label}: ${n}`]);
  },
  countReset(label = 'default') { counts.delete(`${label}`); },
  time(label = 'default') {
    label = `${label}`;
    if (timers.has(label)) return process.emitWarning(`Label '${label}' already exists for console.time()`);
    timers.set(label, native.now());
  },
  timeEnd(label = 'default') {
    label = `${label}`;
    if (!timers.has(label)) return process.emitWarning(`No such label '${label}' for console.timeEnd()`);
    print(1, [`${label}: ${formatDuration(native.now() - timers.get(label))}`]);
    timers.delete(label);
  },
  timeLog(label = 'default', ...data) {
    label = `${label}`;
    if (!timers.has(label)) return process.emitWarning(`No such label '${label}' for console.timeLog()`);
    print(1, [`${label}: ${formatDuration(native.now() - timers.get(label))}`, ...data]);
  },
  group(...label) {
    if (label.length) print(1, label);
    groupIndent += '  ';
  },
  groupCollapsed(...label) { console.group(...label); },
  groupEnd() { groupIndent = groupIndent.slice(2); },
  table(data, columns) { print(1, [renderTable(data, columns)]); },
  clear() {},
};

function formatDuration(ms) {
  if (ms >= 1000) {
    if (ms >= 60000) {
      if (ms >= 3600000) return `${(ms / 3600000).toFixed(3)}h`;
      return `${(ms / 60000).toFixed(3)}min`;
    }
    return `${(ms / 1000).toFixed(3)}s`;
  }
  return `${Number(ms.toFixed(3))}ms`;
}

function renderTable(data, columns) {
  if (data === null || typeof data !== 'object') return lazyInspect().format(data);
  const { inspect } = lazyInspect();
  const fmt = (v) => inspect(v, { depth: 1, breakLength: Infinity, compact: true });
  const indexKey = data instanceof Map ? '(iteration index)' : '(index)';
  const rows = [];
  const keys = [];
  let hasValues = false;
  const entries = data instanceof Map ? [...data.entries()].map(([k, v], i) => [i, v, k])
    : data instanceof Set ? [...data].map((v, i) => [i, v]) : Object.entries(data);
  for (const [k, v, mapKey] of entries) {
    const row = { [indexKey]: String(k) };
    if (mapKey !== undefined) row.Key = fmt(mapKey);
    if (v !== null && typeof v === 'object') {
      for (const [ck, cv] of Object.entries(v)) {
        if (columns && !columns.includes(ck)) continue;
        if (!keys.includes(ck)) keys.push(ck);
        row[ck] = fmt(cv);
      }
    } else {
      hasValues = true;
      row.Values = fmt(v);
    }
    rows.push(row);
  }
  const header = [indexKey, ...(data instanceof Map ? ['Key'] : []), ...(columns || keys), ...(hasValues ? ['Values'] : [])];
  const widths = header.map((h) => Math.max(h.length, ...rows.map((r) => (r[h] ?? '').length)) + 2);
  const center = (s, w) => {
    const left = Math.floor((w - s.length) / 2);
    return ' '.repeat(left) + s + ' '.repeat(w - s.length - left);
  };
  const line = (l, m, r) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
  const out = [line('┌', '┬', '┐'), '│' + header.map((h, i) => center(h, widths[i])).join('│') + '│', line('├', '┼', '┤')];
  for (const r of rows) out.push('│' + header.map((h, i) => center(r[h] ?? '', widths[i])).join('│') + '│');
  out.push(line('└', '┴', '┘'));
  return out.join('\n');
}

// ---------------------------------------------------------------- CommonJS
const moduleCache = Object.create(null);
let mainModule;

class Module {
  constructor(filename, parent) {
    this.id = filename;
    this.filename = filename;
    this.path = dirname(filename);
    this.exports = {};
    this.parent = parent;
    this.loaded = false;
    this.children = [];
    this.paths = [];
    if (parent) parent.children.push(this);
  }
  require(spec) { return makeRequire(this)(spec); }
}

function dirname(p) {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
}

function requireFile(filename, parent) {
  const cached = moduleCache[filename];
  if (cached) return cached.exports;
  const module = new Module(filename, parent);
  moduleCache[filename] = module;
  let ok = false;
  try {
    loadModule(module, filename);
    ok = true;
  } finally {
    if (!ok) delete moduleCache[filename];
  }
  module.loaded = true;
  return module.exports;
}
internal.requireFile = (f) => requireFile(f, undefined);

function loadModule(module, filename) {
  if (filename.endsWith('.json')) {
    const text = native.fs.readFile(filename, true);
    try {
      module.exports = JSON.parse(text);
    } catch (e) {
      e.message = `${filename}: ${e.message}`;
      throw e;
    }
    return;
  }
  if (filename.endsWith('.wasm')) {
    const bytes = native.fs.readFile(filename);
    const mod = new WebAssembly.Module(bytes);
    module.exports = new WebAssembly.Instance(mod, {}).exports;
    return;
  }
  let source = native.fs.readFile(filename, true);
  if (native.isEsmFile(filename, source)) {
    const err = new Error(`require() of ES Module ${filename} not supported. Use import() instead.`);
    err.code = 'ERR_REQUIRE_ESM';
    throw err;
  }
  if (source.startsWith('#!')) source = '//' + source.slice(2);
  native.markWrapped(filename);
  const fn = native.compileFunction(source, filename, ['exports', 'require', 'module', '__filename', '__dirname']);
  const require = makeRequire(module);
  fn.call(module.exports, module.exports, require, module, filename, module.path);
}

function makeRequire(module) {
  const base = module ? module.filename : `${native.cwd()}/[eval]`;
  const require = function require(spec) {
    if (typeof spec !== 'string') throw invalidArgType('id', 'string', spec);
    const key = native.resolve(spec, base);
    if (key.startsWith('jsrt:')) return requireBuiltin(key.slice(5));
    return requireFile(key, module);
  };
  require.resolve = (spec) => native.resolve(spec, base);
  require.cache = moduleCache;
  require.main = mainModule;
  return require;
}
internal.makeRequire = makeRequire;
Module._cache = moduleCache;
Module.createRequire = (filename) => {
  if (typeof filename === 'string' && filename.startsWith('file:')) filename = native.fileURLToPath(filename);
  else if (filename instanceof URL) filename = native.fileURLToPath(filename.href);
  return makeRequire(new Module(String(filename), undefined));
};
lazyProperty(Module, 'builtinModules', () => native.builtinModules().sort());
internal.Module = Module;

// ---------------------------------------------------------------- errors
function formatUncaught(err, prefix = 'Uncaught') {
  try {
    return `${prefix} ${lazyInspect().inspect(err)}`;
  } catch {
    try { return `${prefix} ${String(err)}`; } catch { return `${prefix} <error>`; }
  }
}

function fatal(err) {
  if (process.listenerCount('uncaughtException') > 0) {
    try {
      process.emit('uncaughtException', err, 'uncaughtException');
      return;
    } catch (e) {
      native.write(2, formatUncaught(e) + '\n');
      native.exit(7);
    }
  }
  if (!native.isMainThread) {
    // A worker's uncaught error is its parent's `error` event; a web worker goes on (as in
    // browsers), a node one ends with 1.
    if (requireBuiltin('internal/workers').reportUncaught(err)) return;
    process.exitCode = 1;
    process.exit(1);
  }
  native.write(2, formatUncaught(err) + '\n');
  process.exitCode = 1;
  process.exit(1);
}

function unhandledRejection(reason, promise) {
  if (process.listenerCount('unhandledRejection') > 0) {
    process.emit('unhandledRejection', reason, promise);
    return;
  }
  if (!native.isMainThread) {
    fatal(reason);
    return;
  }
  native.write(2, formatUncaught(reason, 'Uncaught (in promise)') + '\n');
  process.exitCode = 1;
  process.exit(1);
}

// ---------------------------------------------------------------- web globals
// Globals made on first use, data properties (writable, configurable) from the start, as if
// made eagerly (builtins/lazy_global.rs). Operations and attributes (fetch, atob, crypto) are
// enumerable, interface objects are not.
const enumerableGlobals = ['structuredClone', 'atob', 'btoa', 'crypto', 'fetch'];
const lazyGlobal = native.lazyGlobal;
const web = () => requireBuiltin('internal/web');
for (const name of ['TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'Event', 'EventTarget',
  'AbortController', 'AbortSignal', 'structuredClone', 'atob', 'btoa', 'crypto', 'DOMException',
  'CustomEvent', 'Blob', 'fetch', 'Response', 'Headers', 'Request']) {
  lazyGlobal(name, () => web()[name], enumerableGlobals.includes(name));
}
const workersModule = () => requireBuiltin('internal/workers');
// One maker per module (the maker gets the global's name).
const fromWorkers = (name) => workersModule()[name === 'Worker' ? 'WebWorker' : name];
native.lazyGlobals(['MessageChannel', 'MessagePort', 'MessageEvent', 'Worker'], fromWorkers, false);
native.lazyGlobals(['ReadableStream', 'WritableStream', 'TransformStream', 'TextEncoderStream', 'TextDecoderStream',
  'CompressionStream', 'DecompressionStream', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
  'ReadableStreamDefaultReader', 'WritableStreamDefaultWriter', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
  'ReadableByteStreamController', 'ReadableStreamDefaultController', 'WritableStreamDefaultController',
  'TransformStreamDefaultController'], (name) => requireBuiltin('internal/streams')[name], false);
lazyGlobal('Buffer', () => requireBuiltin('buffer').Buffer, false);
lazyGlobal('WebAssembly', () => requireBuiltin('internal/wasm/namespace'), false);

// performance: now/timeOrigin here; marks and measures (User Timing) live in perf_hooks.js,
// loaded the first time one is used.
const perfHooks = () => requireBuiltin('perf_hooks');
const performance = {
  now: native.now,
  timeOrigin: native.timeOrigin,
  toJSON() { return { timeOrigin: this.timeOrigin }; },
  mark(...a) { return perfHooks()._timing.mark(...a); },
  measure(...a) { return perfHooks()._timing.measure(...a); },
  getEntries(...a) { return perfHooks()._timing.getEntries(...a); },
  getEntriesByName(...a) { return perfHooks()._timing.getEntriesByName(...a); },
  getEntriesByType(...a) { return perfHooks()._timing.getEntriesByType(...a); },
  clearMarks(...a) { return perfHooks()._timing.clearMarks(...a); },
  clearMeasures(...a) { return perfHooks()._timing.clearMeasures(...a); },
};

for (const [name, value] of Object.entries({
  console, process, setTimeout, setInterval, setImmediate, clearTimeout, clearInterval: clearTimeout,
  clearImmediate, queueMicrotask, performance, global: globalThis,
})) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

// ---------------------------------------------------------------- wasm ES module integration
// `import { f } from './m.wasm'`: the module's imports are ES module imports (the import's
// module name is a specifier resolved from the .wasm file), its exports the named exports.
const wasmModules = new Map(); // path -> WebAssembly.Module
function wasmModule(filename) {
  let m = wasmModules.get(filename);
  if (!m) {
    m = new WebAssembly.Module(native.fs.readFile(filename));
    wasmModules.set(filename, m);
  }
  return m;
}
internal.wasmExportNames = (filename) => WebAssembly.Module.exports(wasmModule(filename)).map((e) => e.name);
internal.importWasm = async (filename) => {
  const m = wasmModule(filename);
  const importObject = {};
  for (const { module: spec } of WebAssembly.Module.imports(m)) {
    if (importObject[spec] === undefined) {
      importObject[spec] = await import(native.resolve(spec, filename, true));
    }
  }
  return new WebAssembly.Instance(m, importObject).exports;
};

// ---------------------------------------------------------------- entry points
let mainPromiseState = 'none'; // none | pending | done
let mainKey;

function runMain(filename) {
  mainKey = filename;
  const module = new Module(filename, undefined);
  module.id = '.';
  mainModule = module;
  process.mainModule = module;
  moduleCache[filename] = module;
  loadModule(module, filename);
  module.loaded = true;
}

function runScript(code, name, printResult) {
  const module = new Module(`${native.cwd()}/${name}`, undefined);
  Object.assign(globalThis, { require: makeRequire(undefined), module, exports: module.exports, __filename: name, __dirname: '.' });
  const result = native.evalScript(code, name);
  if (printResult) {
    if (result instanceof Promise) result.then((v) => console.log(v));
    else console.log(result);
  }
}

// `jsrt program.wasm args...`: a WASI program runs its _start with the arguments, the
// environment and the current directory; any other module is instantiated as an ES module.
function runWasm(filename) {
  mainKey = filename;
  const module = wasmModule(filename);
  const wasi = WebAssembly.Module.imports(module).some((i) => i.module === 'wasi_snapshot_preview1' || i.module === 'wasi_unstable');
  if (!wasi) {
    watchMain(import(filename));
    return;
  }
  const { WASI } = requireBuiltin('wasi');
  const w = new WASI({ version: 'preview1', args: [filename, ...process.argv.slice(2)], env: process.env, preopens: { '.': native.cwd() } });
  const instance = new WebAssembly.Instance(module, w.getImportObject());
  process.exitCode = w.start(instance);
}

// A worker's code (workers.js): an ES module (by the same rules as the main file, or `esm`),
// else CommonJS as the main module.
internal.runFile = (filename, esm) => {
  if (esm || filename.endsWith('.mjs') || (!filename.endsWith('.cjs') && native.isEsmFile(filename, native.fs.readFile(filename, true)))) {
    mainKey = filename;
    watchMain(native.importModule(filename));
  } else {
    runMain(filename);
  }
};
internal.runScript = (code, name, print) => runScript(code, name, print);

function watchMain(promise) {
  mainPromiseState = 'pending';
  promise.then(() => { mainPromiseState = 'done'; }, (e) => { mainPromiseState = 'done'; fatal(e); });
}

function exitHook() {
  if (mainPromiseState === 'pending') {
    native.write(2, `Warning: Detected unsettled top-level await in ${mainKey ?? 'the main module'}\n`);
    process.exitCode = 13;
  }
  const code = normalizeExitCode(process.exitCode);
  if (!exiting) {
    exiting = true;
    try {
      process.emit('exit', code);
    } catch (e) {
      fatal(e);
    }
  }
  return normalizeExitCode(process.exitCode ?? code);
}

let replRequire;
function replEval(src) {
  if (!replRequire) {
    replRequire = makeRequire(undefined);
    globalThis.require = replRequire;
  }
  // An object literal at the start of a line is an expression in the REPL, as in Node.
  let code = src;
  if (/^\s*\{/.test(code) && !/;\s*$/.test(code)) {
    try {
      native.compileFunction(`return (${code});`, '[repl]', []);
      code = `(${code})`;
    } catch {}
  }
  const result = native.evalScript(code, '[repl]');
  globalThis._ = result;
  return lazyInspect().inspect(result, { colors: native.isTTY(1) && !native.env.NO_COLOR });
}


return {
  runMicrotasks,
  processTimers,
  processImmediates,
  fatal,
  unhandledRejection,
  beforeExit() {
    if (!exiting) process.emit('beforeExit', normalizeExitCode(process.exitCode));
  },
  exit: exitHook,
  runMain,
  runScript,
  runWasm,
  watchMain,
  replEval,
  formatUncaught: (e) => formatUncaught(e),
  // Atomics.wait/waitAsync/notify (builtins/atomics.rs installs them; internal/atomics.js).
  atomics: (name, args) => requireBuiltin('internal/atomics')[name](...args),
  isMainModule: (key) => {
    if (mainKey === undefined && native.argv[1] === key) mainKey = key;
    return key === mainKey;
  },
  builtinKeys: (name) => {
    const m = requireBuiltin(name);
    return m !== null && typeof m === 'object' || typeof m === 'function' ? Object.keys(m) : [];
  },
  cjsExportNames: (filename) => {
    const m = requireFile(filename, undefined);
    return m !== null && (typeof m === 'object' || typeof m === 'function') ? Object.keys(m) : [];
  },
  metaResolve: (key) => (spec) => {
    const r = native.resolve(spec, key, true);
    return r.startsWith('jsrt:') ? r : native.pathToFileURL(r);
  },
  wasmExportNames: (filename) => internal.wasmExportNames(filename),
  // Workers and message ports (workers.js).
  portMessage: (id, wire, extras) => workersModule().deliver(id, wire, extras),
  portClosed: (id) => workersModule().peerClosed(id),
  workerEvent: (id, kind, payload) => workersModule().workerEvent(id, kind, payload),
  startWorker: (spec, data) => workersModule().startWorker(spec, data),
  // node:http servers (http.js).
  httpRequest: (server, id, info) => requireBuiltin('internal/http').onRequest(server, id, info),
};
