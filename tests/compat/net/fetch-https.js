// fetch over https: against the loopback TLS server of crates/jsrt/tests/compat.rs, whose
// certificate comes from a test CA trusted through NODE_EXTRA_CA_CERTS (as Node does), run
// twice: with the CA (a text body, JSON, a chunked body, a redirect, a POST), and without it
// (the certificate is refused: TypeError 'fetch failed'). Compared with Node.
const base = process.argv[2];

async function main() {
  if (process.argv[3] === 'untrusted') {
    try {
      await fetch(`${base}/hello`);
      console.log('fetched without trusting the CA');
    } catch (e) {
      console.log('refused', e.name, e.message, e.cause instanceof Error);
    }
    return;
  }
  const r = await fetch(`${base}/hello`);
  console.log(r.status, r.headers.get('x-test'), await r.text());
  console.log(await (await fetch(`${base}/json`)).json());
  console.log(await (await fetch(`${base}/chunked`)).text());
  const f = await fetch(`${base}/redirect`);
  console.log(f.redirected, await f.text());
  console.log(await (await fetch(`${base}/echo`, { method: 'POST', body: 'over tls', headers: { 'x-kind': 't' } })).text());
}

main().catch((e) => {
  console.log('FAILED', e, e.cause);
  process.exitCode = 1;
});
