// md4w (Zig + C md4c, compiled to wasm by zig build): Markdown to HTML, to JSON, and as a stream.
import { init, mdToHtml, mdToJSON, mdToReadableHtml } from 'md4w';
import { readFileSync } from 'node:fs';
import assert from 'node:assert';

await init();
const md = `# Title

Stay _foolish_, stay **hungry**! [link](https://example.com "t") and \`code\`.

- [x] done
- [ ] todo

| a | b |
|---|:-:|
| 1 | 2 |

\`\`\`js
const x = 1 < 2;
\`\`\`
> quote with <b>html</b> &amp; entities &copy;
`;
console.log(mdToHtml(md));
console.log(JSON.stringify(mdToJSON('# Hi\n\nsome *text*')));
const html = mdToHtml(readFileSync('node_modules/md4w/README.md', 'utf8'));
console.log(html.length, html.split('<h2').length - 1, html.slice(0, 60));
const streamed = await new Response(mdToReadableHtml(md)).text();
assert.equal(streamed, mdToHtml(md));
