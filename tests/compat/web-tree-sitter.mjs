// web-tree-sitter (the tree-sitter parser runtime in C, emscripten, with dynamic linking) and
// grammars from tree-sitter-wasms (each a wasm side module loaded into it): parse JavaScript and
// Python, walk the syntax tree, run a query, edit and re-parse incrementally, find errors.
import { Parser, Language, Query } from 'web-tree-sitter';

await Parser.init();
const parser = new Parser();
const js = await Language.load('node_modules/tree-sitter-wasms/out/tree-sitter-javascript.wasm');
parser.setLanguage(js);
const source = 'function add(a, b) { return a + b; }\nconst x = add(1, 2); // three\nclass K { m() { return `t${x}`; } }\n';
const tree = parser.parse(source);
console.log(tree.rootNode.toString());
const query = new Query(js, '(function_declaration name: (identifier) @fn) (call_expression function: (identifier) @call) (comment) @c');
for (const c of query.captures(tree.rootNode)) console.log(c.name, c.node.text, c.node.startPosition.row, c.node.startPosition.column);
// An edit: "add(1, 2)" becomes "add(10, 2)", re-parsed from the old tree.
const edited = source.replace('add(1,', 'add(10,');
const at = source.indexOf('add(1,') + 4;
const column = at - source.indexOf('\n') - 1;
tree.edit({ startIndex: at, oldEndIndex: at + 1, newEndIndex: at + 2, startPosition: { row: 1, column }, oldEndPosition: { row: 1, column: column + 1 }, newEndPosition: { row: 1, column: column + 2 } });
const tree2 = parser.parse(edited, tree);
const changed = tree.getChangedRanges(tree2).map((r) => `${r.startIndex}-${r.endIndex}`);
console.log(tree2.rootNode.descendantForIndex(at).text, tree2.rootNode.descendantForIndex(at).type, tree2.rootNode.hasError, changed.join());
const broken = parser.parse('let = ;; function (');
console.log('errors', broken.rootNode.hasError, broken.rootNode.toString().slice(0, 80));
const py = await Language.load('node_modules/tree-sitter-wasms/out/tree-sitter-python.wasm');
parser.setLanguage(py);
const pyTree = parser.parse('def f(x):\n    return [i * 2 for i in range(x) if i % 2]\n');
const cursor = pyTree.walk();
const types = [];
const walk = () => { types.push(cursor.nodeType); if (cursor.gotoFirstChild()) { do walk(); while (cursor.gotoNextSibling()); cursor.gotoParent(); } };
walk();
console.log(types.length, types.join(' '));
