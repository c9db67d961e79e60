// node:https's server (run by compat.rs with a certificate for localhost from a fresh test CA:
// argv[2] the certificate, argv[3] its key, NODE_EXTRA_CA_CERTS the CA): a JSON API over TLS,
// reached with https.get and fetch; a POST body; keep-alive; `encrypted` on the request's
// socket; a bad key refused by createServer.
const https = require('node:https');
const fs = require('node:fs');

const cert = fs.readFileSync(process.argv[2]);
const key = fs.readFileSync(process.argv[3], 'utf8');
try {
  https.createServer({ cert, key: 'not a key' });
  console.log('bad key accepted');
} catch (e) {
  console.log('bad key refused:', e instanceof Error);
}
const server = https.createServer({ cert, key }, (req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, body, encrypted: req.socket.encrypted === true }));
  });
});
server.listen(0, '127.0.0.1', async () => {
  const base = `https://localhost:${server.address().port}`;
  const viaGet = await new Promise((resolve, reject) => {
    https.get(`${base}/get?x=1`, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve(`${res.statusCode} ${res.headers['content-type']} ${text}`));
    }).on('error', reject);
  });
  console.log('https.get', viaGet);
  const posted = await fetch(`${base}/post`, { method: 'POST', body: 'payload' });
  console.log('fetch POST', posted.status, await posted.text());
  const many = await Promise.all([1, 2, 3].map((i) => fetch(`${base}/n/${i}`).then((r) => r.json())));
  console.log('parallel', many.map((m) => m.url).join(' '));
  server.close(() => console.log('closed'));
});
