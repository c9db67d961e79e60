// The load side of bench/http (always run by node, so both servers face the same client):
// `node load.js PORT [REQUESTS] [CONCURRENCY]` sends keep-alive GETs and prints requests/s.
const http = require('node:http');
const [port, total = 20000, concurrency = 16] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let started = 0;
let done = 0;
const t0 = performance.now();
function one() {
  if (started === total) return;
  started++;
  http.get({ host: '127.0.0.1', port, path: '/json', agent }, (res) => {
    res.resume();
    res.on('end', () => {
      if (++done === total) {
        const s = (performance.now() - t0) / 1000;
        console.log(`${Math.round(total / s)} requests/s (${total} requests, ${concurrency} at a time)`);
        agent.destroy();
      } else one();
    });
  });
}
for (let i = 0; i < concurrency; i++) one();
