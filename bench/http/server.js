// The server side of bench/http: a small JSON API on 127.0.0.1 (port from argv, 0: any),
// printing its port; the same script under jsrt and node.
const http = require('node:http');
let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  if (req.url === '/json') {
    const body = JSON.stringify({ ok: true, hits, path: req.url });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } else {
    res.statusCode = 404;
    res.end();
  }
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => console.log(server.address().port));
