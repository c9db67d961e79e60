// node:http and node:https. The client: `request`/`get` with a `ClientRequest` (a Writable
// whose body goes out when it ends) and an `IncomingMessage` (a Readable fed chunk by chunk
// from the network), on the HTTP client of fetch (src/http/client.rs: reqwest, rustls;
// redirects are not followed, as in Node). The server: `createServer` (src/http/server.rs:
// hyper), a `Server` that emits `request` with an `IncomingMessage` and a `ServerResponse` (a
// Writable). HTTPS servers are not there yet.
'use strict';

const EventEmitter = require('events');
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

// A message whose body is pulled from the network as the stream is read: a client's response
// or a server's request.
class IncomingMessage extends Readable {
  constructor(bodyId, headerList) {
    super();
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
    this.statusCode = null;
    this.statusMessage = null;
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

// The response a client gets.
function clientResponse(head) {
  const [status, statusText, headerList, , , bodyId] = head;
  const res = new IncomingMessage(bodyId, headerList);
  res.statusCode = status;
  res.statusMessage = statusText || STATUS_CODES[status] || '';
  return res;
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
      const res = clientResponse(head);
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

// ---------------------------------------------------------------- the server
const servers = new Map(); // server id -> Server listening on this thread

// What a handler answers with: a head (sent with the first chunk, or at the end with the
// body's length when the whole body is given there), then the body's chunks.
class ServerResponse extends Writable {
  #id; #headers = new Map(); #sent = false;
  constructor(id, req) {
    super({ autoDestroy: false });
    this.#id = id;
    this.req = req;
    this.statusCode = 200;
    this.statusMessage = undefined;
    this.sendDate = true;
    this.chunkedEncoding = false;
  }
  setHeader(name, value) {
    if (this.#sent) throw Object.assign(new Error('Cannot set headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
    this.#headers.set(String(name).toLowerCase(), [String(name), value]);
    return this;
  }
  appendHeader(name, value) {
    const prev = this.getHeader(name);
    return this.setHeader(name, prev === undefined ? value : [].concat(prev, value));
  }
  getHeader(name) { return this.#headers.get(String(name).toLowerCase())?.[1]; }
  hasHeader(name) { return this.#headers.has(String(name).toLowerCase()); }
  removeHeader(name) { this.#headers.delete(String(name).toLowerCase()); }
  getHeaderNames() { return [...this.#headers.keys()]; }
  getHeaders() { return Object.fromEntries([...this.#headers].map(([k, [, v]]) => [k, v])); }
  get headersSent() { return this.#sent; }
  get finished() { return this.writableEnded; }
  writeHead(status, message, headers) {
    if (typeof message !== 'string') [message, headers] = [undefined, message];
    this.statusCode = status;
    if (message !== undefined) this.statusMessage = message;
    if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
    else if (headers) for (const k of Object.keys(headers)) this.setHeader(k, headers[k]);
    return this;
  }
  flushHeaders() { this.#sendHead(); }
  #sendHead() {
    if (this.#sent) return;
    this.#sent = true;
    const list = [];
    for (const [, [name, value]] of this.#headers) {
      if (Array.isArray(value)) for (const v of value) list.push([name, String(v)]);
      else list.push([name, String(value)]);
    }
    natives().respond(this.#id, this.statusCode, this.statusMessage, list);
  }
  _write(chunk, encoding, cb) {
    this.#sendHead();
    natives().write(this.#id, typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    cb();
  }
  end(chunk, encoding, cb) {
    if (typeof chunk === 'function') [chunk, encoding, cb] = [undefined, undefined, chunk];
    if (typeof encoding === 'function') [encoding, cb] = [undefined, encoding];
    if (!this.#sent && !this.writableEnded) {
      // The whole body is here: say its length, as Node does.
      const body = chunk === undefined || chunk === null ? Buffer.alloc(0) : typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (!this.hasHeader('content-length') && !this.hasHeader('transfer-encoding')) this.setHeader('Content-Length', body.length);
      this.#sendHead();
      if (body.length > 0 && this.req.method !== 'HEAD') natives().write(this.#id, body);
      chunk = undefined;
    }
    return super.end(chunk, encoding, cb);
  }
  _final(cb) {
    this.#sendHead();
    natives().end(this.#id);
    cb();
    queueMicrotask(() => this.emit('close'));
  }
  setTimeout(ms, cb) {
    if (cb) this.once('timeout', cb);
    return this;
  }
  writeContinue() {}
}

// PEM text of a `key`/`cert` option: a string, a Buffer, or an array of them.
function pemOption(value, name) {
  const one = (v) => (typeof v === 'string' ? v : ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1') : null);
  const parts = (Array.isArray(value) ? value : [value]).map(one);
  if (value === undefined || parts.includes(null)) {
    throw Object.assign(new TypeError(`The "options.${name}" property must be of type string or an instance of Buffer, TypedArray, or DataView.`), { code: 'ERR_INVALID_ARG_TYPE' });
  }
  return parts.join('\n');
}

class Server extends EventEmitter {
  #id = 0; #address = null; #refed = true; #holding = false; #tls;
  constructor(options, listener, tls = false) {
    super();
    if (typeof options === 'function') [options, listener] = [{}, options];
    if (listener) this.on('request', listener);
    // An https server: its certificate and key, checked now (as Node does).
    if (tls) {
      if (options?.pfx !== undefined) throw Object.assign(new Error('https.createServer: the pfx option is not supported by jsrt; pass key and cert (PEM)'), { code: 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM' });
      this.#tls = natives().tlsConfig(pemOption(options?.cert, 'cert'), pemOption(options?.key, 'key'));
    }
    this._encrypted = tls;
    this.listening = false;
    this.timeout = 0;
    this.keepAliveTimeout = 5000;
    this.headersTimeout = 60000;
    this.requestTimeout = 300000;
    this.maxHeadersCount = null;
    this.maxRequestsPerSocket = 0;
  }
  listen(...args) {
    let port = 0;
    let host;
    let cb;
    for (const a of args) {
      if (typeof a === 'function') cb = a;
      else if (typeof a === 'number' || (typeof a === 'string' && /^\d+$/.test(a))) port = Number(a);
      else if (typeof a === 'string') host = a;
      else if (a !== null && typeof a === 'object') {
        if (a.port !== undefined) port = Number(a.port);
        if (a.host !== undefined) host = a.host;
      }
    }
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw Object.assign(new RangeError(`options.port should be >= 0 and < 65536. Received ${port}.`), { code: 'ERR_SOCKET_BAD_PORT' });
    if (cb) this.once('listening', cb);
    if (host === 'localhost') host = '127.0.0.1';
    natives().listen(host ?? '::', port, this.#tls).then(([id, address, boundPort, family]) => {
      this.#id = id;
      this.#address = { address, family, port: boundPort };
      this.listening = true;
      servers.set(id, this);
      this.#hold();
      this.emit('listening');
    }, (err) => this.emit('error', err));
    return this;
  }
  address() { return this.#address; }
  close(cb) {
    if (!this.listening) {
      if (cb) queueMicrotask(() => cb(Object.assign(new Error('Server is not running.'), { code: 'ERR_SERVER_NOT_RUNNING' })));
      return this;
    }
    natives().close(this.#id);
    servers.delete(this.#id);
    this.listening = false;
    this.#hold();
    if (cb) this.once('close', cb);
    queueMicrotask(() => this.emit('close'));
    return this;
  }
  ref() { this.#refed = true; this.#hold(); return this; }
  unref() { this.#refed = false; this.#hold(); return this; }
  // A listening, referenced server keeps its thread's loop alive.
  #hold() {
    const want = this.listening && this.#refed;
    if (want !== this.#holding) {
      this.#holding = want;
      native.addRef(want ? 1 : -1);
    }
  }
  closeAllConnections() {}
  closeIdleConnections() {}
  setTimeout(ms, cb) {
    this.timeout = ms;
    if (cb) this.on('timeout', cb);
    return this;
  }
  [Symbol.asyncDispose]() { return new Promise((resolve) => this.close(() => resolve())); }
}

// hooks.httpRequest: a request for server `serverId` of this thread.
function onRequest(serverId, id, [method, url, version, headerList, bodyId, remoteAddress, remotePort]) {
  const server = servers.get(serverId);
  const req = new IncomingMessage(bodyId, headerList);
  req.method = method;
  req.url = url;
  req.httpVersion = version;
  req.httpVersionMinor = version === '1.0' ? 0 : 1;
  req.socket = req.connection = { remoteAddress, remotePort, remoteFamily: remoteAddress.includes(':') ? 'IPv6' : 'IPv4', encrypted: server?._encrypted ?? false };
  const res = new ServerResponse(id, req);
  res.socket = res.connection = req.socket;
  if (server === undefined) {
    res.statusCode = 503;
    res.end();
    return;
  }
  server.emit('request', req, res);
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
    createServer(options, listener) {
      return new Server(options, listener, protocol === 'https:');
    },
    Server, ServerResponse,
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

module.exports = { http: flavour('http:'), https: flavour('https:'), onRequest };
