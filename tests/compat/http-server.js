// node:http's server, compared with Node: a small JSON API and static responses on
// 127.0.0.1 (port 0), asked with fetch and with http.get: status and headers, a JSON body,
// a request body read as a stream, a response written in chunks (chunked), a HEAD request,
// a 404, keep-alive requests one after another, 'listening'/'close' events, EADDRINUSE.
const http = require('http');

const server = http.createServer((req, res) => {
  if (req.url === '/json' && req.method === 'GET') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ hello: 'world', method: req.method, agentHeader: typeof req.headers['user-agent'] }));
  } else if (req.url === '/echo' && req.method === 'POST') {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString();
      res.writeHead(201, { 'Content-Type': 'text/plain', 'X-Length': String(body.length) });
      res.end(`got ${body}`);
    });
  } else if (req.url === '/stream') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    let n = 0;
    const tick = () => {
      if (n === 3) return res.end('done');
      res.write(`part${n++} `);
      setTimeout(tick, 10);
    };
    tick();
  } else if (req.url.startsWith('/query')) {
    res.end(`url=${req.url}`);
  } else {
    res.statusCode = 404;
    res.statusMessage = 'Nope';
    res.end('not here');
  }
});

const events = [];
server.on('listening', () => events.push('listening'));
server.on('close', () => events.push('close'));

server.listen(0, '127.0.0.1', async () => {
  const { port, address, family } = server.address();
  console.log('address', address, family, port > 0);
  const base = `http://127.0.0.1:${port}`;
  try {
    const j = await fetch(`${base}/json`);
    console.log(j.status, j.headers.get('content-type'), j.headers.get('content-length'), await j.json());
    const e = await fetch(`${base}/echo`, { method: 'POST', body: 'a request body' });
    console.log(e.status, e.headers.get('x-length'), await e.text());
    const s = await fetch(`${base}/stream`);
    console.log(s.status, s.headers.get('transfer-encoding'), await s.text());
    const h = await fetch(`${base}/json`, { method: 'HEAD' });
    console.log('head', h.status, JSON.stringify(await h.text()));
    const m = await fetch(`${base}/missing`);
    console.log(m.status, m.statusText, await m.text());
    const q = await fetch(`${base}/query?a=1&b=%20`);
    console.log(await q.text());
    const viaGet = await new Promise((resolve, reject) => {
      http.get(`${base}/json`, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { body += d; });
        res.on('end', () => resolve(`${res.statusCode} ${body}`));
      }).on('error', reject);
    });
    console.log('http.get', viaGet);
    const many = [];
    for (let i = 0; i < 5; i++) many.push((await fetch(`${base}/query?${i}`)).status);
    console.log('sequential', many);
    const parallel = await Promise.all([1, 2, 3, 4].map((i) => fetch(`${base}/query?p${i}`).then((r) => r.text())));
    console.log('parallel', parallel);
    // The same port again: EADDRINUSE.
    await new Promise((resolve) => {
      const other = http.createServer();
      other.on('error', (err) => {
        console.log('second listen', err.code, err.syscall);
        resolve();
      });
      other.listen(port, '127.0.0.1');
    });
  } catch (err) {
    console.log('FAILED', err);
    process.exitCode = 1;
  }
  server.close(() => console.log('closed', events));
});
