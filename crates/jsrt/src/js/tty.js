// jsrt:tty — whether a file descriptor is a terminal.
'use strict';

function isatty(fd) {
  return Number.isInteger(fd) && fd >= 0 && native.isTTY(fd);
}

module.exports = { isatty };
