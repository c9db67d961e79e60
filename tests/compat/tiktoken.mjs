// tiktoken (OpenAI's BPE tokenizer in Rust, wasm-bindgen): encode/decode with cl100k_base and
// o200k_base, special tokens, token counts of a real text.
import { get_encoding, encoding_for_model } from 'tiktoken';
import { readFileSync } from 'node:fs';
import assert from 'node:assert';

const enc = get_encoding('cl100k_base');
const text = 'Hello, world! WebAssembly runs tokenizers: ünïcödé, 日本語, emoji 😀, code `x => x * 2`.';
const tokens = enc.encode(text);
console.log(tokens.length, Array.from(tokens).join(' '));
assert.equal(new TextDecoder().decode(enc.decode(tokens)), text);
console.log(Array.from(enc.encode('<|endoftext|> hi', ['<|endoftext|>'])).join(' '));
try {
  enc.encode('<|endoftext|>');
} catch (e) {
  console.log('special token refused:', String(e.message ?? e).slice(0, 50));
}
const readme = readFileSync('node_modules/tiktoken/README.md', 'utf8');
console.log('readme tokens', enc.encode_ordinary(readme).length);
enc.free();
const o200 = encoding_for_model('gpt-4o');
console.log('gpt-4o', Array.from(o200.encode(text)).slice(0, 12).join(' '), o200.encode_ordinary(readme).length);
o200.free();
