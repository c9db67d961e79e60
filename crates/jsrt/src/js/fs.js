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

// Linux open(2) flag values, as Node's fs.constants reports them.
const O = { O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 0o100, O_EXCL: 0o200, O_NOCTTY: 0o400, O_TRUNC: 0o1000, O_APPEND: 0o2000, O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000, O_SYNC: 0o4010000, O_DSYNC: 0o10000 };
const STRING_FLAGS = {
  r: O.O_RDONLY, rs: O.O_RDONLY | O.O_SYNC, sr: O.O_RDONLY | O.O_SYNC, 'r+': O.O_RDWR, 'rs+': O.O_RDWR | O.O_SYNC, 'sr+': O.O_RDWR | O.O_SYNC,
  w: O.O_TRUNC | O.O_CREAT | O.O_WRONLY, wx: O.O_TRUNC | O.O_CREAT | O.O_WRONLY | O.O_EXCL, xw: O.O_TRUNC | O.O_CREAT | O.O_WRONLY | O.O_EXCL,
  'w+': O.O_TRUNC | O.O_CREAT | O.O_RDWR, 'wx+': O.O_TRUNC | O.O_CREAT | O.O_RDWR | O.O_EXCL, 'xw+': O.O_TRUNC | O.O_CREAT | O.O_RDWR | O.O_EXCL,
  a: O.O_APPEND | O.O_CREAT | O.O_WRONLY, ax: O.O_APPEND | O.O_CREAT | O.O_WRONLY | O.O_EXCL, xa: O.O_APPEND | O.O_CREAT | O.O_WRONLY | O.O_EXCL,
  as: O.O_APPEND | O.O_CREAT | O.O_WRONLY | O.O_SYNC, sa: O.O_APPEND | O.O_CREAT | O.O_WRONLY | O.O_SYNC,
  'a+': O.O_APPEND | O.O_CREAT | O.O_RDWR, 'ax+': O.O_APPEND | O.O_CREAT | O.O_RDWR | O.O_EXCL, 'xa+': O.O_APPEND | O.O_CREAT | O.O_RDWR | O.O_EXCL,
  'as+': O.O_APPEND | O.O_CREAT | O.O_RDWR | O.O_SYNC, 'sa+': O.O_APPEND | O.O_CREAT | O.O_RDWR | O.O_SYNC,
};

function flagsArg(flags) {
  if (flags === undefined || flags === null) return O.O_RDONLY;
  if (typeof flags === 'number' && Number.isInteger(flags)) return flags;
  if (typeof flags === 'string' && Object.hasOwn(STRING_FLAGS, flags)) return STRING_FLAGS[flags];
  const e = new TypeError(`The value "${String(flags)}" is invalid for option "flags"`);
  e.code = 'ERR_INVALID_ARG_VALUE';
  throw e;
}

function fdArg(fd) {
  if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
    if (typeof fd !== 'number') throw internal.invalidArgType('fd', 'number', fd);
    const e = new RangeError(`The value of "fd" is out of range. It must be >= 0 && <= 2147483647. Received ${fd}`);
    e.code = 'ERR_OUT_OF_RANGE';
    throw e;
  }
  return fd;
}

function openSync(path, flags, mode) {
  const m = mode === undefined || mode === null ? 0o666 : typeof mode === 'string' ? parseInt(mode, 8) : mode;
  return fsn.open(pathArg(path), flagsArg(flags), m);
}

function positionArg(position) {
  if (position === undefined || position === null || position === -1) return -1;
  if (typeof position === 'bigint') return Number(position);
  return position;
}

// readSync(fd, buffer, offset?, length?, position?) or readSync(fd, buffer, { offset, length, position })
function readSync(fd, buffer, offset, length, position) {
  if (!ArrayBuffer.isView(buffer)) throw internal.invalidArgType('buffer', 'an instance of Buffer, TypedArray, or DataView', buffer);
  if (offset !== null && typeof offset === 'object') ({ offset, length, position } = offset);
  offset = offset ?? 0;
  length = length ?? buffer.byteLength - offset;
  if (offset < 0 || offset > buffer.byteLength || length < 0 || offset + length > buffer.byteLength) {
    const e = new RangeError(`The value of "length" is out of range. It must be >= 0 && <= ${buffer.byteLength - offset}. Received ${length}`);
    e.code = 'ERR_OUT_OF_RANGE';
    throw e;
  }
  return fsn.read(fdArg(fd), buffer, offset, length, positionArg(position));
}

// writeSync(fd, buffer, offset?, length?, position?) or writeSync(fd, string, position?, encoding?)
function writeSync(fd, data, offset, length, position) {
  if (typeof data === 'string') {
    const bytes = require('buffer').Buffer.from(data, typeof length === 'string' ? length : 'utf8');
    return fsn.write(fdArg(fd), bytes, 0, bytes.byteLength, positionArg(offset));
  }
  if (!ArrayBuffer.isView(data)) throw internal.invalidArgType('buffer', 'string or an instance of Buffer, TypedArray, or DataView', data);
  if (offset !== null && typeof offset === 'object') ({ offset, length, position } = offset);
  offset = offset ?? 0;
  length = length ?? data.byteLength - offset;
  return fsn.write(fdArg(fd), data, offset, length, positionArg(position));
}

const fs = {
  openSync,
  closeSync: (fd) => fsn.close(fdArg(fd)),
  readSync,
  writeSync,
  fstatSync: (fd) => new Stats(fsn.fstat(fdArg(fd))),
  ftruncateSync: (fd, len) => fsn.ftruncate(fdArg(fd), len ?? 0),
  fsyncSync: (fd) => fsn.fsync(fdArg(fd), false),
  fdatasyncSync: (fd) => fsn.fsync(fdArg(fd), true),
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
  symlinkSync: (target, p) => fsn.symlink(pathArg(target), pathArg(p)),
  readlinkSync: (p) => fsn.readlink(pathArg(p)),
  linkSync: (existing, p) => fsn.link(pathArg(existing), pathArg(p)),
  accessSync: (p) => { fsn.stat(pathArg(p), true); },
  copyFileSync: (a, b) => fsn.writeFile(pathArg(b), fsn.readFile(pathArg(a), false), false),
  mkdtempSync: (prefix) => {
    const p = `${prefix}${Math.random().toString(36).slice(2, 8)}`;
    fsn.mkdir(p, false);
    return p;
  },
  Stats,
  Dirent,
  // Node's fs.constants on Linux, all of them (emscripten's NODEFS maps its flags through them).
  constants: {
    UV_FS_SYMLINK_DIR: 1, UV_FS_SYMLINK_JUNCTION: 2, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2,
    UV_DIRENT_UNKNOWN: 0, UV_DIRENT_FILE: 1, UV_DIRENT_DIR: 2, UV_DIRENT_LINK: 3, UV_DIRENT_FIFO: 4, UV_DIRENT_SOCKET: 5, UV_DIRENT_CHAR: 6, UV_DIRENT_BLOCK: 7,
    EXTENSIONLESS_FORMAT_JAVASCRIPT: 0, EXTENSIONLESS_FORMAT_WASM: 1,
    S_IFMT: 0o170000, S_IFREG: 0o100000, S_IFDIR: 0o40000, S_IFCHR: 0o20000, S_IFBLK: 0o60000, S_IFIFO: 0o10000, S_IFLNK: 0o120000, S_IFSOCK: 0o140000,
    O_CREAT: O.O_CREAT, O_EXCL: O.O_EXCL, UV_FS_O_FILEMAP: 0, O_NOCTTY: O.O_NOCTTY, O_TRUNC: O.O_TRUNC, O_APPEND: O.O_APPEND, O_DIRECTORY: O.O_DIRECTORY,
    O_NOATIME: 0o1000000, O_NOFOLLOW: O.O_NOFOLLOW, O_SYNC: O.O_SYNC, O_DSYNC: O.O_DSYNC, O_DIRECT: 0o40000, O_NONBLOCK: 0o4000,
    S_IRWXU: 0o700, S_IRUSR: 0o400, S_IWUSR: 0o200, S_IXUSR: 0o100, S_IRWXG: 0o70, S_IRGRP: 0o40, S_IWGRP: 0o20, S_IXGRP: 0o10, S_IRWXO: 0o7, S_IROTH: 0o4, S_IWOTH: 0o2, S_IXOTH: 0o1,
    F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
    UV_FS_COPYFILE_EXCL: 1, COPYFILE_EXCL: 1, UV_FS_COPYFILE_FICLONE: 2, COPYFILE_FICLONE: 2, UV_FS_COPYFILE_FICLONE_FORCE: 4, COPYFILE_FICLONE_FORCE: 4,
  },
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
  async symlink(target, p) { return fs.symlinkSync(target, p); },
  async readlink(p) { return fs.readlinkSync(p); },
  async link(existing, p) { return fs.linkSync(existing, p); },
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

// Descriptor calls run synchronously and call back on a later tick, as Node's do.
// `onError` is the argument list after the error (Node passes `0, buffer` for read/write).
function later(cb, fn, onError = []) {
  if (typeof cb !== 'function') throw internal.invalidArgType('cb', 'function', cb);
  let result, error = null;
  try { result = fn(); } catch (e) { error = e; }
  queueMicrotask(() => (error ? cb(error, ...onError) : cb(null, ...result)));
}
fs.open = (path, flags, mode, cb) => {
  if (typeof flags === 'function') [cb, flags, mode] = [flags, undefined, undefined];
  else if (typeof mode === 'function') [cb, mode] = [mode, undefined];
  later(cb, () => [openSync(path, flags, mode)]);
};
fs.close = (fd, cb = () => {}) => later(cb, () => { fs.closeSync(fd); return []; });
fs.read = (fd, buffer, offset, length, position, cb) => {
  if (typeof offset === 'function') [cb, offset] = [offset, undefined];
  else if (typeof length === 'function') [cb, length] = [length, undefined];
  else if (typeof position === 'function') [cb, position] = [position, undefined];
  later(cb, () => [readSync(fd, buffer, offset, length, position), buffer], [0, buffer]);
};
fs.write = (fd, data, offset, length, position, cb) => {
  const args = [offset, length, position, cb];
  const at = args.findIndex((a) => typeof a === 'function');
  cb = args[at];
  args.length = at;
  later(cb, () => [writeSync(fd, data, ...args), data], [0, data]);
};
fs.fstat = (fd, options, cb) => later(typeof options === 'function' ? options : cb, () => [fs.fstatSync(fd)]);
fs.ftruncate = (fd, len, cb) => {
  if (typeof len === 'function') [cb, len] = [len, 0];
  later(cb, () => { fs.ftruncateSync(fd, len); return []; });
};
fs.fsync = (fd, cb) => later(cb, () => { fs.fsyncSync(fd); return []; });
fs.fdatasync = (fd, cb) => later(cb, () => { fs.fdatasyncSync(fd); return []; });

// Streams over file descriptors (require('stream') only when first used). Reads and writes
// are synchronous calls on the JS thread, one chunk (highWaterMark, 64 KiB) at a time.
// `destroy` of either closes its descriptor unless `autoClose: false`.
function closingDestroy(getFd, setFd, options) {
  return (err, cb) => {
    if (getFd() !== null && options.autoClose !== false) {
      try { fs.closeSync(getFd()); } catch {}
      setFd(null);
    }
    cb(err);
  };
}
fs.createReadStream = (path, options = {}) => {
  if (typeof options === 'string') options = { encoding: options };
  const { Readable } = require('stream');
  const size = options.highWaterMark ?? 64 * 1024;
  let fd = options.fd ?? null;
  let position = options.start ?? null;
  const end = options.end ?? Infinity;
  const stream = new Readable({
    highWaterMark: size,
    encoding: options.encoding,
    read() {
      try {
        if (fd === null) fd = openSync(path, options.flags ?? 'r', options.mode);
        const want = Math.min(size, end - (position ?? 0) + 1);
        if (want <= 0) return this.push(null);
        const buf = Buffer.allocUnsafe(want);
        const n = readSync(fd, buf, 0, want, position);
        if (position !== null) position += n;
        this.bytesRead += n;
        this.push(n > 0 ? buf.subarray(0, n) : null);
      } catch (e) {
        this.destroy(e);
      }
    },
    destroy: closingDestroy(() => fd, (v) => { fd = v; }, options),
  });
  stream.path = path;
  stream.bytesRead = 0;
  return stream;
};
fs.createWriteStream = (path, options = {}) => {
  if (typeof options === 'string') options = { encoding: options };
  const { Writable } = require('stream');
  let fd = options.fd ?? null;
  let position = options.start ?? null;
  const open = () => { if (fd === null) fd = openSync(path, options.flags ?? 'w', options.mode); };
  const stream = new Writable({
    highWaterMark: options.highWaterMark,
    write(chunk, encoding, cb) {
      try {
        open();
        let done = 0;
        while (done < chunk.length) {
          const n = writeSync(fd, chunk, done, chunk.length - done, position);
          done += n;
          if (position !== null) position += n;
        }
        stream.bytesWritten += done;
        cb();
      } catch (e) {
        cb(e);
      }
    },
    final(cb) {
      try { open(); cb(); } catch (e) { cb(e); }
    },
    destroy: closingDestroy(() => fd, (v) => { fd = v; }, options),
  });
  stream.path = path;
  stream.bytesWritten = 0;
  return stream;
};

module.exports = fs;
