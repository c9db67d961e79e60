// jsrt:fs — Node's fs subset over the Rust natives (src/builtins/fs.rs): sync calls,
// callback forms, and `promises` whose work runs off the JS thread.
'use strict';

const fsn = native.fs;

function pathArg(p) {
  if (typeof p === 'string') return p;
  if (p instanceof URL) return native.fileURLToPath(p.href);
  if (ArrayBuffer.isView(p)) return new TextDecoder().decode(p);
  throw internal.invalidArgType('path', 'string or an instance of Buffer or URL', p);
}

function encodingOf(options) {
  if (typeof options === 'string') return options;
  if (options && typeof options === 'object') return options.encoding ?? null;
  return null;
}

function toBuffer(u8) {
  const { Buffer } = require('buffer');
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

function decodeAs(data, encoding) {
  if (encoding === null || encoding === undefined || encoding === 'buffer') return toBuffer(data);
  return toBuffer(data).toString(encoding);
}

function isUtf8(enc) { return enc === 'utf8' || enc === 'utf-8'; }

function readFileSync(path, options) {
  const enc = encodingOf(options);
  if (isUtf8(enc)) return fsn.readFile(pathArg(path), true);
  return decodeAs(fsn.readFile(pathArg(path), false), enc);
}

function dataArg(data, options) {
  if (typeof data === 'string') {
    const enc = encodingOf(options);
    if (enc && !isUtf8(enc)) return require('buffer').Buffer.from(data, enc);
    return data;
  }
  if (ArrayBuffer.isView(data)) return data;
  return String(data);
}

function writeFileSync(path, data, options) {
  const flag = options && typeof options === 'object' ? options.flag : undefined;
  fsn.writeFile(pathArg(path), dataArg(data, options), flag === 'a');
}
function appendFileSync(path, data, options) { fsn.writeFile(pathArg(path), dataArg(data, options), true); }

class Stats {
  constructor(s) {
    Object.assign(this, {
      dev: s.dev, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid, rdev: 0, blksize: 4096,
      ino: s.ino, size: s.size, blocks: Math.ceil(s.size / 512),
      atimeMs: s.atimeMs, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, birthtimeMs: s.birthtimeMs,
      atime: new Date(s.atimeMs), mtime: new Date(s.mtimeMs), ctime: new Date(s.ctimeMs), birthtime: new Date(s.birthtimeMs),
    });
    Object.defineProperty(this, '_kind', { value: s.kind });
  }
  isFile() { return this._kind === 0; }
  isDirectory() { return this._kind === 1; }
  isSymbolicLink() { return this._kind === 2; }
  isFIFO() { return false; }
  isSocket() { return false; }
  isBlockDevice() { return false; }
  isCharacterDevice() { return this._kind === 3; }
}

function statSync(path, options) {
  try {
    return new Stats(fsn.stat(pathArg(path), true));
  } catch (e) {
    if (options && options.throwIfNoEntry === false && e.code === 'ENOENT') return undefined;
    throw e;
  }
}
function lstatSync(path) { return new Stats(fsn.stat(pathArg(path), false)); }

class Dirent {
  constructor(name, kind, parentPath) { this.name = name; this._kind = kind; this.parentPath = parentPath; this.path = parentPath; }
  isFile() { return this._kind === 0; }
  isDirectory() { return this._kind === 1; }
  isSymbolicLink() { return this._kind === 2; }
}

function readdirSync(path, options) {
  const p = pathArg(path);
  const entries = fsn.readdir(p);
  if (options && options.withFileTypes) return entries.map(([kind, name]) => new Dirent(name, kind, p));
  return entries.map(([, name]) => name);
}

function mkdirSync(path, options) {
  const recursive = typeof options === 'object' && options !== null && !!options.recursive;
  const p = pathArg(path);
  // Node returns the first directory a recursive mkdir created.
  let first;
  if (recursive) {
    const { resolve, dirname } = require('path');
    for (let d = resolve(p); !fsn.exists(d); d = dirname(d)) first = d;
  }
  fsn.mkdir(p, recursive);
  return first;
}

const fs = {
  readFileSync,
  writeFileSync,
  appendFileSync,
  existsSync: (p) => { try { return fsn.exists(pathArg(p)); } catch { return false; } },
  statSync,
  lstatSync,
  readdirSync,
  mkdirSync,
  rmSync: (p, o) => fsn.rm(pathArg(p), !!o?.recursive, !!o?.force),
  rmdirSync: (p, o) => fsn.rm(pathArg(p), !!o?.recursive, false),
  unlinkSync: (p) => fsn.unlink(pathArg(p)),
  renameSync: (a, b) => fsn.rename(pathArg(a), pathArg(b)),
  realpathSync: (p) => fsn.realpath(pathArg(p)),
  accessSync: (p) => { fsn.stat(pathArg(p), true); },
  copyFileSync: (a, b) => fsn.writeFile(pathArg(b), fsn.readFile(pathArg(a), false), false),
  mkdtempSync: (prefix) => {
    const p = `${prefix}${Math.random().toString(36).slice(2, 8)}`;
    fsn.mkdir(p, false);
    return p;
  },
  Stats,
  Dirent,
  constants: { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2 },
};
fs.realpathSync.native = fs.realpathSync;

const promises = {
  async readFile(path, options) {
    const enc = encodingOf(options);
    const p = pathArg(path);
    if (isUtf8(enc)) return fsn.readFileAsync(p, true);
    return decodeAs(await fsn.readFileAsync(p, false), enc);
  },
  async writeFile(path, data, options) {
    const flag = options && typeof options === 'object' ? options.flag : undefined;
    return fsn.writeFileAsync(pathArg(path), dataArg(data, options), flag === 'a');
  },
  async appendFile(path, data, options) { return fsn.writeFileAsync(pathArg(path), dataArg(data, options), true); },
  async stat(path) { return new Stats(await fsn.statAsync(pathArg(path), true)); },
  async lstat(path) { return new Stats(await fsn.statAsync(pathArg(path), false)); },
  async readdir(path, options) { return readdirSync(path, options); },
  async mkdir(path, options) { return mkdirSync(path, options); },
  async rm(path, options) { return fs.rmSync(path, options); },
  async unlink(path) { return fs.unlinkSync(path); },
  async rename(a, b) { return fs.renameSync(a, b); },
  async realpath(p) { return fs.realpathSync(p); },
  async access(p) { await fsn.statAsync(pathArg(p), true); },
  async copyFile(a, b) { return fs.copyFileSync(a, b); },
};
fs.promises = promises;

// Callback forms: run the promise version and call back on the event loop.
for (const name of Object.keys(promises)) {
  fs[name] = function (...args) {
    const cb = args.pop();
    if (typeof cb !== 'function') throw internal.invalidArgType('cb', 'function', cb);
    promises[name](...args).then((v) => cb(null, v), (e) => cb(e));
  };
}
fs.exists = (p, cb) => { cb(fs.existsSync(p)); };

module.exports = fs;
