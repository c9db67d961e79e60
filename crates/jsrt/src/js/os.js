// jsrt:os — basic operating-system facts.
'use strict';

module.exports = {
  EOL: '\n',
  platform: () => process.platform,
  arch: () => process.arch,
  type: () => (process.platform === 'linux' ? 'Linux' : process.platform),
  homedir: () => process.env.HOME || '/',
  tmpdir: () => process.env.TMPDIR || '/tmp',
  hostname: () => process.env.HOSTNAME || 'localhost',
  endianness: () => 'LE',
  cpus: () => [],
  availableParallelism: () => 1,
  totalmem: () => 0,
  freemem: () => 0,
  release: () => '',
  uptime: () => process.uptime(),
  constants: { signals: {} },
};
