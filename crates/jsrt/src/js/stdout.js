// internal/stdout — process.stdout and process.stderr: Writable streams (as Node's
// SyncWriteStream, when the output is a file or a pipe) writing synchronously to fd 1 or 2,
// made the first time they are used. Ending one emits 'finish' but leaves the descriptor
// open; `pipe()` and `pipeline()` do not end them (stream.js), as in Node.
'use strict';

const { Writable } = require('stream');
const { Buffer } = require('buffer');

class SyncWriteStream extends Writable {
  constructor(fd) {
    super({ autoDestroy: true, emitClose: false });
    this.fd = fd;
    this._type = 'fs';
    this._isStdio = true;
  }

  // true on a terminal, else undefined (as Node's streams over files and pipes have none).
  get isTTY() { return native.isTTY(this.fd) || undefined; }
  get columns() { return native.isTTY(this.fd) ? 80 : undefined; }

  // Written at once, whatever is queued (nothing is: every write goes straight through), as
  // Node's SyncWriteStream does; the callback comes on a later tick.
  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') [encoding, cb] = [undefined, encoding];
    const w = this._writableState;
    if (w.ending || w.destroyed || (typeof chunk !== 'string' && !ArrayBuffer.isView(chunk))) {
      return super.write(chunk, encoding, cb); // the errors Writable gives
    }
    native.write(this.fd, typeof chunk === 'string' && encoding && encoding !== 'utf8' && encoding !== 'utf-8' ? Buffer.from(chunk, encoding) : chunk);
    if (typeof cb === 'function') process.nextTick(cb, null);
    return true;
  }

  _write(chunk, encoding, cb) {
    native.write(this.fd, chunk);
    cb();
  }

  // The descriptor is the process's: never closed.
  _destroy(err, cb) {
    cb(err);
  }

  destroySoon() {
    this.destroy();
  }
}

module.exports = (fd) => new SyncWriteStream(fd);
