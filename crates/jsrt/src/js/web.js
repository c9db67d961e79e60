// internal/web — the web platform globals: TextEncoder/TextDecoder, URL/URLSearchParams,
// Event/EventTarget/CustomEvent, AbortController/AbortSignal, DOMException, structuredClone,
// atob/btoa, crypto (getRandomValues, randomUUID), Blob, Headers/Response/Request and fetch
// (file: URLs and paths).
'use strict';

function typeError(msg, code) {
  const e = new TypeError(msg);
  if (code) e.code = code;
  return e;
}

// ---------------------------------------------------------------- encoding
class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input = '') { return native.utf8Encode(`${input}`); }
  encodeInto(src, dest) {
    if (!(dest instanceof Uint8Array)) throw typeError('The "dest" argument must be an instance of Uint8Array.', 'ERR_INVALID_ARG_TYPE');
    const [read, written] = native.utf8EncodeInto(`${src}`, dest);
    return { read, written };
  }
  get [Symbol.toStringTag]() { return 'TextEncoder'; }
}

class TextDecoder {
  #encoding; #fatal; #ignoreBOM; #pending = null;
  constructor(label = 'utf-8', options = {}) {
    const enc = native.encodingName(`${label}`);
    if (!enc || enc === 'replacement') throw new RangeError(`The "${label}" encoding is not supported`);
    this.#encoding = enc;
    this.#fatal = !!options?.fatal;
    this.#ignoreBOM = !!options?.ignoreBOM;
  }
  get encoding() { return this.#encoding; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }
  decode(input, options = {}) {
    let bytes;
    if (input === undefined || input === null) bytes = new Uint8Array(0);
    else if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && input instanceof SharedArrayBuffer)) bytes = new Uint8Array(input);
    else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    else throw typeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView.', 'ERR_INVALID_ARG_TYPE');
    const stream = !!options?.stream;
    if (this.#pending) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
      this.#pending = null;
    }
    const [text, keep] = native.decode(this.#encoding, bytes, this.#fatal, this.#ignoreBOM || this.#started, stream);
    if (stream && keep > 0) this.#pending = bytes.slice(bytes.length - keep);
    // The BOM is only stripped at the start of a stream.
    this.#started = stream ? (this.#started || bytes.length - keep > 0) : false;
    return text;
  }
  #started = false;
  get [Symbol.toStringTag]() { return 'TextDecoder'; }
}

// ---------------------------------------------------------------- base64
function btoa(data) {
  if (arguments.length === 0) throw typeError('The "data" argument must be specified', 'ERR_MISSING_ARGS');
  const s = `${data}`;
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new DOMException('Invalid character', 'InvalidCharacterError');
    bytes[i] = c;
  }
  return native.base64Encode(bytes, false);
}
// The HTML spec's forgiving-base64 decode: the bytes, or null when `text` is not base64
// (used by atob and by data: URLs).
function forgivingBase64(text) {
  const s = text.replace(/[\t\n\f\r ]/g, '');
  if (/[^A-Za-z0-9+/=]/.test(s) || s.length % 4 === 1 || /=[^=]/.test(s) || /={3,}$/.test(s)) return null;
  return native.base64Decode(s);
}

function atob(data) {
  if (arguments.length === 0) throw typeError('The "data" argument must be specified', 'ERR_MISSING_ARGS');
  const bytes = forgivingBase64(`${data}`);
  if (bytes === null) throw new DOMException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

// ---------------------------------------------------------------- DOMException
const domCodes = { IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25 };
class DOMException extends Error {
  constructor(message = '', options = 'Error') {
    super(message);
    const name = typeof options === 'object' && options !== null ? options.name ?? 'Error' : `${options}`;
    if (typeof options === 'object' && options !== null && 'cause' in options) this.cause = options.cause;
    Object.defineProperty(this, 'name', { value: name, configurable: true, writable: true });
  }
  get code() { return domCodes[this.name] ?? 0; }
}

// ---------------------------------------------------------------- events
const kStop = Symbol('stop');
class Event {
  #type; #bubbles; #cancelable; #composed; #defaultPrevented = false; #timeStamp;
  constructor(type, init = {}) {
    if (arguments.length === 0) throw typeError('The "type" argument must be specified', 'ERR_MISSING_ARGS');
    this.#type = `${type}`;
    this.#bubbles = !!init?.bubbles;
    this.#cancelable = !!init?.cancelable;
    this.#composed = !!init?.composed;
    this.#timeStamp = performance.now();
    this[kStop] = false;
    this.target = null;
    this.currentTarget = null;
  }
  get type() { return this.#type; }
  get bubbles() { return this.#bubbles; }
  get cancelable() { return this.#cancelable; }
  get composed() { return this.#composed; }
  get defaultPrevented() { return this.#cancelable && this.#defaultPrevented; }
  get timeStamp() { return this.#timeStamp; }
  get srcElement() { return this.target; }
  get isTrusted() { return false; }
  get eventPhase() { return this.currentTarget ? 2 : 0; }
  get returnValue() { return !this.defaultPrevented; }
  preventDefault() { this.#defaultPrevented = true; }
  stopPropagation() {}
  stopImmediatePropagation() { this[kStop] = true; }
  composedPath() { return this.currentTarget ? [this.currentTarget] : []; }
  get [Symbol.toStringTag]() { return 'Event'; }
}
Event.NONE = 0; Event.CAPTURING_PHASE = 1; Event.AT_TARGET = 2; Event.BUBBLING_PHASE = 3;

class CustomEvent extends Event {
  #detail;
  constructor(type, init = {}) { super(type, init); this.#detail = init?.detail ?? null; }
  get detail() { return this.#detail; }
}

const kListeners = Symbol('listeners');
class EventTarget {
  constructor() { this[kListeners] = new Map(); }
  addEventListener(type, listener, options) {
    if (listener === null || listener === undefined) return;
    if (!this[kListeners]) this[kListeners] = new Map();
    const once = typeof options === 'object' && !!options?.once;
    const capture = typeof options === 'boolean' ? options : !!options?.capture;
    const signal = typeof options === 'object' ? options?.signal : undefined;
    if (signal?.aborted) return;
    let list = this[kListeners].get(type);
    if (!list) this[kListeners].set(type, list = []);
    if (list.some((l) => l.listener === listener && l.capture === capture)) return;
    const entry = { listener, once, capture };
    list.push(entry);
    if (signal) signal.addEventListener('abort', () => this.removeEventListener(type, listener, { capture }), { once: true });
  }
  removeEventListener(type, listener, options) {
    const list = this[kListeners]?.get(type);
    if (!list) return;
    const capture = typeof options === 'boolean' ? options : !!options?.capture;
    const i = list.findIndex((l) => l.listener === listener && l.capture === capture);
    if (i !== -1) { list[i].removed = true; list.splice(i, 1); }
  }
  dispatchEvent(event) {
    if (!(event instanceof Event)) throw typeError('The "event" argument must be an instance of Event.', 'ERR_INVALID_ARG_TYPE');
    event.target = this;
    event.currentTarget = this;
    const list = this[kListeners]?.get(event.type);
    const handler = this[`on${event.type}`];
    const all = list ? list.slice() : [];
    if (typeof handler === 'function') all.push({ listener: handler });
    for (const l of all) {
      if (l.removed) continue;
      if (l.once) this.removeEventListener(event.type, l.listener, { capture: l.capture });
      try {
        if (typeof l.listener === 'function') l.listener.call(this, event);
        else if (l.listener && typeof l.listener.handleEvent === 'function') l.listener.handleEvent(event);
      } catch (e) {
        queueMicrotask(() => { throw e; });
      }
      if (event[kStop]) break;
    }
    event.currentTarget = null;
    return !event.defaultPrevented;
  }
  get [Symbol.toStringTag]() { return 'EventTarget'; }
}

class AbortSignal extends EventTarget {
  constructor(key) {
    if (key !== kStop) throw new TypeError('Illegal constructor');
    super();
    this.aborted = false;
    this.reason = undefined;
    this.onabort = null;
  }
  throwIfAborted() { if (this.aborted) throw this.reason; }
  static abort(reason) {
    const s = new AbortSignal(kStop);
    s.aborted = true;
    s.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    return s;
  }
  static timeout(ms) {
    const s = new AbortSignal(kStop);
    setTimeout(() => abortSignal(s, new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms).unref();
    return s;
  }
  static any(signals) {
    const s = new AbortSignal(kStop);
    for (const x of signals) {
      if (x.aborted) { abortSignal(s, x.reason); break; }
      x.addEventListener('abort', () => abortSignal(s, x.reason), { once: true });
    }
    return s;
  }
  get [Symbol.toStringTag]() { return 'AbortSignal'; }
}
function abortSignal(signal, reason) {
  if (signal.aborted) return;
  signal.aborted = true;
  signal.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
  signal.dispatchEvent(new Event('abort'));
}
class AbortController {
  #signal = new AbortSignal(kStop);
  get signal() { return this.#signal; }
  abort(reason) { abortSignal(this.#signal, reason); }
  get [Symbol.toStringTag]() { return 'AbortController'; }
}

// ---------------------------------------------------------------- structuredClone
// A SharedArrayBuffer is shared, not copied: the clone is a new SharedArrayBuffer object over
// the same bytes, as is a shared WebAssembly.Memory's (a new Memory object over the same
// memory); a WebAssembly.Module is a new Module object of the same compiled module.
const sabByteLength = Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get;
// A brand check (a SharedArrayBuffer's byteLength getter throws on anything else), behind a
// cheap test of the tag so that other objects cost no exception.
function isSharedArrayBuffer(v) {
  if (Object.prototype.toString.call(v) !== '[object SharedArrayBuffer]') return false;
  try {
    sabByteLength.call(v);
    return true;
  } catch {
    return false;
  }
}
// Objects that move rather than copy when listed in a transfer list (MessagePort): the
// property holds a function giving the port's id and detaching the object (workers.js).
const kTransfer = Symbol('transfer');
let portFromId; // set by workers.js: id -> a MessagePort of this thread

const errorCtorTable = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
const errorCtors = () => errorCtorTable;
const dataCloneError = (what) => new DOMException(`${what} could not be cloned.`, 'DataCloneError');

// The structured clone walk. `wire` false: the clone itself (structuredClone). `wire` true:
// the value in terms QuickJS's object writer carries across threads (workers/message.rs):
// objects it cannot carry become placeholders, listed with their kind and payload (0: an
// error, whose placeholder holds its fields; 1: a WebAssembly.Module's handle; 2: a shared
// memory's handle; 3: a transferred port's id); array buffers and SharedArrayBuffers stay
// themselves (the writer copies, resp. shares, them).
const objectToString = Object.prototype.toString;
const EMPTY = Object.freeze([]);

function cloneGraph(value, transfer, wire) {
  // Primitives need no walk.
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    if (typeof value === 'symbol') throw dataCloneError(String(value));
    return wire ? [[value], EMPTY, EMPTY] : value;
  }
  // The walk's state (module-level functions, not closures: QuickJS makes closures slowly).
  const st = { memo: new Map(), transfer, wire, placeholders: null, kinds: null, payloads: null };
  const out = cloneValue(st, value);
  if (!wire) return out;
  return st.placeholders === null ? [[out], EMPTY, EMPTY] : [[out, ...st.placeholders], st.kinds, st.payloads];
}

function placeholder(st, kind, payload, holder = {}) {
  if (st.placeholders === null) {
    st.placeholders = [];
    st.kinds = [];
    st.payloads = [];
  }
  st.placeholders.push(holder);
  st.kinds.push(kind);
  st.payloads.push(payload);
  return holder;
}

function cloneWasmObject(st, v, tag) {
  if (tag === '[object WebAssembly.Module]') {
    const { fromHandle, handleOf } = require('internal/wasm/module');
    return st.wire ? placeholder(st, 1, handleOf(v, 'postMessage()')) : fromHandle(handleOf(v, 'structuredClone()'));
  }
  if (tag === '[object WebAssembly.Memory]' && isSharedArrayBuffer(v.buffer)) {
    const mem = require('internal/wasm/memory');
    return st.wire ? placeholder(st, 2, mem.memoryHandle(v)) : mem.cloneShared(v);
  }
  throw dataCloneError(tag);
}

function cloneKeys(st, v, out) {
  st.memo.set(v, out);
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) out[keys[i]] = cloneValue(st, v[keys[i]]);
  return out;
}

function cloneValue(st, v) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    if (typeof v === 'symbol') throw dataCloneError(String(v));
    return v;
  }
  if (typeof v === 'function') throw dataCloneError(v.toString().slice(0, 40));
  const known = st.memo.get(v);
  if (known !== undefined) return known;
  const { wire, transfer } = st;
  const tag = objectToString.call(v);
  // Plain data first: objects and arrays (a port is neither: it has its own tag).
  if (tag === '[object Object]' && !Object.hasOwn(v, kTransfer) && !(v instanceof Error)) return cloneKeys(st, v, {});
  if (tag === '[object Array]') return cloneKeys(st, v, new Array(v.length));
  let out;
  if (tag === '[object SharedArrayBuffer]' && isSharedArrayBuffer(v)) out = wire ? v : native.sabClone(v, v.growable ? v.maxByteLength : 0);
  else if (tag.startsWith('[object WebAssembly.')) out = cloneWasmObject(st, v, tag);
  else if (v[kTransfer] !== undefined && Object.hasOwn(v, kTransfer)) {
    if (!transfer.includes(v)) throw Object.assign(new TypeError('Object that needs transfer was found in message but not listed in transferList'), { code: 'ERR_MISSING_TRANSFERABLE_IN_TRANSFER_LIST' });
    if (!wire) throw dataCloneError('MessagePort');
    out = placeholder(st, 3, v[kTransfer]());
  } else if (v instanceof Date) out = new Date(v.getTime());
  else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
  else if (v instanceof ArrayBuffer) {
    if (v.detached) throw dataCloneError('An ArrayBuffer is detached and');
    out = wire ? v : transfer.includes(v) ? v.transfer() : v.slice(0);
  } else if (ArrayBuffer.isView(v)) {
    const buf = cloneValue(st, v.buffer);
    if (buf === v.buffer) out = v;
    else out = v instanceof DataView ? new DataView(buf, v.byteOffset, v.byteLength) : new v.constructor(buf, v.byteOffset, v.length);
  } else if (v instanceof Map) {
    out = new Map();
    st.memo.set(v, out);
    for (const [k, x] of v) out.set(cloneValue(st, k), cloneValue(st, x));
    return out;
  } else if (v instanceof Set) {
    out = new Set();
    st.memo.set(v, out);
    for (const x of v) out.add(cloneValue(st, x));
    return out;
  } else if (v instanceof Error) {
    const name = v.name in errorCtors() ? v.name : 'Error';
    if (wire) {
      out = placeholder(st, 0, undefined, { name, message: String(v.message), stack: v.stack });
      st.memo.set(v, out);
      if ('cause' in v) out.cause = cloneValue(st, v.cause);
      return out;
    }
    out = new (errorCtors()[name] ?? Error)(v.message);
    if (v.stack !== undefined) out.stack = v.stack;
    if ('cause' in v) out.cause = cloneValue(st, v.cause);
  } else if (v instanceof Boolean || v instanceof Number || v instanceof String || v instanceof BigInt) {
    out = Object(v.valueOf());
  } else if (v instanceof WeakMap || v instanceof WeakSet || v instanceof Promise || v instanceof WeakRef) {
    throw dataCloneError(tag);
  } else {
    return cloneKeys(st, v, {});
  }
  st.memo.set(v, out);
  return out;
}

// The transfer list of postMessage/structuredClone: an iterable, or { transfer } options.
function transferList(options, what) {
  if (options === undefined || options === null) return EMPTY;
  let list = options;
  if (options !== undefined && options !== null && !Array.isArray(options) && typeof options === 'object' && !(Symbol.iterator in options)) list = options.transfer;
  if (list === undefined || list === null) return EMPTY;
  if (typeof list !== 'object' || !(Symbol.iterator in list)) throw new TypeError(`${what}: Optional transferList argument must be an iterable`);
  const out = [...list];
  out.forEach((t, i) => {
    if (isSharedArrayBuffer(t)) throw new TypeError('Found invalid object in transferList');
    if (!(t instanceof ArrayBuffer) && !(t !== null && typeof t === 'object' && Object.hasOwn(t, kTransfer))) {
      throw new DOMException('Found invalid value in transferList.', 'DataCloneError');
    }
    if (out.indexOf(t) !== i) throw new DOMException('Transfer list contains duplicate', 'DataCloneError');
  });
  return out;
}

// postMessage's half: [wire, kinds, payloads] for the natives; ArrayBuffers in the transfer
// list are detached by `detachTransferred` once the message is written.
function toWire(value, transfer) {
  return cloneGraph(value, transfer, true);
}
function detachTransferred(transfer) {
  for (let i = 0; i < transfer.length; i++) {
    const t = transfer[i];
    if (t instanceof ArrayBuffer && !t.detached) t.transfer();
  }
}

// The receiving half: the value of [value, ...placeholders] with the placeholders swapped for
// what they stand for (`extras`: [kind, payload] pairs made on this thread).
function fromWire(wire, extras) {
  const value = wire[0];
  if (wire.length === 1) return value;
  const swap = new Map();
  for (let i = 1; i < wire.length; i++) swap.set(wire[i], revive(wire[i], extras[i - 1]));
  const seen = new Set();
  const fix = (v) => {
    if (v === null || typeof v !== 'object') return v;
    if (swap.has(v)) return swap.get(v);
    if (seen.has(v)) return v;
    seen.add(v);
    if (v instanceof Map) {
      const entries = [...v];
      v.clear();
      for (const [k, x] of entries) v.set(fix(k), fix(x));
    } else if (v instanceof Set) {
      const items = [...v];
      v.clear();
      for (const x of items) v.add(fix(x));
    } else if (!ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer) && !isSharedArrayBuffer(v) && !(v instanceof Date) && !(v instanceof RegExp)) {
      for (const k of Object.keys(v)) v[k] = fix(v[k]);
    }
    return v;
  };
  for (const [holder, made] of swap) {
    if (made instanceof Error && 'cause' in holder) made.cause = holder.cause;
  }
  for (const made of swap.values()) if (made instanceof Error && 'cause' in made) made.cause = fix(made.cause);
  return fix(value);
}

function revive(holder, [kind, payload]) {
  switch (kind) {
    case 0: {
      const e = new (errorCtors()[holder.name] ?? Error)(holder.message);
      if (holder.stack !== undefined) Object.defineProperty(e, 'stack', { value: holder.stack, writable: true, configurable: true, enumerable: false });
      // Only jsrt's own errors carry a code (a worker out of memory: workers.js).
      if (typeof holder.code === 'string') e.code = holder.code;
      return e;
    }
    case 1: return require('internal/wasm/module').fromHandle(payload);
    case 2: return require('internal/wasm/memory').memoryFromHandle(payload);
    case 3: return portFromId(payload);
    default: return undefined;
  }
}

function structuredClone(value, options) {
  if (arguments.length === 0) throw typeError('The "value" argument must be specified', 'ERR_MISSING_ARGS');
  return cloneGraph(value, transferList(options, 'structuredClone'), false);
}

// ---------------------------------------------------------------- crypto
const crypto = {
  getRandomValues(array) {
    if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
      throw new DOMException("The data argument must be an integer-type TypedArray", 'TypeMismatchError');
    }
    if (array.byteLength > 65536) {
      throw new DOMException(`The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`, 'QuotaExceededError');
    }
    return native.randomFill(array);
  },
  randomUUID: () => native.randomUUID(),
  subtle: {},
  get [Symbol.toStringTag]() { return 'Crypto'; },
};

// ---------------------------------------------------------------- URL
const kParts = Symbol('url');
const blobURLs = new Map(); // blob: URL -> Blob
class URL {
  constructor(input, base) {
    if (arguments.length === 0) throw typeError('The "url" argument must be specified', 'ERR_MISSING_ARGS');
    const parts = base === undefined ? native.urlParse(`${input}`) : native.urlParse(`${input}`, `${base}`);
    if (parts == null) {
      const err = typeError(`Invalid URL`, 'ERR_INVALID_URL');
      err.input = `${input}`;
      if (base !== undefined) err.base = `${base}`;
      throw err;
    }
    this[kParts] = parts;
    this._params = null;
  }
  // blob: URLs (File API): a Blob registered under a fresh URL until revoked; fetch reads it.
  static createObjectURL(obj) {
    if (!(obj instanceof Blob)) throw typeError('The "obj" argument must be an instance of Blob.', 'ERR_INVALID_ARG_TYPE');
    const url = `blob:nodedata:${native.randomUUID()}`;
    blobURLs.set(url, obj);
    return url;
  }
  static revokeObjectURL(url) { blobURLs.delete(`${url}`); }
  static canParse(input, base) { return (base === undefined ? native.urlParse(`${input}`) : native.urlParse(`${input}`, `${base}`)) != null; }
  static parse(input, base) { try { return new URL(input, base); } catch { return null; } }
  _set(what, value) {
    this[kParts] = native.urlSet(this[kParts].href, what, `${value}`);
    if (what === 'search' || what === 'href') this._params?._reload(this[kParts].search);
  }
  get href() { return this[kParts].href; }
  set href(v) { this._set('href', v); }
  get origin() { return this[kParts].origin; }
  get protocol() { return this[kParts].protocol; }
  set protocol(v) { this._set('protocol', v); }
  get username() { return this[kParts].username; }
  set username(v) { this._set('username', v); }
  get password() { return this[kParts].password; }
  set password(v) { this._set('password', v); }
  get host() { return this[kParts].host; }
  set host(v) { this._set('host', v); }
  get hostname() { return this[kParts].hostname; }
  set hostname(v) { this._set('hostname', v); }
  get port() { return this[kParts].port; }
  set port(v) { this._set('port', v); }
  get pathname() { return this[kParts].pathname; }
  set pathname(v) { this._set('pathname', v); }
  get search() { return this[kParts].search; }
  set search(v) { this._set('search', v); }
  get hash() { return this[kParts].hash; }
  set hash(v) { this._set('hash', v); }
  get searchParams() {
    if (!this._params) {
      this._params = new URLSearchParams(this[kParts].search);
      this._params._url = this;
    }
    return this._params;
  }
  toString() { return this.href; }
  toJSON() { return this.href; }
  get [Symbol.toStringTag]() { return 'URL'; }
  [Symbol.for('nodejs.util.inspect.custom')](depth, opts, inspect) {
    const p = this[kParts];
    const obj = { href: p.href, origin: p.origin, protocol: p.protocol, username: p.username, password: p.password, host: p.host, hostname: p.hostname, port: p.port, pathname: p.pathname, search: p.search, searchParams: this.searchParams, hash: p.hash };
    return `URL ${inspect(obj, opts)}`;
  }
}
Object.defineProperty(URL.prototype, '_params', { writable: true, enumerable: false, value: null });

const decodeComponent = (s) => {
  try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s.replace(/\+/g, ' '); }
};
const encodeComponent = (s) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

class URLSearchParams {
  #list = [];
  constructor(init) {
    Object.defineProperty(this, '_url', { writable: true, enumerable: false, value: null });
    if (init === undefined || init === null) return;
    if (typeof init === 'object') {
      if (typeof init[Symbol.iterator] === 'function') {
        for (const pair of init) {
          const arr = [...pair];
          if (arr.length !== 2) throw typeError('Each query pair must be an iterable [name, value] tuple', 'ERR_INVALID_TUPLE');
          this.#list.push([`${arr[0]}`, `${arr[1]}`]);
        }
      } else {
        for (const k of Object.keys(init)) this.#list.push([k, `${init[k]}`]);
      }
    } else {
      this._reload(`${init}`);
    }
  }
  _reload(search) {
    this.#list = [];
    const s = search.startsWith('?') ? search.slice(1) : search;
    if (!s) return;
    for (const part of s.split('&')) {
      if (!part) continue;
      const i = part.indexOf('=');
      this.#list.push(i === -1 ? [decodeComponent(part), ''] : [decodeComponent(part.slice(0, i)), decodeComponent(part.slice(i + 1))]);
    }
  }
  #update() {
    if (this._url) {
      const s = this.toString();
      this._url[kParts] = native.urlSet(this._url.href, 'search', s);
    }
  }
  get size() { return this.#list.length; }
  append(k, v) { this.#list.push([`${k}`, `${v}`]); this.#update(); }
  delete(k, v) { this.#list = this.#list.filter(([a, b]) => !(a === `${k}` && (v === undefined || b === `${v}`))); this.#update(); }
  get(k) { const e = this.#list.find(([a]) => a === `${k}`); return e ? e[1] : null; }
  getAll(k) { return this.#list.filter(([a]) => a === `${k}`).map(([, b]) => b); }
  has(k, v) { return this.#list.some(([a, b]) => a === `${k}` && (v === undefined || b === `${v}`)); }
  set(k, v) {
    k = `${k}`; v = `${v}`;
    const i = this.#list.findIndex(([a]) => a === k);
    if (i === -1) this.#list.push([k, v]);
    else {
      this.#list[i][1] = v;
      this.#list = this.#list.filter(([a], j) => a !== k || j === i);
    }
    this.#update();
  }
  sort() { this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this.#update(); }
  forEach(fn, thisArg) { for (const [k, v] of this.#list) fn.call(thisArg, v, k, this); }
  keys() { return this.#list.map(([k]) => k)[Symbol.iterator](); }
  values() { return this.#list.map(([, v]) => v)[Symbol.iterator](); }
  entries() { return this.#list.map(([k, v]) => [k, v])[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  toString() { return this.#list.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&'); }
  get [Symbol.toStringTag]() { return 'URLSearchParams'; }
  [Symbol.for('nodejs.util.inspect.custom')](depth, opts, inspect) {
    if (this.#list.length === 0) return 'URLSearchParams {}';
    return `URLSearchParams { ${this.#list.map(([k, v]) => `${inspect(k)} => ${inspect(v)}`).join(', ')} }`;
  }
}

// ---------------------------------------------------------------- Blob, Headers, Response, fetch
function toBytes(body) {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return native.utf8Encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  if (body instanceof Blob) return body._bytes;
  if (body instanceof URLSearchParams) return native.utf8Encode(body.toString());
  return native.utf8Encode(`${body}`);
}

class Blob {
  constructor(parts = [], options = {}) {
    const chunks = [...parts].map(toBytes);
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const bytes = new Uint8Array(total);
    let pos = 0;
    for (const c of chunks) { bytes.set(c, pos); pos += c.length; }
    Object.defineProperty(this, '_bytes', { value: bytes });
    this.type = options?.type ? `${options.type}`.toLowerCase() : '';
  }
  get size() { return this._bytes.length; }
  async arrayBuffer() { return this._bytes.slice().buffer; }
  async bytes() { return this._bytes.slice(); }
  async text() { return native.decode('utf-8', this._bytes, false, false, false)[0]; }
  slice(start = 0, end = this.size, type = '') { return new Blob([this._bytes.slice(start, end)], { type }); }
  stream() { return bytesStream(this._bytes); }
  get [Symbol.toStringTag]() { return 'Blob'; }
}

class Headers {
  #map = new Map();
  constructor(init) {
    if (init instanceof Headers) for (const [k, v] of init) this.append(k, v);
    else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
    else if (init && typeof init === 'object') for (const k of Object.keys(init)) this.append(k, init[k]);
  }
  append(k, v) {
    k = `${k}`.toLowerCase();
    const prev = this.#map.get(k);
    this.#map.set(k, prev === undefined ? `${v}` : `${prev}, ${v}`);
  }
  set(k, v) { this.#map.set(`${k}`.toLowerCase(), `${v}`); }
  get(k) { return this.#map.get(`${k}`.toLowerCase()) ?? null; }
  has(k) { return this.#map.has(`${k}`.toLowerCase()); }
  delete(k) { this.#map.delete(`${k}`.toLowerCase()); }
  forEach(fn, thisArg) { for (const [k, v] of this) fn.call(thisArg, v, k, this); }
  *entries() { yield* [...this.#map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)); }
  *keys() { for (const [k] of this.entries()) yield k; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator]() { return this.entries(); }
  get [Symbol.toStringTag]() { return 'Headers'; }
}

// A body (fetch spec): null, bytes known at once (`_body`), a ReadableStream given by the
// user (`_source`), or a network body (`_network`). `body` is always a ReadableStream (or
// null), made on first use; reading the whole body reads that stream if it was made.
class Body {
  _initBody(body) {
    // (streams.js is loaded only for a body that may be a stream, not for every Response.)
    const maybeStream = body !== null && typeof body === 'object' && typeof body.getReader === 'function';
    const source = maybeStream && body instanceof require('internal/streams').ReadableStream ? body : null;
    const bytes = source !== null || body === undefined || body === null ? null : toBytes(body);
    Object.defineProperty(this, '_body', { value: bytes, writable: true });
    Object.defineProperty(this, '_source', { value: source, writable: true });
    Object.defineProperty(this, '_stream', { value: source, writable: true });
    Object.defineProperty(this, '_used', { value: false, writable: true });
    // A body still on the network: { id, signal } (fetch over http(s)), read chunk by chunk.
    Object.defineProperty(this, '_network', { value: null, writable: true });
  }
  get body() {
    if (this._stream !== null) return this._stream;
    if (this._network !== null) return (this._stream = networkStream(this));
    if (this._body === null) return null;
    return (this._stream = bytesStream(this._body));
  }
  get bodyUsed() { return this._used || (this._stream !== null && require('internal/streams').isDisturbed(this._stream)); }
  _consume() {
    if (this.bodyUsed || this._stream?.locked) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    if (this._stream !== null) return readStream(this._stream).finally(() => { this._used = true; });
    this._used = true;
    if (this._network !== null) return readAll(this);
    return Promise.resolve(this._body ?? new Uint8Array(0));
  }
  // A second body with the same content (clone()): a stream body is teed, one branch each.
  _cloneBody() {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    if (this._stream === null && this._network === null) return this._body;
    const [a, b] = this.body.tee();
    this._stream = a;
    return b;
  }
  async arrayBuffer() { const b = await this._consume(); return b.buffer.byteLength === b.byteLength ? b.buffer : b.slice().buffer; }
  async bytes() { return (await this._consume()).slice(); }
  async text() { return native.decode('utf-8', await this._consume(), false, false, false)[0]; }
  async json() { return JSON.parse(await this.text()); }
  async blob() { return new Blob([await this._consume()], { type: this.headers.get('content-type') ?? '' }); }
}

// A stream of `bytes` as one chunk (a copy: the body's bytes stay as they are).
function bytesStream(bytes) {
  const { ReadableStream } = require('internal/streams');
  return new ReadableStream({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes.slice());
      controller.close();
    },
  });
}

// All of a stream's chunks (Uint8Arrays, as the fetch spec requires) as one Uint8Array.
async function readStream(stream) {
  const reader = stream.getReader();
  const chunks = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError('Received non-Uint8Array chunk');
    chunks.push(value);
  }
  return concatBytes(chunks);
}

function concatBytes(chunks) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// The natives of fetch over http(s) (src/http/), made on first use.
let httpNatives;
const http = () => (httpNatives ??= native.httpNatives());

// `[promise, op]` from the natives as a promise that `signal` aborts (the operation is
// cancelled and the promise rejects with the signal's reason).
function abortable(signal, [promise, op], body = 0) {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      http().cancel(op, body);
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then((v) => {
      signal.removeEventListener('abort', onAbort);
      resolve(v);
    }, (e) => {
      signal.removeEventListener('abort', onAbort);
      reject(e);
    });
  });
}

// The next chunk of a network body (a Uint8Array), or null at its end.
function readChunk(owner) {
  const net = owner._network;
  if (net === null || net.done) return Promise.resolve(null);
  const read = http().read(net.id);
  // The read in flight, for a cancel of the body's stream.
  net.reading = read[1];
  return abortable(net.signal, read, net.id).then((chunk) => {
    net.reading = 0;
    if (chunk === null) net.done = true;
    return chunk;
  });
}

async function readAll(owner) {
  const chunks = [];
  for (let c = await readChunk(owner); c !== null; c = await readChunk(owner)) chunks.push(c);
  return concatBytes(chunks);
}

// `response.body` of a network response: a ReadableStream (streams.js) pulling the body from
// the network chunk by chunk as it is read.
function networkStream(owner) {
  const { ReadableStream } = require('internal/streams');
  return new ReadableStream({
    pull(controller) {
      owner._used = true;
      return readChunk(owner).then((chunk) => (chunk === null ? controller.close() : controller.enqueue(chunk)));
    },
    cancel() {
      const net = owner._network;
      if (net !== null && !net.done) {
        net.done = true;
        http().cancel(net.reading ?? 0, net.id);
      }
    },
  }, { highWaterMark: 0 });
}

class Response extends Body {
  constructor(body = null, init = {}) {
    super();
    this._initBody(body);
    const status = init.status ?? 200;
    if (!(status >= 200 && status <= 599)) throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
    this.status = status;
    this.statusText = init.statusText ?? '';
    this.headers = new Headers(init.headers);
    if (typeof body === 'string' && !this.headers.has('content-type')) this.headers.set('content-type', 'text/plain;charset=UTF-8');
    this.type = 'default';
    this.url = init.url ?? '';
    this.redirected = false;
  }
  get ok() { return this.status >= 200 && this.status < 300; }
  clone() {
    const r = new Response(this._cloneBody(), { status: this.status, statusText: this.statusText, headers: this.headers, url: this.url });
    r.type = this.type;
    r.redirected = this.redirected;
    return r;
  }
  static json(data, init = {}) {
    const r = new Response(JSON.stringify(data), init);
    r.headers.set('content-type', 'application/json');
    return r;
  }
  static error() { const r = new Response(null, { status: 200 }); r.status = 0; r.type = 'error'; return r; }
  get [Symbol.toStringTag]() { return 'Response'; }
}

class Request extends Body {
  constructor(input, init = {}) {
    super();
    this.url = input instanceof Request ? input.url : new URL(`${input}`, native.pathToFileURL(native.cwd() + '/')).href;
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = new Headers(init.headers);
    this._initBody(init.body);
    if (this._source !== null && init.duplex !== 'half') throw new TypeError('RequestInit: duplex option is required when sending a body.');
    this.signal = init.signal ?? (input instanceof Request ? input.signal : new AbortController().signal);
    const redirect = init.redirect ?? (input instanceof Request ? input.redirect : 'follow');
    if (redirect !== 'follow' && redirect !== 'manual' && redirect !== 'error') {
      throw new TypeError(`Failed to construct 'Request': The provided value '${redirect}' is not a valid enum value of type RequestRedirect.`);
    }
    this.redirect = redirect;
    if (init.body !== undefined && init.body !== null && (this.method === 'GET' || this.method === 'HEAD')) {
      throw new TypeError('Request with GET/HEAD method cannot have body.');
    }
  }
  get [Symbol.toStringTag]() { return 'Request'; }
}

const mimeTypes = { wasm: 'application/wasm', js: 'text/javascript', mjs: 'text/javascript', json: 'application/json', html: 'text/html', txt: 'text/plain', css: 'text/css' };

// A network error: TypeError "fetch failed" with the reason as its cause (as Node's fetch).
function fetchFailed(reason) {
  const err = typeError('fetch failed');
  err.cause = reason instanceof Error ? reason : new Error(reason);
  return err;
}

// Bytes of `s` (a URL's text, so ASCII) with %XX sequences decoded (URL spec, percent-decode).
function percentDecode(s) {
  const bytes = native.utf8Encode(s);
  const out = new Uint8Array(bytes.length);
  const hex = (b) => (b >= 48 && b <= 57 ? b - 48 : (b | 32) >= 97 && (b | 32) <= 102 ? (b | 32) - 87 : -1);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 37 && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
      out[n++] = hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]);
      i += 2;
    } else {
      out[n++] = bytes[i];
    }
  }
  return out.subarray(0, n);
}

// A MIME type string parsed and serialized (MIME Sniffing spec, simplified: type/subtype
// lower-cased, parameters kept), or null if it is not one.
function serializeMime(text) {
  const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
  const [essence, ...params] = text.split(';');
  const [type, subtype, extra] = essence.trim().split('/');
  if (extra !== undefined || !token.test(type ?? '') || !token.test(subtype ?? '')) return null;
  let out = `${type}/${subtype}`.toLowerCase();
  for (const p of params) {
    const eq = p.indexOf('=');
    const name = p.slice(0, eq).trim().toLowerCase();
    const value = p.slice(eq + 1);
    if (eq > 0 && token.test(name) && value !== '') out += `;${name}=${value}`;
  }
  return out;
}

// The fetch spec's data: URL processor: the media type before the comma (";base64" at its
// end: the body is base64), the percent-decoded body after it.
function fetchDataURL(href) {
  const input = href.slice('data:'.length);
  const comma = input.indexOf(',');
  if (comma < 0) throw fetchFailed('invalid data: URL (no comma)');
  let mime = input.slice(0, comma).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
  let body = percentDecode(input.slice(comma + 1));
  const base64 = /;\x20*base64$/i.exec(mime);
  if (base64) {
    mime = mime.slice(0, base64.index).replace(/\x20+$/, '');
    // The body's bytes as Latin-1 text (base64 is ASCII; any other byte makes it invalid).
    let text = '';
    for (let i = 0; i < body.length; i += 8192) text += String.fromCharCode(...body.subarray(i, i + 8192));
    body = forgivingBase64(text);
    if (body === null) throw fetchFailed('invalid base64 in a data: URL');
  }
  if (mime.startsWith(';')) mime = `text/plain${mime}`;
  const type = serializeMime(mime) ?? 'text/plain;charset=US-ASCII';
  return new Response(body, { status: 200, statusText: 'OK', headers: { 'content-type': type }, url: href });
}

function fetchBlobURL(href) {
  const blob = blobURLs.get(href);
  if (!blob) throw fetchFailed(`no Blob registered for ${href}`);
  const headers = { 'content-length': `${blob.size}` };
  if (blob.type) headers['content-type'] = blob.type;
  return new Response(blob._bytes.slice(), { status: 200, statusText: 'OK', headers, url: href });
}

// fetch over http(s): the request goes out on the network thread (src/http/client.rs); the
// response comes back as soon as its head is in, its body read as it is consumed.
// Ports fetch refuses (the Fetch standard's "bad port" list).
const badPorts = new Set([1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080]);

async function fetchHTTP(req, url) {
  const signal = req.signal;
  if (signal.aborted) throw signal.reason;
  if (url.port !== '' && badPorts.has(Number(url.port))) throw fetchFailed('bad port');
  const headers = [...req.headers];
  // As Node's fetch: a user agent unless the request names one.
  if (!req.headers.has('user-agent')) headers.push(['user-agent', 'node']);
  // A stream body is read whole before the request goes out (no streamed uploads yet).
  const body = req._source !== null ? await req._consume() : req._body;
  const [status, statusText, headerList, finalUrl, redirected, bodyId] = await abortable(signal, http().fetch(req.method, url.href, headers, body, req.redirect));
  const res = new Response(null, { headers: headerList });
  res.status = status;
  res.statusText = statusText;
  res.url = finalUrl;
  res.redirected = redirected;
  res._network = { id: bodyId, signal, done: false };
  return res;
}

async function fetch(input, init = {}) {
  const req = input instanceof Request ? input : new Request(input, init);
  const url = new URL(req.url);
  url.hash = '';
  if (url.protocol === 'data:') return fetchDataURL(url.href);
  if (url.protocol === 'blob:') return fetchBlobURL(url.href);
  if (url.protocol === 'http:' || url.protocol === 'https:') return fetchHTTP(req, url);
  if (url.protocol !== 'file:') throw fetchFailed(`unknown scheme ${url.protocol}`);
  const path = native.fileURLToPath(url.href);
  let bytes;
  try {
    bytes = await native.fs.readFileAsync(path, false);
  } catch (e) {
    const err = typeError(`fetch failed: ${e.message}`);
    err.cause = e;
    throw err;
  }
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const headers = { 'content-length': `${bytes.length}` };
  if (mimeTypes[ext]) headers['content-type'] = mimeTypes[ext];
  return new Response(bytes, { status: 200, headers, url: url.href });
}

module.exports = {
  TextEncoder, TextDecoder, atob, btoa, DOMException, Event, CustomEvent, EventTarget, AbortController,
  AbortSignal, structuredClone, isSharedArrayBuffer, toWire, fromWire, detachTransferred, transferList, kTransfer, kListeners,
  setPortFromId: (f) => { portFromId = f; }, crypto, URL, URLSearchParams, Blob, Headers, Response, Request, fetch,
};
