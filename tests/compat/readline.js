// node:readline and process.stdin compared with Node (crates/jsrt/tests/compat.rs feeds
// readline.stdin to both): questions, 'line' events with \n and \r\n, a last line without a
// newline, async iteration, readline/promises, and a Readable as input. The program ends on
// its own once stdin is done (a paused stdin keeps nothing alive).
const readline = require('node:readline');
const { Readable } = require('stream');
const out = (...a) => console.log(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));

(async () => {
  // A Readable as input, iterated line by line.
  const rl1 = readline.createInterface({ input: Readable.from(['one\ntw', 'o\r\nthree\n\nfour']) });
  const lines = [];
  for await (const l of rl1) lines.push(l);
  out('readable lines', lines);

  // stdin: two questions, then the rest as 'line' events until the end of input.
  const rl = readline.createInterface({ input: process.stdin });
  const name = await new Promise((resolve) => rl.question('', resolve));
  out('answer 1', name);
  const rlp = require('readline/promises');
  out('promises', typeof rlp.createInterface, typeof rlp.Interface);
  const rest = [];
  rl.on('line', (l) => rest.push(l));
  rl.on('close', () => out('stdin lines', rest, process.stdin.readableEnded));
})();
