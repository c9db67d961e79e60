// node:http's client (crates/jsrt/tests/compat.rs passes the loopback server's URL and a
// closed port; compared with Node): http.get and http.request, status and headers, the body
// as 'data' events with setEncoding, a chunked body, a redirect not followed, POST with
// write/end, a 404, a refused connection as an 'error' event, destroy() of a hanging request.
const http = require('http');
const base = process.argv[2];
const closedPort = process.argv[3];

function get(url, options = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, options, (res) => {
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ res, body }));
    });
    req.on('error', reject);
  });
}

async function main() {
  const { res, body } = await get(`${base}/hello`);
  console.log(res.statusCode, res.statusMessage, res.headers['content-type'], res.headers['x-test'], res.headers['content-length'], body, res.complete);

  const chunked = await get(`${base}/chunked`);
  console.log('chunked', chunked.res.headers['transfer-encoding'], chunked.body);

  const redirect = await get(`${base}/redirect`);
  console.log('redirect', redirect.res.statusCode, redirect.res.headers.location, JSON.stringify(redirect.body));

  const missing = await get(new URL('/missing', base));
  console.log('missing', missing.res.statusCode, missing.body);

  const { hostname, port } = new URL(base);
  const posted = await new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: '/echo', method: 'POST', headers: { 'x-kind': 'parts', 'content-type': 'text/plain' } }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve(Buffer.concat(parts).toString()));
    });
    req.on('error', reject);
    req.write('one,');
    req.write(Buffer.from('two,'));
    req.end('three');
  });
  console.log('posted', posted);

  const big = await new Promise((resolve) => {
    http.get(`${base}/big`, (res) => {
      let n = 0;
      res.on('data', (d) => { n += d.length; });
      res.on('end', () => resolve(n));
    });
  });
  console.log('big', big);

  await new Promise((resolve) => {
    const req = http.get(`http://127.0.0.1:${closedPort}/`);
    req.on('error', (e) => {
      console.log('error', e.code, e.syscall, e.message.replace(/:\d+$/, ':PORT'));
      resolve();
    });
  });

  await new Promise((resolve) => {
    const req = http.get(`${base}/hang`);
    req.on('error', (e) => {
      console.log('destroyed', e.code, e.message);
      resolve();
    });
    setTimeout(() => req.destroy(), 100);
  });
  console.log('http.METHODS has GET', http.METHODS.includes('GET'), http.STATUS_CODES[404]);
}

main().catch((e) => {
  console.log('FAILED', e);
  process.exitCode = 1;
});
