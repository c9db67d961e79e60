// internal/stdin — process.stdin: a Readable over fd 0, made the first time it is used.
// Each read runs on the blocking pool (native.readStdinAsync); while the stream is paused its
// pending read does not keep the event loop alive, so a program that is done can end.
'use strict';

const { Readable } = require('stream');
const { Buffer } = require('buffer');
let pending = null; // id of the read in flight
const stdin = new Readable({
  highWaterMark: 65536,
  read(size) {
    if (pending !== null) return native.stdinKeepAlive(pending, true);
    const [id, done] = native.readStdinAsync(size);
    pending = id;
    done.then((bytes) => {
      pending = null;
      stdin.push(bytes.length ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) : null);
    }, (err) => {
      pending = null;
      stdin.destroy(err);
    });
  },
});
const pause = stdin.pause;
stdin.pause = function () {
  if (pending !== null) native.stdinKeepAlive(pending, false);
  return pause.call(this);
};
const resume = stdin.resume;
stdin.resume = function () {
  if (pending !== null) native.stdinKeepAlive(pending, true);
  return resume.call(this);
};
stdin.fd = 0;
Object.defineProperty(stdin, 'isTTY', { get: () => native.isTTY(0), configurable: true });
stdin.setRawMode = function () { return this; };
stdin.ref = function () { return this; };
stdin.unref = function () { return this; };

module.exports = stdin;
