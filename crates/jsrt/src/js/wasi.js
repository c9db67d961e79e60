// jsrt:wasi — WASI preview 1 for WebAssembly programs (Node's `node:wasi` API):
//   const wasi = new WASI({ version: 'preview1', args, env, preopens });
//   const instance = new WebAssembly.Instance(module, wasi.getImportObject());
//   const code = wasi.start(instance);
// Covers what C/Rust programs built for wasm32-wasi use: arguments, environment, clocks,
// random, stdio, files and directories under the preopened paths, exit.
'use strict';

const fs = require('fs');
const path = require('path');

const E = { SUCCESS: 0, BADF: 8, EXIST: 20, INVAL: 28, IO: 29, ISDIR: 31, NOENT: 44, NOSYS: 52, NOTDIR: 54, NOTEMPTY: 55, PERM: 63, ACCES: 2, SPIPE: 70 };
const errnoOf = (e) => ({ ENOENT: E.NOENT, EEXIST: E.EXIST, EISDIR: E.ISDIR, ENOTDIR: E.NOTDIR, EACCES: E.ACCES, EPERM: E.PERM, ENOTEMPTY: E.NOTEMPTY }[e && e.code] ?? E.IO);
const FILETYPE = { UNKNOWN: 0, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4 };
const kExit = Symbol('wasi exit');

class WASIExit {
  constructor(code) { this.code = code; this[kExit] = true; }
}

class WASI {
  #memory = null;
  #fds = new Map();
  #nextFd = 3;
  #returnOnExit;
  #started = false;

  constructor(options = {}) {
    if (options === null || typeof options !== 'object') throw internal.invalidArgType('options', 'object', options);
    if (options.version !== undefined && options.version !== 'preview1' && options.version !== 'unstable') {
      const err = new TypeError(`The "options.version" property must be one of: 'unstable', 'preview1'. Received ${options.version}`);
      err.code = 'ERR_INVALID_ARG_VALUE';
      throw err;
    }
    this.args = (options.args ?? []).map(String);
    this.env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
    this.#returnOnExit = options.returnOnExit ?? true;
    this.#fds.set(0, { kind: 'stdio', fd: options.stdin ?? 0 });
    this.#fds.set(1, { kind: 'stdio', fd: options.stdout ?? 1 });
    this.#fds.set(2, { kind: 'stdio', fd: options.stderr ?? 2 });
    for (const [guest, host] of Object.entries(options.preopens ?? {})) {
      this.#fds.set(this.#nextFd++, { kind: 'dir', guest, host: path.resolve(String(host)), preopen: true });
    }
    this.wasiImport = this.#imports();
  }

  getImportObject() {
    return { wasi_snapshot_preview1: this.wasiImport, wasi_unstable: this.wasiImport };
  }

  start(instance) {
    this.#begin(instance);
    const start = instance.exports._start;
    if (typeof start !== 'function') throw internal.invalidArgType('instance.exports._start', 'function', start);
    try {
      start();
    } catch (e) {
      if (e && e[kExit]) {
        if (this.#returnOnExit) return e.code;
        process.exit(e.code);
      }
      throw e;
    }
    return 0;
  }

  initialize(instance) {
    this.#begin(instance);
    if (typeof instance.exports._initialize === 'function') instance.exports._initialize();
  }

  #begin(instance) {
    if (this.#started) {
      const err = new Error('WASI instance has already started');
      err.code = 'ERR_WASI_ALREADY_STARTED';
      throw err;
    }
    this.#started = true;
    const memory = instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw internal.invalidArgType('instance.exports.memory', 'WebAssembly.Memory', memory);
    this.#memory = memory;
  }

  #view() { return new DataView(this.#memory.buffer); }
  #bytes() { return new Uint8Array(this.#memory.buffer); }

  #writeStrings(list, ptrs, buf) {
    const view = this.#view();
    const bytes = this.#bytes();
    const enc = new TextEncoder();
    for (const s of list) {
      view.setUint32(ptrs, buf, true);
      ptrs += 4;
      const b = enc.encode(`${s}\0`);
      bytes.set(b, buf);
      buf += b.length;
    }
    return E.SUCCESS;
  }

  #sizes(list, countPtr, sizePtr) {
    const view = this.#view();
    view.setUint32(countPtr, list.length, true);
    view.setUint32(sizePtr, list.reduce((n, s) => n + new TextEncoder().encode(s).length + 1, 0), true);
    return E.SUCCESS;
  }

  // Reads the iovecs (ptr, len pairs) at `iovs`.
  #iovecs(iovs, count) {
    const view = this.#view();
    const out = [];
    for (let i = 0; i < count; i++) out.push([view.getUint32(iovs + 8 * i, true), view.getUint32(iovs + 8 * i + 4, true)]);
    return out;
  }

  #guestPath(dirFd, ptr, len) {
    const dir = this.#fds.get(dirFd);
    if (!dir || dir.kind !== 'dir') return [E.BADF];
    const rel = new TextDecoder().decode(new Uint8Array(this.#memory.buffer, ptr, len));
    const full = path.resolve(dir.host, rel);
    // Stay inside the preopened directory.
    const inside = dir.host.endsWith('/') ? dir.host : `${dir.host}/`;
    if (full !== dir.host && !full.startsWith(inside)) return [E.PERM];
    return [E.SUCCESS, full];
  }

  #imports() {
    const self = this;
    const now = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
    const mono = () => process.hrtime.bigint();
    return {
      args_get: (argv, buf) => self.#writeStrings(self.args, argv, buf),
      args_sizes_get: (count, size) => self.#sizes(self.args, count, size),
      environ_get: (env, buf) => self.#writeStrings(self.env, env, buf),
      environ_sizes_get: (count, size) => self.#sizes(self.env, count, size),
      clock_res_get: (id, res) => { self.#view().setBigUint64(res, 1000n, true); return E.SUCCESS; },
      clock_time_get: (id, precision, time) => {
        if (id > 3) return E.INVAL;
        self.#view().setBigUint64(time, id === 0 ? now() : mono(), true);
        return E.SUCCESS;
      },
      random_get: (buf, len) => {
        for (let off = 0; off < len; off += 65536) crypto.getRandomValues(new Uint8Array(self.#memory.buffer, buf + off, Math.min(65536, len - off)));
        return E.SUCCESS;
      },
      proc_exit: (code) => { throw new WASIExit(code); },
      proc_raise: () => E.NOSYS,
      sched_yield: () => E.SUCCESS,
      fd_write: (fd, iovs, count, written) => {
        const f = self.#fds.get(fd);
        if (!f) return E.BADF;
        let n = 0;
        const chunks = self.#iovecs(iovs, count).map(([p, l]) => { n += l; return new Uint8Array(self.#memory.buffer, p, l).slice(); });
        const data = new Uint8Array(n);
        let at = 0;
        for (const c of chunks) { data.set(c, at); at += c.length; }
        if (f.kind === 'stdio') {
          if (f.fd === 1) process.stdout.write(data);
          else if (f.fd === 2) process.stderr.write(data);
          else return E.BADF;
        } else if (f.kind === 'file') {
          if (!f.write) return E.BADF;
          const end = f.append ? f.data.length : f.pos;
          const grown = new Uint8Array(Math.max(f.data.length, end + n));
          grown.set(f.data);
          grown.set(data, end);
          f.data = grown;
          f.pos = end + n;
          f.dirty = true;
        } else {
          return E.ISDIR;
        }
        self.#view().setUint32(written, n, true);
        return E.SUCCESS;
      },
      fd_read: (fd, iovs, count, read) => {
        const f = self.#fds.get(fd);
        if (!f) return E.BADF;
        if (f.kind === 'stdio') {
          if (f.fd !== 0) return E.BADF;
          if (f.data === undefined) { f.data = native.utf8Encode(native.readStdin()); f.pos = 0; }
        } else if (f.kind !== 'file') {
          return E.ISDIR;
        }
        let n = 0;
        for (const [p, l] of self.#iovecs(iovs, count)) {
          const chunk = f.data.subarray(f.pos, f.pos + l);
          new Uint8Array(self.#memory.buffer, p, chunk.length).set(chunk);
          f.pos += chunk.length;
          n += chunk.length;
          if (chunk.length < l) break;
        }
        self.#view().setUint32(read, n, true);
        return E.SUCCESS;
      },
      fd_seek: (fd, offset, whence, newOffset) => {
        const f = self.#fds.get(fd);
        if (!f) return E.BADF;
        if (f.kind !== 'file') return E.SPIPE;
        const base = whence === 0 ? 0 : whence === 1 ? f.pos : f.data.length;
        const pos = base + Number(offset);
        if (pos < 0) return E.INVAL;
        f.pos = pos;
        self.#view().setBigUint64(newOffset, BigInt(pos), true);
        return E.SUCCESS;
      },
      fd_tell: (fd, offset) => {
        const f = self.#fds.get(fd);
        if (!f || f.kind !== 'file') return f ? E.SPIPE : E.BADF;
        self.#view().setBigUint64(offset, BigInt(f.pos), true);
        return E.SUCCESS;
      },
      fd_close: (fd) => {
        const f = self.#fds.get(fd);
        if (!f) return E.BADF;
        if (f.kind === 'file' && f.dirty) {
          try { fs.writeFileSync(f.host, f.data); } catch (e) { return errnoOf(e); }
        }
        self.#fds.delete(fd);
        return E.SUCCESS;
      },
      fd_sync: (fd) => (self.#fds.has(fd) ? E.SUCCESS : E.BADF),
      fd_datasync: (fd) => (self.#fds.has(fd) ? E.SUCCESS : E.BADF),
      fd_fdstat_get: (fd, stat) => {
        const f = self.#fds.get(fd);
        if (!f) return E.BADF;
        const view = self.#view();
        const type = f.kind === 'dir' ? FILETYPE.DIRECTORY : f.kind === 'file' ? FILETYPE.REGULAR_FILE : FILETYPE.CHARACTER_DEVICE;
        view.setUint8(stat, type);
        view.setUint16(stat + 2, f.append ? 1 : 0, true);
        view.setBigUint64(stat + 8, 0xffffffffffffffffn, true);
        view.setBigUint64(stat + 16, 0xffffffffffffffffn, true);
        return E.SUCCESS;
      },
      fd_fdstat_set_flags: (fd) => (self.#fds.has(fd) ? E.SUCCESS : E.BADF),
      fd_filestat_get: (fd, buf) => {
        const f = self.#fds.get(fd);
        if (!f) return E.BADF;
        if (f.kind === 'stdio') return self.#filestat(buf, FILETYPE.CHARACTER_DEVICE, 0);
        if (f.kind === 'file') return self.#filestat(buf, FILETYPE.REGULAR_FILE, f.data.length);
        return self.#filestat(buf, FILETYPE.DIRECTORY, 0);
      },
      fd_prestat_get: (fd, buf) => {
        const f = self.#fds.get(fd);
        if (!f || !f.preopen) return E.BADF;
        const view = self.#view();
        view.setUint8(buf, 0);
        view.setUint32(buf + 4, new TextEncoder().encode(f.guest).length, true);
        return E.SUCCESS;
      },
      fd_prestat_dir_name: (fd, ptr, len) => {
        const f = self.#fds.get(fd);
        if (!f || !f.preopen) return E.BADF;
        self.#bytes().set(new TextEncoder().encode(f.guest).subarray(0, len), ptr);
        return E.SUCCESS;
      },
      fd_readdir: (fd, buf, len, cookie, used) => {
        const f = self.#fds.get(fd);
        if (!f || f.kind !== 'dir') return f ? E.NOTDIR : E.BADF;
        let names;
        try { names = fs.readdirSync(f.host, { withFileTypes: true }); } catch (e) { return errnoOf(e); }
        const enc = new TextEncoder();
        const out = [];
        names.forEach((d, i) => {
          if (BigInt(i) < cookie) return;
          const name = enc.encode(d.name);
          const ent = new Uint8Array(24 + name.length);
          const dv = new DataView(ent.buffer);
          dv.setBigUint64(0, BigInt(i + 1), true);
          dv.setUint32(16, name.length, true);
          dv.setUint8(20, d.isDirectory() ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE);
          ent.set(name, 24);
          out.push(ent);
        });
        let at = 0;
        const bytes = self.#bytes();
        for (const ent of out) {
          const n = Math.min(ent.length, len - at);
          bytes.set(ent.subarray(0, n), buf + at);
          at += n;
          if (at >= len) break;
        }
        self.#view().setUint32(used, at, true);
        return E.SUCCESS;
      },
      path_open: (dirFd, dirflags, ptr, len, oflags, rightsBase, rightsInherit, fdflags, fdOut) => {
        const [err, full] = self.#guestPath(dirFd, ptr, len);
        if (err) return err;
        const creat = oflags & 1, directory = oflags & 2, excl = oflags & 4, trunc = oflags & 8;
        const write = (rightsBase & 64n) !== 0n || trunc || creat; // fd_write right
        let st = fs.statSync(full, { throwIfNoEntry: false });
        if (st && excl && creat) return E.EXIST;
        if (!st && !creat) return E.NOENT;
        if (directory && st && !st.isDirectory()) return E.NOTDIR;
        let entry;
        if (st && st.isDirectory()) {
          entry = { kind: 'dir', guest: full, host: full };
        } else {
          let data = new Uint8Array(0);
          if (st && !trunc) {
            try { data = fs.readFileSync(full); } catch (e) { return errnoOf(e); }
          }
          entry = { kind: 'file', host: full, data, pos: 0, write: !!write, append: (fdflags & 1) !== 0, dirty: !st || !!trunc };
        }
        const fd = self.#nextFd++;
        self.#fds.set(fd, entry);
        self.#view().setUint32(fdOut, fd, true);
        return E.SUCCESS;
      },
      path_filestat_get: (dirFd, flags, ptr, len, buf) => {
        const [err, full] = self.#guestPath(dirFd, ptr, len);
        if (err) return err;
        let st;
        try { st = fs.statSync(full); } catch (e) { return errnoOf(e); }
        return self.#filestat(buf, st.isDirectory() ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE, st.size, st.mtimeMs);
      },
      path_create_directory: (dirFd, ptr, len) => {
        const [err, full] = self.#guestPath(dirFd, ptr, len);
        if (err) return err;
        try { fs.mkdirSync(full); } catch (e) { return errnoOf(e); }
        return E.SUCCESS;
      },
      path_unlink_file: (dirFd, ptr, len) => {
        const [err, full] = self.#guestPath(dirFd, ptr, len);
        if (err) return err;
        try { fs.unlinkSync(full); } catch (e) { return errnoOf(e); }
        return E.SUCCESS;
      },
      path_remove_directory: (dirFd, ptr, len) => {
        const [err, full] = self.#guestPath(dirFd, ptr, len);
        if (err) return err;
        try { fs.rmdirSync(full); } catch (e) { return errnoOf(e); }
        return E.SUCCESS;
      },
      path_rename: (fd, ptr, len, newFd, newPtr, newLen) => {
        const [e1, from] = self.#guestPath(fd, ptr, len);
        const [e2, to] = self.#guestPath(newFd, newPtr, newLen);
        if (e1 || e2) return e1 || e2;
        try { fs.renameSync(from, to); } catch (e) { return errnoOf(e); }
        return E.SUCCESS;
      },
      poll_oneoff: (inPtr, outPtr, n, nevents) => {
        // Clock subscriptions only: wait for the shortest, report every subscription ready.
        const view = self.#view();
        for (let i = 0; i < n; i++) {
          const sub = inPtr + 48 * i;
          const ev = outPtr + 32 * i;
          view.setBigUint64(ev, view.getBigUint64(sub, true), true);
          view.setUint16(ev + 8, 0, true);
          view.setUint8(ev + 10, view.getUint8(sub + 8));
        }
        view.setUint32(nevents, n, true);
        return E.SUCCESS;
      },
    };
  }

  #filestat(buf, type, size, mtimeMs = 0) {
    const view = this.#view();
    for (let i = 0; i < 64; i += 8) view.setBigUint64(buf + i, 0n, true);
    view.setUint8(buf + 16, type);
    view.setBigUint64(buf + 24, 1n, true);
    view.setBigUint64(buf + 32, BigInt(size), true);
    const t = BigInt(Math.round(mtimeMs * 1e6));
    view.setBigUint64(buf + 40, t, true);
    view.setBigUint64(buf + 48, t, true);
    view.setBigUint64(buf + 56, t, true);
    return E.SUCCESS;
  }
}

// Calls the other imports made "not implemented" so a module importing them still links.
const handler = {
  get(target, name) {
    if (name in target || typeof name !== 'string') return target[name];
    return () => E.NOSYS;
  },
};

module.exports = {
  WASI: new Proxy(WASI, {
    construct(T, args) {
      const w = new T(...args);
      w.wasiImport = new Proxy(w.wasiImport, handler);
      return w;
    },
  }),
};
