// A real program for bench/kernels: SQLite (sql.js, emscripten) inserting N rows and running
// aggregate, join and sort queries over them; prints the in-program time of the workload
// (not of loading). The same script under jsrt and node. Usage: sqljs.js N
const path = require('node:path');
const initSqlJs = require(path.join(__dirname, '../../tests/compat/node_modules/sql.js'));
const n = Number(process.argv[2] ?? 20000);

initSqlJs().then((SQL) => {
  const start = performance.now();
  const db = new SQL.Database();
  db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, name TEXT)');
  db.run('CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER, w REAL)');
  const ins = db.prepare('INSERT INTO t (v, name) VALUES (?, ?)');
  const insU = db.prepare('INSERT INTO u (t_id, w) VALUES (?, ?)');
  db.run('BEGIN');
  for (let i = 0; i < n; i++) {
    ins.run([(i * 7919) % 100003, `name${(i * 31) % 1000}`]);
    insU.run([(i * 17) % n + 1, i * 0.5]);
  }
  db.run('COMMIT');
  ins.free();
  insU.free();
  const out = [];
  out.push(db.exec('SELECT COUNT(*), SUM(v), AVG(v) FROM t WHERE v % 3 = 0')[0].values[0]);
  out.push(db.exec('SELECT name, COUNT(*) c FROM t GROUP BY name ORDER BY c DESC, name LIMIT 3')[0].values);
  out.push(db.exec('SELECT SUM(t.v * u.w) FROM t JOIN u ON u.t_id = t.id')[0].values[0]);
  out.push(db.exec('SELECT v FROM t ORDER BY name, v DESC LIMIT 1 OFFSET 100')[0].values[0]);
  db.close();
  const ms = performance.now() - start;
  console.log(`sqljs(${n}) = ${JSON.stringify(out).length} in ${ms.toFixed(1)} ms`);
});
