// jsrt:wasi — WASI preview 1 for WebAssembly programs (Node's `node:wasi` API):
//   const wasi = new WASI({ version: 'preview1', args, env, preopens });
//   const instance = new WebAssembly.Instance(module, wasi.getImportObject());
//   const code = wasi.start(instance);
// Covers what C/Rust programs built for wasm32-wasi use: arguments, environment, clocks,
// random, stdio, files and directories under the preopened paths, exit.
// Files and directories are real OS descriptors held by `native.wasi` (builtins/wasi.rs),
// which resolves every path beneath its directory descriptor: nothing outside a preopened
// directory — through `..`, an absolute path or a symlink — can be reached (EPERM).
'use strict';

const path = require('path');

const E = { SUCCESS: 0, BADF: 8, INVAL: 28, ISDIR: 31, NAMETOOLONG: 37, NOSYS: 52, NOTDIR: 54, SPIPE: 70 };
const FILETYPE = { UNKNOWN: 0, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4 };
const RIGHTS_FD_READ = 2n;
const RIGHTS_FD_WRITE = 64n;
const wasiFs = native.wasi;
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
      this.#fds.set(this.#nextFd++, { kind: 'dir', guest, desc: wasiFs.preopen(path.resolve(String(host))), preopen: true });
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

  #string(ptr, len) {
    return new TextDecoder().decode(new Uint8Array(this.#memory.buffer, ptr, len));
  }

  // [errno, directory descriptor, path] for a path argument relative to directory `dirFd`.
  #dirPath(dirFd, ptr, len) {
    const dir = this.#fds.get(dirFd);
    if (!dir) return [E.BADF];
    if (dir.kind !== 'dir') return [E.NOTDIR];
    return [E.SUCCESS, dir.desc, this.#string(ptr, len)];
  }

  // Runs `op(desc, view, position)` over the iovecs; stops at a short transfer.
  #transfer(fd, iovs, count, position, nPtr, op) {
    const f = this.#fds.get(fd);
    if (!f) return E.BADF;
    if (f.kind !== 'file') return f.kind === 'dir' ? E.ISDIR : E.BADF;
    let n = 0;
    for (const [p, l] of this.#iovecs(iovs, count)) {
      // The native returns the bytes moved, or minus the errno.
      const r = op(f.desc, new Uint8Array(this.#memory.buffer, p, l), position < 0 ? -1 : position + n);
      if (r < 0) {
        if (n === 0) return -r;
        break;
      }
      n += r;
      if (r < l) break;
    }
    this.#view().setUint32(nPtr, n, true);
    return E.SUCCESS;
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
        if (f.kind !== 'stdio') return self.#transfer(fd, iovs, count, -1, written, wasiFs.write);
        let n = 0;
        const chunks = self.#iovecs(iovs, count).map(([p, l]) => { n += l; return new Uint8Array(self.#memory.buffer, p, l).slice(); });
        const data = new Uint8Array(n);
        let at = 0;
        for (const c of chunks) { data.set(c, at); at += c.length; }
        if (f.fd === 1) process.stdout.write(data);
        else if (f.fd === 2) process.stderr.write(data);
        else return E.BADF;
        self.#view().setUint32(written, n, true);
        return E.SUCCESS;
      },
      fd_pwrite: (fd, iovs, count, offset, written) => self.#transfer(fd, iovs, count, Number(offset), written, wasiFs.write),
      fd_read: (fd, iovs, count, read) => {
        const f = self.#fds.get(fd);
        if (!f) return E.BADF;
        if (f.kind !== 'stdio') return self.#transfer(fd, iovs, count, -1, read, wasiFs.read);
        if (f.fd !== 0) return E.BADF;
        if (f.data === undefined) { f.data = native.utf8Encode(native.readStdin()); f.pos = 0; }
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
      fd_pread: (fd, iovs, count, offset, read) => self.#transfer(fd, iovs, count, Number(offset), read, wasiFs.read),
      fd_seek: (fd, offset, whence, newOffset) => {
        const f = self.#fds.get(fd);
        if (!f) return E.BADF;
        if (f.kind !== 'file') return f.kind === 'dir' ? E.ISDIR : E.SPIPE;
        const [err, pos] = wasiFs.seek(f.desc, Number(offset), whence);
        if (err) return err;
        self.#view().setBigUint64(newOffset, BigInt(pos), true);
        return E.SUCCESS;
      },
      fd_tell: (fd, offset) => self.wasiImport.fd_seek(fd, 0n, 1, offset),
      fd_close: (fd) => {
        const f = self.#fds.get(fd);
        if (!f) return E.BADF;
        self.#fds.delete(fd);
        return f.desc ? wasiFs.close(f.desc) : E.SUCCESS;
      },
      fd_renumber: (from, to) => {
        const f = self.#fds.get(from);
        if (!f || !self.#fds.has(to)) return E.BADF;
        if (from === to) return E.SUCCESS;
        self.wasiImport.fd_close(to);
        self.#fds.delete(from);
        self.#fds.set(to, f);
        return E.SUCCESS;
      },
      fd_sync: (fd) => self.#onDesc(fd, (d) => wasiFs.sync(d, false)),
      fd_datasync: (fd) => self.#onDesc(fd, (d) => wasiFs.sync(d, true)),
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
        if (f.kind === 'stdio') return self.#filestat(buf, [FILETYPE.CHARACTER_DEVICE, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        return self.#filestat(buf, wasiFs.stat(f.desc));
      },
      fd_filestat_set_size: (fd, size) => self.#onDesc(fd, (d) => wasiFs.setSize(d, Number(size))),
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
        const entries = wasiFs.readdir(f.desc);
        if (typeof entries === 'number') return entries;
        // Each entry: d_next u64, d_ino u64, d_namlen u32, d_type u8, then the name; the last
        // one is cut at the buffer's end (the caller then asks again with a larger buffer).
        const enc = new TextEncoder();
        const bytes = self.#bytes();
        let at = 0;
        for (let i = Number(cookie); i < entries.length && at < len; i++) {
          const [name, type, ino] = entries[i];
          const nameBytes = enc.encode(name);
          const ent = new Uint8Array(24 + nameBytes.length);
          const dv = new DataView(ent.buffer);
          dv.setBigUint64(0, BigInt(i + 1), true);
          dv.setBigUint64(8, BigInt(ino), true);
          dv.setUint32(16, nameBytes.length, true);
          dv.setUint8(20, type);
          ent.set(nameBytes, 24);
          const n = Math.min(ent.length, len - at);
          bytes.set(ent.subarray(0, n), buf + at);
          at += n;
        }
        self.#view().setUint32(used, at, true);
        return E.SUCCESS;
      },
      path_open: (dirFd, dirflags, ptr, len, oflags, rightsBase, rightsInherit, fdflags, fdOut) => {
        const [err, dir, name] = self.#dirPath(dirFd, ptr, len);
        if (err) return err;
        const read = (rightsBase & RIGHTS_FD_READ) !== 0n;
        const write = (rightsBase & RIGHTS_FD_WRITE) !== 0n;
        const desc = wasiFs.open(dir, name, dirflags, oflags, fdflags, (read ? 1 : 0) | (write ? 2 : 0));
        if (typeof desc === 'number') return desc;
        const entry = wasiFs.isDir(desc) ? { kind: 'dir', desc } : { kind: 'file', desc, append: (fdflags & 1) !== 0 };
        const fd = self.#nextFd++;
        self.#fds.set(fd, entry);
        self.#view().setUint32(fdOut, fd, true);
        return E.SUCCESS;
      },
      path_filestat_get: (dirFd, flags, ptr, len, buf) => {
        const [err, dir, name] = self.#dirPath(dirFd, ptr, len);
        return err || self.#filestat(buf, wasiFs.pathStat(dir, name, (flags & 1) !== 0));
      },
      path_create_directory: (dirFd, ptr, len) => self.#onPath(dirFd, ptr, len, wasiFs.mkdir),
      path_unlink_file: (dirFd, ptr, len) => self.#onPath(dirFd, ptr, len, wasiFs.unlink),
      path_remove_directory: (dirFd, ptr, len) => self.#onPath(dirFd, ptr, len, wasiFs.rmdir),
      path_rename: (fd, ptr, len, newFd, newPtr, newLen) => {
        const [e1, from, fromName] = self.#dirPath(fd, ptr, len);
        const [e2, to, toName] = self.#dirPath(newFd, newPtr, newLen);
        return e1 || e2 || wasiFs.rename(from, fromName, to, toName);
      },
      path_link: (fd, flags, ptr, len, newFd, newPtr, newLen) => {
        const [e1, from, fromName] = self.#dirPath(fd, ptr, len);
        const [e2, to, toName] = self.#dirPath(newFd, newPtr, newLen);
        return e1 || e2 || wasiFs.link(from, fromName, to, toName);
      },
      path_symlink: (targetPtr, targetLen, fd, ptr, len) => {
        const [err, dir, name] = self.#dirPath(fd, ptr, len);
        return err || wasiFs.symlink(self.#string(targetPtr, targetLen), dir, name);
      },
      path_readlink: (fd, ptr, len, buf, bufLen, used) => {
        const [err, dir, name] = self.#dirPath(fd, ptr, len);
        if (err) return err;
        const target = wasiFs.readlink(dir, name);
        if (typeof target === 'number') return target;
        const bytes = new TextEncoder().encode(target).subarray(0, bufLen);
        self.#bytes().set(bytes, buf);
        self.#view().setUint32(used, bytes.length, true);
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

  // Runs `op(desc)` on the file or directory descriptor `fd` (not on stdio).
  #onDesc(fd, op) {
    const f = this.#fds.get(fd);
    if (!f) return E.BADF;
    return f.desc ? op(f.desc) : E.SUCCESS;
  }

  // Runs `op(dir, path)` for a path argument.
  #onPath(dirFd, ptr, len, op) {
    const [err, dir, name] = this.#dirPath(dirFd, ptr, len);
    return err || op(dir, name);
  }

  // Writes a filestat from the native's [filetype, size, dev, ino, nlink, atim s/ns, mtim s/ns,
  // ctim s/ns], or returns the errno the native gave instead.
  #filestat(buf, st) {
    if (typeof st === 'number') return st;
    const [type, size, dev, ino, nlink, as, ans, ms, mns, cs, cns] = st;
    const view = this.#view();
    const ns = (s, n) => BigInt(s) * 1000000000n + BigInt(n);
    view.setBigUint64(buf, BigInt(dev), true);
    view.setBigUint64(buf + 8, BigInt(ino), true);
    for (let i = 16; i < 24; i++) view.setUint8(buf + i, 0);
    view.setUint8(buf + 16, type);
    view.setBigUint64(buf + 24, BigInt(nlink), true);
    view.setBigUint64(buf + 32, BigInt(size), true);
    view.setBigUint64(buf + 40, ns(as, ans), true);
    view.setBigUint64(buf + 48, ns(ms, mns), true);
    view.setBigUint64(buf + 56, ns(cs, cns), true);
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
