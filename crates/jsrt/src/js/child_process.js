// jsrt:child_process — spawn, exec, execFile and their Sync forms. A spawned child runs while
// JS talks to it: its stdout and stderr are Readables fed from the pipes as the child writes,
// its stdin a Writable (builtins/child_live.rs); the Sync forms run it to its end
// (builtins/child_process.rs). Exit codes, signals, `kill`, `timeout`, `cwd`, `env`, stdio
// `pipe`/`inherit`/`ignore`, errors such as ENOENT are as in Node.
'use strict';

const EventEmitter = require('events');
const { Readable, Writable } = require('stream');
const { Buffer } = require('buffer');

const SIGNALS = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
  SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGWINCH: 28,
};
const signalName = (n) => (n == null ? null : Object.keys(SIGNALS).find((k) => SIGNALS[k] === n) ?? null);
function signalNumber(s) {
  if (s === undefined || s === null) return SIGNALS.SIGTERM;
  if (typeof s === 'number') return s;
  const n = SIGNALS[`${s}`.toUpperCase()];
  if (n === undefined) {
    const err = new TypeError(`Unknown signal: ${s}`);
    err.code = 'ERR_UNKNOWN_SIGNAL';
    throw err;
  }
  return n;
}

function normalizeStdio(stdio) {
  if (stdio === undefined) return ['pipe', 'pipe', 'pipe'];
  if (typeof stdio === 'string') return [stdio, stdio, stdio];
  return [0, 1, 2].map((i) => {
    const s = stdio[i];
    if (s === undefined || s === null || s === 'pipe' || s === 'overlapped') return 'pipe';
    if (s === 'inherit' || s === i || s === process.stdin && i === 0 || s === process.stdout && i === 1 || s === process.stderr && i === 2) return 'inherit';
    return s === 'ignore' ? 'ignore' : 'pipe';
  });
}

function nativeOptions(options, stdioDefault) {
  return {
    cwd: options.cwd instanceof URL ? require('url').fileURLToPath(options.cwd) : options.cwd,
    env: options.env,
    stdio: normalizeStdio(options.stdio ?? stdioDefault),
    input: options.input,
    timeout: options.timeout,
    killSignal: options.killSignal === undefined ? undefined : signalNumber(options.killSignal),
  };
}

function checkFile(file, name = 'file') {
  if (typeof file !== 'string' || file === '') {
    const err = new TypeError(file === '' ? `The argument '${name}' cannot be empty. Received ''` : `The "${name}" argument must be of type string. Received ${file === null ? 'null' : typeof file}`);
    err.code = file === '' ? 'ERR_INVALID_ARG_VALUE' : 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
}

// `shell: true` (or a shell path) runs the command line through it.
function commandLine(file, args, options) {
  checkFile(file, options.shell ? 'command' : 'file');
  if (!options.shell) return [file, args];
  const shell = typeof options.shell === 'string' ? options.shell : '/bin/sh';
  return [shell, ['-c', [file, ...args].join(' ')]];
}

function spawnError(r, syscall, file, args) {
  const err = new Error(`${syscall} ${file} ${r.errorCode}`);
  Object.assign(err, { errno: r.errno, code: r.errorCode, syscall: `${syscall} ${file}`, path: file, spawnargs: args });
  return err;
}

const decode = (bytes, encoding) => {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding && encoding !== 'buffer' ? b.toString(encoding) : b;
};

// ---------------------------------------------------------------- Sync forms
function spawnSync(file, args, options) {
  if (!Array.isArray(args)) [args, options] = [[], args];
  options ??= {};
  const [bin, argv] = commandLine(file, args, options);
  const opts = nativeOptions(options);
  const r = native.childProcess.run(bin, argv.map(String), opts);
  // Streams that were not piped have no output (null), as in Node.
  const stdout = opts.stdio[1] === 'pipe' ? decode(r.stdout, options.encoding) : null;
  const stderr = opts.stdio[2] === 'pipe' ? decode(r.stderr, options.encoding) : null;
  const result = { pid: r.pid, output: [null, stdout, stderr], stdout, stderr, status: r.status ?? null, signal: signalName(r.signal) };
  if (r.errorCode) result.error = spawnError(r, 'spawnSync', bin, argv);
  else if (r.timedOut) result.error = Object.assign(new Error(`spawnSync ${bin} ETIMEDOUT`), { code: 'ETIMEDOUT', errno: -110, syscall: `spawnSync ${bin}`, path: bin });
  return result;
}

function checkSync(result, command, options) {
  if (result.error) throw Object.assign(result.error, { status: result.status, signal: result.signal, output: result.output, stdout: result.stdout, stderr: result.stderr, pid: result.pid });
  if (result.status !== 0) {
    const stderrText = Buffer.isBuffer(result.stderr) ? result.stderr.toString() : `${result.stderr ?? ''}`;
    const err = new Error(`Command failed: ${command}${stderrText ? `\n${stderrText}` : ''}`);
    Object.assign(err, { status: result.status, signal: result.signal, output: result.output, pid: result.pid, stdout: result.stdout, stderr: result.stderr });
    throw err;
  }
  return result.stdout;
}

// Node shows a failing command's stderr on the parent's stderr unless stdio says otherwise.
function echoStderr(result, options) {
  if (options.stdio === undefined && result.stderr?.length) process.stderr.write(result.stderr);
}

function execSync(command, options = {}) {
  const result = spawnSync(command, [], { ...options, shell: options.shell ?? true });
  echoStderr(result, options);
  return checkSync(result, command, options);
}

function execFileSync(file, args, options) {
  if (!Array.isArray(args)) [args, options] = [[], args];
  options ??= {};
  const result = spawnSync(file, args, options);
  echoStderr(result, options);
  return checkSync(result, [file, ...args].join(' '), options);
}

// ---------------------------------------------------------------- ChildProcess
class ChildProcess extends EventEmitter {
  constructor() {
    super();
    this.pid = undefined;
    this.exitCode = null;
    this.signalCode = null;
    this.killed = false;
    this.stdin = null;
    this.stdout = null;
    this.stderr = null;
    this.spawnfile = undefined;
    this.spawnargs = [];
    this.stdio = [null, null, null];
    this.connected = false;
    this._referenced = true;
  }
  kill(signal) {
    if (this.exitCode !== null || this.signalCode !== null || !this.pid) return false;
    const sent = native.childProcess.kill(this.pid, signalNumber(signal));
    if (sent) this.killed = true;
    return sent;
  }
  ref() {
    this._referenced = true;
    if (this._exitOp !== undefined) native.childProcess.setKeepAlive(this._exitOp, true);
    return this;
  }
  unref() {
    this._referenced = false;
    if (this._exitOp !== undefined) native.childProcess.setKeepAlive(this._exitOp, false);
    return this;
  }
  // 'close' comes once the child has exited and closed its stdout and stderr pipes.
  _exited(code, signal) {
    this._closeArgs = [code, signal];
    this._pipeEnded();
  }
  _pipeEnded() {
    if (--this._openPipes > 0) return;
    native.childProcess.release(this._id);
    const [code, signal] = this._closeArgs;
    // After the streams' own 'end's (emitted once their data is read).
    setImmediate(() => this.emit('close', code, signal));
  }
}

// A child's stdout or stderr: a Readable pulling the pipe chunk by chunk as it is read. It
// starts reading at once (as Node's sockets do), up to its buffer's high-water mark.
class ChildOutput extends Readable {
  constructor(child, fd) {
    super();
    this._child = child;
    this._fd = fd;
    this._pulling = false;
    this.read(0);
  }
  _read() {
    if (this._pulling) return;
    this._pulling = true;
    native.childProcess.read(this._child._id, this._fd, this._child._referenced).then((chunk) => {
      this._pulling = false;
      if (chunk === null) this._child._pipeEnded();
      this.push(chunk === null ? null : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
  }
}

// A child's stdin: a Writable whose writes go into the pipe; end() closes it.
class ChildInput extends Writable {
  constructor(child) {
    super();
    this._child = child;
  }
  _write(chunk, encoding, cb) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    native.childProcess.write(this._child._id, bytes).then(() => cb(), cb);
  }
  _final(cb) {
    native.childProcess.closeStdin(this._child._id);
    cb();
  }
  _destroy(err, cb) {
    native.childProcess.closeStdin(this._child._id);
    cb(err);
  }
}

function spawn(file, args, options) {
  if (!Array.isArray(args)) [args, options] = [[], args];
  options ??= {};
  const [bin, argv] = commandLine(file, args, options);
  const child = new ChildProcess();
  const opts = nativeOptions(options);
  child.spawnfile = bin;
  child.spawnargs = [bin, ...argv];
  const r = native.childProcess.spawn(bin, argv.map(String), opts, true);
  child._id = r.id ?? 0;
  child._exitOp = r.exitOp;
  // Streams to wait for before 'close': the pipes, each until the child closes it.
  child._openPipes = 1 + (opts.stdio[1] === 'pipe') + (opts.stdio[2] === 'pipe');
  if (opts.stdio[0] === 'pipe') child.stdin = new ChildInput(child);
  if (opts.stdio[1] === 'pipe') child.stdout = new ChildOutput(child, 1);
  if (opts.stdio[2] === 'pipe') child.stderr = new ChildOutput(child, 2);
  child.stdio = [child.stdin, child.stdout, child.stderr];
  if (r.errorCode) {
    process.nextTick(() => {
      child.emit('error', spawnError(r, 'spawn', bin, argv));
      child._exited(-2, null);
    });
    return child;
  }
  child.pid = r.pid;
  process.nextTick(() => child.emit('spawn'));
  let timer;
  if (options.timeout > 0) timer = setTimeout(() => child.kill(options.killSignal ?? 'SIGTERM'), options.timeout);
  r.exit.then(([status, signal]) => {
    clearTimeout(timer);
    child.exitCode = status ?? null;
    child.signalCode = signalName(signal ?? null);
    child.emit('exit', child.exitCode, child.signalCode);
    child._exited(child.exitCode, child.signalCode);
  });
  return child;
}

function execFile(file, args, options, callback) {
  if (typeof args === 'function') [args, options, callback] = [[], {}, args];
  else if (!Array.isArray(args)) [args, options, callback] = [[], args, options];
  if (typeof options === 'function') [options, callback] = [{}, options];
  options ??= {};
  const encoding = options.encoding ?? 'utf8';
  const child = spawn(file, args, options);
  const out = [];
  const errOut = [];
  child.stdout?.on('data', (d) => out.push(d));
  child.stderr?.on('data', (d) => errOut.push(d));
  const text = (parts) => {
    const b = Buffer.concat(parts);
    return encoding === 'buffer' ? b : b.toString(encoding);
  };
  let settled = false;
  child.on('error', (e) => {
    settled = true;
    callback?.(e, text(out), text(errOut));
  });
  child.on('close', (code, signal) => {
    if (settled) return;
    const cmd = options._command ?? [file, ...args].join(' ');
    let err = null;
    if (code !== 0 || signal) {
      err = new Error(`Command failed: ${cmd}\n${text(errOut)}`);
      Object.assign(err, { code, killed: child.killed, signal, cmd });
    }
    callback?.(err, text(out), text(errOut));
  });
  return child;
}

function exec(command, options, callback) {
  if (typeof options === 'function') [options, callback] = [{}, options];
  options ??= {};
  return execFile(command, [], { ...options, shell: options.shell ?? true, _command: command }, callback);
}

// util.promisify(exec / execFile) resolves { stdout, stderr }, as Node's custom promisify does.
const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');
for (const fn of [exec, execFile]) {
  fn[kCustomPromisify] = (...args) => new Promise((resolve, reject) => {
    fn(...args, (err, stdout, stderr) => (err ? reject(Object.assign(err, { stdout, stderr })) : resolve({ stdout, stderr })));
  });
}

module.exports = { spawn, spawnSync, exec, execSync, execFile, execFileSync, ChildProcess, _signals: SIGNALS };
