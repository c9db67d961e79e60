// node:http and node:https, the client half: `request`/`get` with a `ClientRequest` (a
// Writable whose body goes out when it ends) and an `IncomingMessage` (a Readable fed chunk by
// chunk from the network), on the HTTP client of fetch (src/http/: reqwest, rustls; redirects
// are not followed, as in Node). Servers (`createServer`) are not there yet.
'use strict';

const { Readable, Writable } = require('stream');

let httpNatives;
const natives = () => (httpNatives ??= native.httpNatives());

const METHODS = ['ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE'];
const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a Teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates', 507: 'Insufficient Storage', 508: 'Loop Detected', 509: 'Bandwidth Limit Exceeded', 510: 'Not Extended', 511: 'Network Authentication Required',
};

// The response: its body pulled from the network as the stream is read.
class IncomingMessage extends Readable {
  constructor(head) {
    super();
    const [status, statusText, headerList, , , bodyId] = head;
    this.statusCode = status;
    this.statusMessage = STATUS_CODES[status] ?? statusText;
    this.httpVersion = '1.1';
    this.httpVersionMajor = 1;
    this.httpVersionMinor = 1;
    this.headers = {};
    this.rawHeaders = [];
    this.trailers = {};
    this.rawTrailers = [];
    this.complete = false;
    this.aborted = false;
    this.url = '';
    this.method = null;
    for (const [k, v] of headerList) {
      this.rawHeaders.push(k, v);
      if (k === 'set-cookie') (this.headers[k] ??= []).push(v);
      else this.headers[k] = this.headers[k] === undefined ? v : `${this.headers[k]}, ${v}`;
    }
    this._bodyId = bodyId;
    this._reading = false;
  }
  _read() {
    if (this._reading) return;
    this._reading = true;
    const [promise, op] = natives().read(this._bodyId);
    this._op = op;
    promise.then((chunk) => {
      this._reading = false;
      if (chunk === null) {
        this.complete = true;
        this.push(null);
      } else if (this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
        this._read();
      }
    }, (err) => {
      this._reading = false;
      this.destroy(err?.cause ?? err);
    });
  }
  _destroy(err, cb) {
    if (!this.complete) natives().cancel(this._reading ? this._op : 0, this._bodyId);
    cb(err);
  }
  setTimeout(ms, cb) {
    if (cb) this.once('timeout', cb);
    return this;
  }
}

// `http.request(url, options, callback)` and `(options, callback)`: the URL and the options.
function requestTarget(defaultProtocol, args) {
  let url;
  let options = {};
  let callback;
  for (const a of args) {
    if (typeof a === 'function') callback = a;
    else if (typeof a === 'string' || a instanceof URL) url = new URL(a);
    else if (a !== null && typeof a === 'object') options = { ...options, ...a };
  }
  const protocol = options.protocol ?? url?.protocol ?? defaultProtocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw Object.assign(new TypeError(`Protocol "${protocol}" not supported. Expected "${defaultProtocol}"`), { code: 'ERR_INVALID_PROTOCOL' });
  }
  let host = options.hostname ?? (options.host ? String(options.host).replace(/:\d+$/, '') : undefined) ?? url?.hostname ?? 'localhost';
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  const port = options.port ?? (url?.port || undefined);
  const path = options.path ?? (url ? `${url.pathname}${url.search}` : '/');
  const auth = options.auth ?? (url?.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined);
  const href = `${protocol}//${host}${port !== undefined && port !== '' ? `:${port}` : ''}${path}`;
  return { href, method: String(options.method ?? 'GET').toUpperCase(), headers: options.headers ?? {}, auth, timeout: options.timeout, signal: options.signal, callback };
}

// The request: headers until the body starts, the body buffered and sent when it ends.
class ClientRequest extends Writable {
  #target; #headers = new Map(); #chunks = []; #op = 0; #timer; #done = false;
  constructor(target) {
    // Not destroyed when the body is sent: the response is still to come.
    super({ autoDestroy: false });
    this.#target = target;
    this.method = target.method;
    this.path = new URL(target.href).pathname + new URL(target.href).search;
    this.host = new URL(target.href).hostname;
    this.protocol = new URL(target.href).protocol;
    this.aborted = false;
    this.reusedSocket = false;
    const h = target.headers;
    if (Array.isArray(h)) for (let i = 0; i + 1 < h.length; i += 2) this.setHeader(h[i], h[i + 1]);
    else for (const k of Object.keys(h)) this.setHeader(k, h[k]);
    if (target.auth !== undefined && !this.hasHeader('authorization')) this.setHeader('Authorization', `Basic ${Buffer.from(target.auth).toString('base64')}`);
    if (target.callback) this.once('response', target.callback);
    if (target.timeout !== undefined) this.setTimeout(target.timeout);
    if (target.signal) {
      if (target.signal.aborted) queueMicrotask(() => this.destroy(abortError(target.signal)));
      else target.signal.addEventListener('abort', () => this.destroy(abortError(target.signal)), { once: true });
    }
  }
  setHeader(name, value) {
    if (this.headersSent) throw Object.assign(new Error('Cannot set headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
    this.#headers.set(String(name).toLowerCase(), [String(name), value]);
    return this;
  }
  getHeader(name) { return this.#headers.get(String(name).toLowerCase())?.[1]; }
  hasHeader(name) { return this.#headers.has(String(name).toLowerCase()); }
  removeHeader(name) { this.#headers.delete(String(name).toLowerCase()); }
  getHeaderNames() { return [...this.#headers.keys()]; }
  getHeaders() { return Object.fromEntries([...this.#headers].map(([k, [, v]]) => [k, v])); }
  get headersSent() { return this.#op !== 0; }
  flushHeaders() {}
  setNoDelay() {}
  setSocketKeepAlive() {}
  setTimeout(ms, cb) {
    if (cb) this.once('timeout', cb);
    clearTimeout(this.#timer);
    if (ms > 0) {
      this.#timer = setTimeout(() => this.emit('timeout'), ms);
      this.#timer.unref?.();
    }
    return this;
  }
  abort() {
    if (this.aborted) return;
    this.aborted = true;
    queueMicrotask(() => this.emit('abort'));
    this.destroy();
  }
  _write(chunk, encoding, cb) {
    this.#chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    cb();
  }
  _final(cb) {
    this.#send();
    cb();
  }
  #send() {
    const headers = [];
    for (const [, [name, value]] of this.#headers) {
      if (Array.isArray(value)) for (const v of value) headers.push([name, String(v)]);
      else headers.push([name, String(value)]);
    }
    const body = this.#chunks.length === 0 ? null : Buffer.concat(this.#chunks);
    let pair;
    try {
      pair = natives().fetch(this.method, this.#target.href, headers, body, 'manual');
    } catch (e) {
      queueMicrotask(() => this.destroy(e));
      return;
    }
    const [promise, op] = pair;
    this.#op = op;
    promise.then((head) => {
      this.#done = true;
      clearTimeout(this.#timer);
      if (this.destroyed) return;
      const res = new IncomingMessage(head);
      res.req = this;
      res.once('end', () => queueMicrotask(() => this.emit('close')));
      if (this.listenerCount('response') === 0) res.resume();
      this.emit('response', res);
    }, (err) => {
      this.#done = true;
      clearTimeout(this.#timer);
      if (!this.destroyed) this.destroy(err?.cause ?? err);
    });
  }
  _destroy(err, cb) {
    clearTimeout(this.#timer);
    if (this.#op !== 0 && !this.#done) natives().cancel(this.#op, 0);
    if (!err && !this.#done && this.#op !== 0) err = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    cb(err);
  }
}

function abortError(signal) {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR', cause: signal.reason });
}

class Agent {
  constructor(options = {}) {
    this.options = { ...options };
    this.keepAlive = !!options.keepAlive;
    this.maxSockets = options.maxSockets ?? Infinity;
    this.maxFreeSockets = options.maxFreeSockets ?? 256;
    this.sockets = {};
    this.freeSockets = {};
    this.requests = {};
  }
  destroy() {}
}

function flavour(protocol) {
  const request = (...args) => new ClientRequest(requestTarget(protocol, args));
  return {
    METHODS, STATUS_CODES, Agent, globalAgent: new Agent(), ClientRequest, IncomingMessage,
    request,
    get(...args) {
      const req = request(...args);
      req.end();
      return req;
    },
    createServer() {
      throw Object.assign(new Error('node:http servers are not implemented in jsrt yet'), { code: 'ERR_NOT_IMPLEMENTED' });
    },
    validateHeaderName(name) {
      if (typeof name !== 'string' || !/^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/.test(name)) throw Object.assign(new TypeError(`Header name must be a valid HTTP token ["${name}"]`), { code: 'ERR_INVALID_HTTP_TOKEN' });
    },
    validateHeaderValue(name, value) {
      if (value === undefined) throw Object.assign(new TypeError(`Invalid value "${value}" for header "${name}"`), { code: 'ERR_HTTP_INVALID_HEADER_VALUE' });
      if (/[^\t\x20-\x7e\x80-\xff]/.test(String(value))) throw Object.assign(new TypeError(`Invalid character in header content ["${name}"]`), { code: 'ERR_INVALID_CHAR' });
    },
    maxHeaderSize: 16384,
  };
}

module.exports = { http: flavour('http:'), https: flavour('https:') };
