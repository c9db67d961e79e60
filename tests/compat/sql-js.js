// sql.js (SQLite compiled with emscripten): create a table, insert 1,000 rows, query aggregates.
const assert = require('node:assert');
const initSqlJs = require('sql.js');

initSqlJs().then((SQL) => {
  const db = new SQL.Database();
  db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, name TEXT)');
  const stmt = db.prepare('INSERT INTO t (v, name) VALUES (?, ?)');
  db.run('BEGIN');
  for (let i = 0; i < 1000; i++) stmt.run([i * 3, `row${i}`]);
  db.run('COMMIT');
  stmt.free();
  const [res] = db.exec('SELECT COUNT(*), SUM(v), MAX(name), AVG(v) FROM t WHERE v % 2 = 0');
  assert.deepStrictEqual(res.values, [[500, 748500, 'row998', 1497]]);
  const [all] = db.exec('SELECT COUNT(*), SUM(v) FROM t');
  assert.deepStrictEqual(all.values, [[1000, 1498500]]);
  db.close();
  console.log('sql.js ok');
});
