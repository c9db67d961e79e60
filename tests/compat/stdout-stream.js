// process.stdout and process.stderr are Writable streams (compared with Node, whose stdout
// here is a pipe): writes in order with console.log, callbacks, backpressure-free writes,
// pipe() from a Readable that leaves stdout open, a Transform piped into it.
'use strict';
const { Readable, Writable, Transform } = require('stream');

const out = process.stdout;
console.log('writable:', out instanceof Writable, out.writable, out.fd, process.stderr.fd);
console.log('write returns:', out.write('one\n'), out.write(Buffer.from('two\n')), out.write(new Uint8Array([116, 104, 114, 101, 101, 10])));
out.write('with a callback\n', (err) => console.log('callback:', err ?? null));
try {
  out.write(42);
} catch (e) {
  console.log('bad chunk:', e.code);
}
const upper = new Transform({
  transform(chunk, _enc, cb) {
    cb(null, chunk.toString().toUpperCase());
  },
});
const source = Readable.from(['piped ', 'through ', 'a transform\n']);
source.pipe(upper).pipe(process.stdout);
source.on('end', () => {
  setTimeout(() => {
    console.log('still writable after pipe():', process.stdout.writable);
    process.stdout.write('last write\n');
  }, 20);
});
