// jsrt:os — operating-system facts, read from Linux's /proc as libuv does, and os.constants.
'use strict';

const fs = require('fs');

// A /proc (or /etc) file's text, '' if it cannot be read.
function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// The values of /proc/meminfo, in bytes.
function meminfo(key) {
  const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(read('/proc/meminfo'));
  return m ? Number(m[1]) * 1024 : 0;
}

// One entry per CPU: model and speed from /proc/cpuinfo, times (ms) from /proc/stat.
function cpus() {
  const info = read('/proc/cpuinfo').split('\n\n').filter((b) => /^processor/m.test(b));
  const field = (block, name) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(block)?.[1] ?? '';
  const ticks = read('/proc/stat').split('\n').filter((l) => /^cpu\d+ /.test(l)).map((l) => l.split(/\s+/).slice(1).map(Number));
  // USER_HZ is 100 on Linux: a tick is 10 ms.
  return ticks.map(([user, nice, sys, idle, , irq], i) => ({
    model: field(info[i] ?? '', 'model name') || 'unknown',
    speed: Math.floor(Number(field(info[i] ?? '', 'cpu MHz')) || 0),
    times: { user: user * 10, nice: nice * 10, sys: sys * 10, idle: idle * 10, irq: irq * 10 },
  }));
}

// The /etc/passwd entry of the process's user.
function userInfo(options) {
  const uid = process.getuid();
  const entry = read('/etc/passwd').split('\n').map((l) => l.split(':')).find((f) => Number(f[2]) === uid);
  const info = {
    uid,
    gid: process.getgid(),
    username: entry?.[0] ?? `${uid}`,
    homedir: entry?.[5] ?? (process.env.HOME || '/'),
    shell: entry?.[6] ?? null,
  };
  if (options?.encoding === 'buffer') for (const k of ['username', 'homedir', 'shell']) if (info[k] !== null) info[k] = Buffer.from(info[k]);
  return info;
}

const signals = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGSTKFLT: 16,
  SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25,
  SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31,
};
const errno = {
  E2BIG: 7, EACCES: 13, EADDRINUSE: 98, EADDRNOTAVAIL: 99, EAFNOSUPPORT: 97, EAGAIN: 11, EALREADY: 114, EBADF: 9,
  EBADMSG: 74, EBUSY: 16, ECANCELED: 125, ECHILD: 10, ECONNABORTED: 103, ECONNREFUSED: 111, ECONNRESET: 104,
  EDEADLK: 35, EDESTADDRREQ: 89, EDOM: 33, EDQUOT: 122, EEXIST: 17, EFAULT: 14, EFBIG: 27, EHOSTUNREACH: 113,
  EIDRM: 43, EILSEQ: 84, EINPROGRESS: 115, EINTR: 4, EINVAL: 22, EIO: 5, EISCONN: 106, EISDIR: 21, ELOOP: 40,
  EMFILE: 24, EMLINK: 31, EMSGSIZE: 90, EMULTIHOP: 72, ENAMETOOLONG: 36, ENETDOWN: 100, ENETRESET: 102,
  ENETUNREACH: 101, ENFILE: 23, ENOBUFS: 105, ENODATA: 61, ENODEV: 19, ENOENT: 2, ENOEXEC: 8, ENOLCK: 37,
  ENOLINK: 67, ENOMEM: 12, ENOMSG: 42, ENOPROTOOPT: 92, ENOSPC: 28, ENOSR: 63, ENOSTR: 60, ENOSYS: 38,
  ENOTCONN: 107, ENOTDIR: 20, ENOTEMPTY: 39, ENOTSOCK: 88, ENOTSUP: 95, ENOTTY: 25, ENXIO: 6, EOPNOTSUPP: 95,
  EOVERFLOW: 75, EPERM: 1, EPIPE: 32, EPROTO: 71, EPROTONOSUPPORT: 93, EPROTOTYPE: 91, ERANGE: 34, EROFS: 30,
  ESPIPE: 29, ESRCH: 3, ESTALE: 116, ETIME: 62, ETIMEDOUT: 110, ETXTBSY: 26, EWOULDBLOCK: 11, EXDEV: 18,
};
const constants = {
  UV_UDP_REUSEADDR: 4,
  dlopen: { RTLD_LAZY: 1, RTLD_NOW: 2, RTLD_GLOBAL: 256, RTLD_LOCAL: 0, RTLD_DEEPBIND: 8 },
  errno,
  signals,
  priority: { PRIORITY_LOW: 19, PRIORITY_BELOW_NORMAL: 10, PRIORITY_NORMAL: 0, PRIORITY_ABOVE_NORMAL: -7, PRIORITY_HIGH: -14, PRIORITY_HIGHEST: -20 },
};

module.exports = {
  EOL: '\n',
  devNull: '/dev/null',
  platform: () => process.platform,
  arch: () => process.arch,
  machine: () => ({ x64: 'x86_64', arm64: 'aarch64', ia32: 'i686' }[process.arch] ?? process.arch),
  type: () => (process.platform === 'linux' ? 'Linux' : process.platform),
  release: () => read('/proc/sys/kernel/osrelease').trim(),
  version: () => read('/proc/sys/kernel/version').trim(),
  homedir: () => process.env.HOME || userInfo().homedir,
  tmpdir: () => (process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp').replace(/(.)\/$/, '$1'),
  hostname: () => read('/proc/sys/kernel/hostname').trim() || 'localhost',
  endianness: () => 'LE',
  cpus,
  availableParallelism: () => native.availableParallelism(),
  totalmem: () => meminfo('MemTotal'),
  freemem: () => meminfo('MemAvailable'),
  loadavg: () => read('/proc/loadavg').split(' ').slice(0, 3).map(Number).concat([0, 0, 0]).slice(0, 3),
  uptime: () => Number(read('/proc/uptime').split(' ')[0]) || 0,
  userInfo,
  networkInterfaces: () => ({}),
  constants,
};
