// vscode-oniguruma (the Oniguruma regex library in C, emscripten): the TextMate grammar regexes of
// VS Code and shiki. Scanners over several patterns, captures, UTF-16 offsets, lookbehind.
const oniguruma = require('vscode-oniguruma');
const fs = require('node:fs');
const path = require('node:path');

(async () => {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const scanner = new oniguruma.OnigScanner(['\\b(function)\\s+(\\w+)', '"(?:[^"\\\\]|\\\\.)*"', '(?<=\\.)\\w+', '\\d+(\\.\\d+)?', '\\p{Greek}+']);
  const text = new oniguruma.OnigString('const x = "a \\"q\\"" + obj.prop; function foo(α) { return 3.14 + λμ; } // ünïcode');
  let pos = 0;
  for (;;) {
    const m = scanner.findNextMatchSync(text, pos);
    if (!m) break;
    console.log(m.index, m.captureIndices.map((c) => `${c.start}-${c.end}:${text.content.slice(c.start, c.end)}`).join(' '));
    pos = m.captureIndices[0].end;
  }
  const emoji = new oniguruma.OnigString('a😀b😀c');
  const s2 = new oniguruma.OnigScanner(['😀(\\w)']);
  console.log(JSON.stringify(s2.findNextMatchSync(emoji, 0)), JSON.stringify(s2.findNextMatchSync(emoji, 3)));
  const big = new oniguruma.OnigString('word '.repeat(20000) + 'end');
  const s3 = new oniguruma.OnigScanner(['\\bend\\b']);
  console.log(s3.findNextMatchSync(big, 0).captureIndices[0].start);
  try {
    new oniguruma.OnigScanner(['(unclosed']);
  } catch (e) {
    console.log('bad pattern:', String(e.message ?? e).slice(0, 40));
  }
  scanner.dispose(); text.dispose(); emoji.dispose(); s2.dispose(); big.dispose(); s3.dispose();
})();
