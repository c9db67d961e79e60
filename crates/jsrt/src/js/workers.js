// Workers and message ports (the natives: src/workers/). MessagePort and MessageChannel (web and
// Node flavours in one: EventTarget events and EventEmitter-style on/once/off), the web
// `Worker`, `node:worker_threads`, and the worker side: `startWorker` sets up `self` or
// `parentPort` and runs the worker's code. Messages are structured clones (web.js `toWire`).
'use strict';

const web = require('internal/web');
const { EventTarget, Event, DOMException, toWire, fromWire, detachTransferred, transferList, kTransfer, kListeners } = web;
const EventEmitter = require('events');
const W = native.workerNatives();

const kId = Symbol('id');
const ports = new Map(); // id -> MessagePort of this thread

// ---------------------------------------------------------------- MessageEvent
class MessageEvent extends Event {
  #data; #ports;
  constructor(type, init = {}) {
    super(type, init);
    this.#data = init?.data ?? null;
    this.#ports = Object.freeze([...(init?.ports ?? [])]);
  }
  get data() { return this.#data; }
  get ports() { return this.#ports; }
  get origin() { return ''; }
  get lastEventId() { return ''; }
  get source() { return null; }
}

class ErrorEvent extends Event {
  #init;
  constructor(type, init = {}) { super(type, init); this.#init = init ?? {}; }
  get message() { return this.#init.message ?? ''; }
  get filename() { return this.#init.filename ?? ''; }
  get lineno() { return this.#init.lineno ?? 0; }
  get colno() { return this.#init.colno ?? 0; }
  get error() { return this.#init.error; }
}

// Posts `value` through port `id` (the HTML algorithm: clone, then detach what is transferred).
function post(id, value, options, what) {
  const transfer = transferList(options, what);
  for (let i = 0; i < transfer.length; i++) {
    const t = transfer[i];
    if (t !== null && typeof t === 'object' && t[kId] === id) throw new DOMException('Transfer list contains source port', 'DataCloneError');
  }
  const wire = toWire(value, transfer);
  W.post(id, wire[0], wire[1], wire[2]);
  if (transfer.length !== 0) detachTransferred(transfer);
}

// Node-style listeners on an EventTarget: on('message', (value) => ...) gets the data.
const kWrapped = Symbol('wrapped');
function nodeListener(type, fn) {
  if (typeof fn !== 'function') throw new TypeError('The "listener" argument must be of type function');
  fn[kWrapped] ??= new Map();
  let w = fn[kWrapped].get(type);
  if (!w) {
    w = (e) => (type === 'message' || type === 'messageerror' ? fn.call(e.currentTarget, e.data) : fn.call(e.currentTarget));
    fn[kWrapped].set(type, w);
  }
  return w;
}

// ---------------------------------------------------------------- MessagePort
let constructing = false;
class MessagePort extends EventTarget {
  #started = false; #refed = true; #holding = false; #closed = false; #onmessage = null;
  constructor(id) {
    if (!constructing) throw new TypeError('Illegal constructor');
    super();
    this[kId] = id;
    // structuredClone/postMessage move the port (web.js): its id goes, this object is closed.
    Object.defineProperty(this, kTransfer, {
      value: () => {
        if (this.#closed) throw new DOMException('MessagePort was found in message but not listed in transferList', 'DataCloneError');
        this.#detach();
        return id;
      },
    });
  }
  static from(id) {
    let p = ports.get(id);
    if (p) return p;
    constructing = true;
    try { p = new MessagePort(id); } finally { constructing = false; }
    ports.set(id, p);
    return p;
  }
  postMessage(value, transfer) {
    if (arguments.length === 0) throw Object.assign(new TypeError('The "message" argument must be specified'), { code: 'ERR_MISSING_ARGS' });
    if (this.#closed) return;
    post(this[kId], value, transfer, 'MessagePort.postMessage');
  }
  start() {
    if (this.#closed || this.#started) return;
    this.#started = true;
    W.start(this[kId]);
    this.#hold();
  }
  close() {
    if (this.#closed) return;
    const id = this[kId];
    this.#detach();
    W.close(id);
    queueMicrotask(() => this.dispatchEvent(new Event('close')));
  }
  ref() { this.#refed = true; this.#hold(); return this; }
  unref() { this.#refed = false; this.#hold(); return this; }
  hasRef() { return this.#holding; }
  // A started, referenced port with a message listener keeps its thread's loop alive (as in
  // Node).
  #hold() {
    const want = this.#started && this.#refed && !this.#closed && (this.#onmessage !== null || (this[kListeners]?.get('message')?.length ?? 0) > 0);
    if (want !== this.#holding) {
      this.#holding = want;
      native.addRef(want ? 1 : -1);
    }
  }
  #detach() {
    this.#closed = true;
    this.#hold();
    ports.delete(this[kId]);
  }
  get onmessage() { return this.#onmessage; }
  set onmessage(fn) {
    this.#onmessage = typeof fn === 'function' ? fn : null;
    if (this.#onmessage) this.start();
    this.#hold();
  }
  addEventListener(type, listener, options) {
    super.addEventListener(type, listener, options);
    if (type === 'message') {
      this.start();
      this.#hold();
    }
  }
  removeEventListener(type, listener, options) {
    super.removeEventListener(type, listener, options);
    if (type === 'message') this.#hold();
  }
  // EventEmitter-style (Node's MessagePort is a NodeEventTarget).
  on(type, fn) { this.addEventListener(type, nodeListener(type, fn)); return this; }
  addListener(type, fn) { return this.on(type, fn); }
  once(type, fn) { this.addEventListener(type, nodeListener(type, fn), { once: true }); return this; }
  off(type, fn) { this.removeEventListener(type, nodeListener(type, fn)); return this; }
  removeListener(type, fn) { return this.off(type, fn); }
  removeAllListeners(type) {
    for (const t of type === undefined ? ['message', 'messageerror', 'close'] : [type]) this[kListeners]?.delete(t);
    this.#hold();
    return this;
  }
  emit(type, ...args) { return this.dispatchEvent(type === 'message' ? new MessageEvent(type, { data: args[0] }) : new Event(type)); }
  get [Symbol.toStringTag]() { return 'MessagePort'; }
  [Symbol.for('nodejs.util.inspect.custom')]() { return `MessagePort { id: ${this[kId]}${this.#closed ? ', closed' : ''} }`; }
}
web.setPortFromId(MessagePort.from);

class MessageChannel {
  #port1; #port2;
  constructor() {
    const [a, b] = W.channel();
    this.#port1 = MessagePort.from(a);
    this.#port2 = MessagePort.from(b);
  }
  get port1() { return this.#port1; }
  get port2() { return this.#port2; }
}

// A message for port `id` (hooks.portMessage, run by the port's thread).
function deliver(id, wire, extras) {
  const port = ports.get(id);
  if (port === undefined) return;
  let data;
  try {
    data = fromWire(wire, extras);
  } catch (e) {
    port.dispatchEvent(new MessageEvent('messageerror', { data: e }));
    return;
  }
  const carried = [];
  const find = (v) => { if (v instanceof MessagePort) carried.push(v); };
  if (data instanceof MessagePort) find(data);
  port.dispatchEvent(new MessageEvent('message', { data, ports: carried }));
}

function peerClosed(id) {
  const port = ports.get(id);
  if (port !== undefined) port.close();
}

function receiveMessageOnPort(port) {
  if (!(port instanceof MessagePort)) throw Object.assign(new TypeError('The "port" argument must be a MessagePort instance'), { code: 'ERR_INVALID_ARG_TYPE' });
  const m = W.receive(port[kId]);
  return m === undefined ? undefined : { message: fromWire(m[0], m[1]) };
}

// ---------------------------------------------------------------- the parent's side
const workers = new Map(); // threadId -> the Worker object (node or web) of this thread

// Where the worker's code is: a path (absolute, or relative to the current directory) or a
// file: URL.
function workerPath(where, what) {
  let p = where;
  if (p instanceof URL) p = p.href;
  if (typeof p !== 'string') throw Object.assign(new TypeError(`The "filename" argument must be of type string or an instance of URL. Received ${typeof p}`), { code: 'ERR_INVALID_ARG_TYPE' });
  if (p.startsWith('file:')) return native.fileURLToPath(p);
  if (/^[a-z][a-z0-9+.-]*:/i.test(p)) throw Object.assign(new TypeError(`${what}: only file: URLs and paths can be loaded, not ${p}`), { code: 'ERR_WORKER_UNSUPPORTED_OPERATION' });
  return p.startsWith('/') ? p : `${native.cwd()}/${p}`;
}

// Starts a thread; `owner` gets `online`, `error` and `exit` through workerEvent.
function spawn(owner, spec, data, transfer, limits = {}) {
  const [mine, theirs] = W.channel();
  const port = MessagePort.from(mine);
  const wire = toWire(data, transfer);
  spec.port = theirs;
  // The worker's end leaves this thread before the worker can start it.
  W.leave(theirs);
  const heapMb = (Number(limits.maxOldGenerationSizeMb) || 0) + (Number(limits.maxYoungGenerationSizeMb) || 0);
  const id = W.spawn(JSON.stringify(spec), [native.execPath, ...(spec.argv ?? [])], wire, heapMb, Number(limits.stackSizeMb) || 0);
  detachTransferred(transfer);
  workers.set(id, owner);
  native.addRef(1);
  return { id, port };
}

function workerEvent(id, kind, payload) {
  const owner = workers.get(id);
  if (owner === undefined) return;
  if (kind === 'exit') {
    workers.delete(id);
    owner[kEvent]('exit', payload);
  } else if (kind === 'error') {
    owner[kEvent]('error', fromWire(payload[0], payload[1]));
  } else {
    owner[kEvent](kind);
  }
}

const kEvent = Symbol('event');
const kRefed = Symbol('refed');
function setRef(owner, on) {
  if (owner[kRefed] !== on && workers.has(owner.threadId)) native.addRef(on ? 1 : -1);
  owner[kRefed] = on;
}

// node:worker_threads' Worker.
class Worker extends EventEmitter {
  #port; #exitCode; #exitWaiters = [];
  constructor(filename, options = {}) {
    super();
    if (options === null || typeof options !== 'object') options = {};
    const evalCode = !!options.eval;
    let source;
    if (evalCode) {
      if (typeof filename !== 'string') throw Object.assign(new TypeError('The "filename" argument must be of type string when eval is true'), { code: 'ERR_INVALID_ARG_TYPE' });
      source = filename;
    } else {
      source = workerPath(filename, 'new Worker()');
      if (!/\.(m|c)?js$/.test(source) && !native.fs.exists(source)) {
        throw Object.assign(new TypeError(`The worker script or module filename must be an absolute path or a relative path starting with './' or '../'. Received "${filename}"`), { code: 'ERR_WORKER_PATH' });
      }
    }
    const argv = Array.isArray(options.argv) ? options.argv.map(String) : [];
    const spec = { flavour: 'node', kind: evalCode ? 'eval' : 'file', source, name: String(options.name ?? ''), argv: evalCode ? ['[worker eval]', ...argv] : [source, ...argv], env: options.env && options.env !== process.env && typeof options.env === 'object' ? { ...options.env } : undefined };
    const limits = options.resourceLimits !== null && typeof options.resourceLimits === 'object' ? options.resourceLimits : {};
    const { id, port } = spawn(this, spec, { workerData: options.workerData, environmentData: [...environmentData], resourceLimits: limits }, transferList(options.transferList ?? [], 'new Worker()'), limits);
    this.threadId = id;
    this.resourceLimits = { ...limits };
    this[kRefed] = true;
    this.#port = port;
    port.on('message', (v) => this.emit('message', v));
    port.on('messageerror', (e) => this.emit('messageerror', e));
    port.unref();
    if (options.stdout || options.stderr) { /* worker output goes to the process's own stdio */ }
  }
  postMessage(value, transfer) {
    if (this.#exitCode !== undefined) return;
    this.#port.postMessage(value, transfer);
  }
  terminate(callback) {
    const done = new Promise((resolve) => {
      if (this.#exitCode !== undefined) resolve(this.#exitCode);
      else this.#exitWaiters.push(resolve);
    });
    W.terminate(this.threadId);
    if (typeof callback === 'function') done.then((c) => callback(null, c));
    return done;
  }
  ref() { setRef(this, true); return this; }
  unref() { setRef(this, false); return this; }
  get stdin() { return null; }
  get stdout() { return process.stdout; }
  get stderr() { return process.stderr; }
  get performance() { return { eventLoopUtilization: () => ({ idle: 0, active: 0, utilization: 0 }) }; }
  [kEvent](kind, arg) {
    if (kind === 'online') this.emit('online');
    else if (kind === 'error') this.emit('error', arg);
    else if (kind === 'exit') {
      this.#exitCode = arg;
      if (this[kRefed]) native.addRef(-1);
      this[kRefed] = false;
      // Messages the worker posted before it ended are delivered first.
      setImmediate(() => {
        this.#port.close();
        this.emit('exit', arg);
        for (const w of this.#exitWaiters.splice(0)) w(arg);
      });
    }
  }
}

// The web's Worker (as in browsers and Deno): `type: 'module'` or classic scripts.
class WebWorker extends EventTarget {
  #port; #id; #ended = false;
  constructor(url, options = {}) {
    super();
    if (arguments.length === 0) throw new TypeError("Failed to construct 'Worker': 1 argument required, but only 0 present.");
    const type = options?.type ?? 'classic';
    if (type !== 'classic' && type !== 'module') throw new TypeError(`Failed to construct 'Worker': The provided value '${type}' is not a valid enum value of type WorkerType.`);
    const href = url instanceof URL ? url.href : String(url);
    const source = workerPath(/^[a-z][a-z0-9+.-]*:/i.test(href) ? href : (href.startsWith('/') ? href : `${native.cwd()}/${href}`), "Failed to construct 'Worker'");
    const spec = { flavour: 'web', kind: type, source, name: String(options?.name ?? ''), argv: [source] };
    const { id, port } = spawn(this, spec, {}, []);
    this.#id = id;
    this[kRefed] = true;
    this.#port = port;
    port.addEventListener('message', (e) => this.dispatchEvent(new MessageEvent('message', { data: e.data, ports: e.ports })));
    port.addEventListener('messageerror', (e) => this.dispatchEvent(new MessageEvent('messageerror', { data: e.data })));
    port.unref();
  }
  get threadId() { return this.#id; }
  postMessage(value, transfer) {
    if (this.#ended) return;
    this.#port.postMessage(value, transfer);
  }
  terminate() {
    W.terminate(this.#id);
  }
  [kEvent](kind, arg) {
    if (kind === 'error') {
      const ev = new ErrorEvent('error', { message: arg instanceof Error ? `Uncaught ${arg.name}: ${arg.message}` : `Uncaught ${String(arg)}`, error: arg, cancelable: true });
      const handled = this.onerror || this[kListeners]?.get('error')?.length;
      this.dispatchEvent(ev);
      // An error no handler took is the parent's uncaught error (as in Deno).
      if (!handled && !ev.defaultPrevented) queueMicrotask(() => { throw arg; });
    } else if (kind === 'exit') {
      this.#ended = true;
      if (this[kRefed]) native.addRef(-1);
      this[kRefed] = false;
      setImmediate(() => this.#port.close());
    }
  }
  get [Symbol.toStringTag]() { return 'Worker'; }
}
for (const name of ['onmessage', 'onerror', 'onmessageerror']) {
  Object.defineProperty(WebWorker.prototype, name, { value: null, writable: true, configurable: true, enumerable: true });
}

// ---------------------------------------------------------------- the worker's side
let parentPort = null;
let workerData = null;
let resourceLimits = {};
const environmentData = new Map();

// hooks.startWorker: sets up the worker's globals and runs its code.
function startWorker(json, data) {
  const spec = JSON.parse(json);
  const init = data === undefined ? {} : fromWire(data[0], data[1]);
  for (const [k, v] of init.environmentData ?? []) environmentData.set(k, v);
  if (spec.env) {
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, spec.env);
  }
  const port = MessagePort.from(spec.port);
  if (spec.flavour === 'web') return startWebWorker(spec, port);
  parentPort = port;
  workerData = init.workerData;
  resourceLimits = init.resourceLimits ?? {};
    if (spec.kind === 'eval') internal.runScript(spec.source, '[worker eval]', false);
  else internal.runFile(spec.source);
}

function startWebWorker(spec, port) {
  webFlavour = true;
  // `self` is the global scope, an EventTarget whose `message` events come from the parent.
  const scope = new EventTarget();
  let onmessage = null;
  port.addEventListener('message', (e) => {
    const ev = new MessageEvent('message', { data: e.data, ports: e.ports });
    scope.dispatchEvent(ev);
    if (typeof onmessage === 'function') onmessage.call(globalThis, ev);
  });
  port.addEventListener('messageerror', (e) => scope.dispatchEvent(new MessageEvent('messageerror', { data: e.data })));
  port.unref();
  Object.defineProperties(globalThis, {
    self: { value: globalThis, writable: true, configurable: true, enumerable: true },
    name: { value: spec.name, writable: true, configurable: true, enumerable: true },
    postMessage: { value: (value, transfer) => port.postMessage(value, transfer), writable: true, configurable: true, enumerable: true },
    close: { value: () => process.exit(0), writable: true, configurable: true, enumerable: true },
    addEventListener: {
      value: (type, fn, opts) => {
        scope.addEventListener(type, fn, opts);
        if (type === 'message') port.ref();
      },
      writable: true, configurable: true, enumerable: true,
    },
    removeEventListener: { value: (type, fn, opts) => scope.removeEventListener(type, fn, opts), writable: true, configurable: true, enumerable: true },
    dispatchEvent: { value: (ev) => scope.dispatchEvent(ev), writable: true, configurable: true, enumerable: true },
    onmessage: {
      get: () => onmessage,
      set: (fn) => {
        onmessage = typeof fn === 'function' ? fn : null;
        if (onmessage) port.ref();
        else port.unref();
      },
      configurable: true, enumerable: true,
    },
  });
    if (spec.kind === 'module') {
    internal.runFile(spec.source, true);
  } else {
    globalThis.importScripts = (...urls) => {
      for (const u of urls) {
        const file = workerPath(/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('/') ? u : `${spec.source.slice(0, spec.source.lastIndexOf('/'))}/${u}`, 'importScripts');
        native.evalScript(native.fs.readFile(file, true), file);
      }
    };
    native.evalScript(native.fs.readFile(spec.source, true), spec.source);
  }
}

// hooks.fatal's part in a worker: the uncaught error goes to the parent's `error` event.
// Returns whether the worker goes on (a web worker does).
let webFlavour = false;
function reportUncaught(err) {
  // QuickJS throws InternalError('out of memory'), or null when even that error could not be
  // made; `outOfMemory()` says whether the heap limit was reached, and lifts it first so that
  // this report can be made (the worker ends after it).
  const oom = (err === null || (typeof InternalError === 'function' && err instanceof InternalError && err.message === 'out of memory')) && W.outOfMemory();
  let wire;
  try {
    if (oom) {
      // As Node says it.
      wire = toWire(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), []);
      wire[0][1].code = 'ERR_WORKER_OUT_OF_MEMORY';
    } else {
      wire = toWire(err, []);
    }
  } catch {
    wire = toWire(String(err), []);
  }
  W.reportError(...wire);
  return webFlavour;
}

function getEnvironmentData(key) { return environmentData.get(key); }
function setEnvironmentData(key, value) {
  if (value === undefined) environmentData.delete(key);
  else environmentData.set(key, value);
}

module.exports = {
  MessagePort, MessageChannel, MessageEvent, ErrorEvent, WebWorker, receiveMessageOnPort,
  deliver, peerClosed, workerEvent, startWorker, reportUncaught,
  // node:worker_threads
  threads: {
    get isMainThread() { return native.isMainThread; },
    get parentPort() { return parentPort; },
    get workerData() { return workerData; },
    get threadId() { return W.threadId; },
    get resourceLimits() { return resourceLimits; },
    Worker, MessageChannel, MessagePort, BroadcastChannel: undefined, receiveMessageOnPort,
    SHARE_ENV: Symbol.for('nodejs.worker_threads.SHARE_ENV'),
    markAsUntransferable() {}, isMarkedAsUntransferable: () => false, moveMessagePortToContext: undefined,
    getEnvironmentData, setEnvironmentData,
  },
};
