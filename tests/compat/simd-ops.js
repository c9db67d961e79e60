// Every SIMD instruction that computes (no memory), on edge-value lanes, in jsrt and in Node
// (crates/jsrt/tests/compat.rs compares the output). WAMR's fast interpreter runs SIMD through
// SIMDe, whose x86-64 paths without SSE4.1 have given wrong lanes (i64x2.all_true,
// i32x4.trunc_sat_f32x4_u: vendor/wamrx-sys/JSRT.md); this walks all of them, not a sample.
// Each op's results are printed as a checksum; a NaN lane of a float result counts as "NaN"
// (its sign and payload are implementation-defined).

// name, opcode (0xfd prefix), kind, float lane type of the result ('f32', 'f64' or '')
// kind: 'u' v128->v128, 'b' (v128,v128)->v128, 's' (v128,i32)->v128, 't' v128->i32,
// 'x' (v128,v128,v128)->v128, 'shuffle'
const OPS = [
  ['i8x16.swizzle', 0x0e, 'b'],
  ...['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'].map((n, i) => [`i8x16.${n}`, 0x23 + i, 'b']),
  ...['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'].map((n, i) => [`i16x8.${n}`, 0x2d + i, 'b']),
  ...['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'].map((n, i) => [`i32x4.${n}`, 0x37 + i, 'b']),
  ...['eq', 'ne', 'lt', 'gt', 'le', 'ge'].map((n, i) => [`f32x4.${n}`, 0x41 + i, 'b']),
  ...['eq', 'ne', 'lt', 'gt', 'le', 'ge'].map((n, i) => [`f64x2.${n}`, 0x47 + i, 'b']),
  ['v128.not', 0x4d, 'u'], ['v128.and', 0x4e, 'b'], ['v128.andnot', 0x4f, 'b'], ['v128.or', 0x50, 'b'],
  ['v128.xor', 0x51, 'b'], ['v128.bitselect', 0x52, 'x'], ['v128.any_true', 0x53, 't'],
  ['f32x4.demote_f64x2_zero', 0x5e, 'u', 'f32'], ['f64x2.promote_low_f32x4', 0x5f, 'u', 'f64'],
  ['i8x16.abs', 0x60, 'u'], ['i8x16.neg', 0x61, 'u'], ['i8x16.popcnt', 0x62, 'u'],
  ['i8x16.all_true', 0x63, 't'], ['i8x16.bitmask', 0x64, 't'],
  ['i8x16.narrow_i16x8_s', 0x65, 'b'], ['i8x16.narrow_i16x8_u', 0x66, 'b'],
  ['f32x4.ceil', 0x67, 'u', 'f32'], ['f32x4.floor', 0x68, 'u', 'f32'], ['f32x4.trunc', 0x69, 'u', 'f32'],
  ['f32x4.nearest', 0x6a, 'u', 'f32'],
  ['i8x16.shl', 0x6b, 's'], ['i8x16.shr_s', 0x6c, 's'], ['i8x16.shr_u', 0x6d, 's'],
  ['i8x16.add', 0x6e, 'b'], ['i8x16.add_sat_s', 0x6f, 'b'], ['i8x16.add_sat_u', 0x70, 'b'],
  ['i8x16.sub', 0x71, 'b'], ['i8x16.sub_sat_s', 0x72, 'b'], ['i8x16.sub_sat_u', 0x73, 'b'],
  ['f64x2.ceil', 0x74, 'u', 'f64'], ['f64x2.floor', 0x75, 'u', 'f64'],
  ['i8x16.min_s', 0x76, 'b'], ['i8x16.min_u', 0x77, 'b'], ['i8x16.max_s', 0x78, 'b'], ['i8x16.max_u', 0x79, 'b'],
  ['f64x2.trunc', 0x7a, 'u', 'f64'], ['i8x16.avgr_u', 0x7b, 'b'],
  ['i16x8.extadd_pairwise_i8x16_s', 0x7c, 'u'], ['i16x8.extadd_pairwise_i8x16_u', 0x7d, 'u'],
  ['i32x4.extadd_pairwise_i16x8_s', 0x7e, 'u'], ['i32x4.extadd_pairwise_i16x8_u', 0x7f, 'u'],
  ['i16x8.abs', 0x80, 'u'], ['i16x8.neg', 0x81, 'u'], ['i16x8.q15mulr_sat_s', 0x82, 'b'],
  ['i16x8.all_true', 0x83, 't'], ['i16x8.bitmask', 0x84, 't'],
  ['i16x8.narrow_i32x4_s', 0x85, 'b'], ['i16x8.narrow_i32x4_u', 0x86, 'b'],
  ['i16x8.extend_low_i8x16_s', 0x87, 'u'], ['i16x8.extend_high_i8x16_s', 0x88, 'u'],
  ['i16x8.extend_low_i8x16_u', 0x89, 'u'], ['i16x8.extend_high_i8x16_u', 0x8a, 'u'],
  ['i16x8.shl', 0x8b, 's'], ['i16x8.shr_s', 0x8c, 's'], ['i16x8.shr_u', 0x8d, 's'],
  ['i16x8.add', 0x8e, 'b'], ['i16x8.add_sat_s', 0x8f, 'b'], ['i16x8.add_sat_u', 0x90, 'b'],
  ['i16x8.sub', 0x91, 'b'], ['i16x8.sub_sat_s', 0x92, 'b'], ['i16x8.sub_sat_u', 0x93, 'b'],
  ['f64x2.nearest', 0x94, 'u', 'f64'], ['i16x8.mul', 0x95, 'b'],
  ['i16x8.min_s', 0x96, 'b'], ['i16x8.min_u', 0x97, 'b'], ['i16x8.max_s', 0x98, 'b'], ['i16x8.max_u', 0x99, 'b'],
  ['i16x8.avgr_u', 0x9b, 'b'],
  ['i16x8.extmul_low_i8x16_s', 0x9c, 'b'], ['i16x8.extmul_high_i8x16_s', 0x9d, 'b'],
  ['i16x8.extmul_low_i8x16_u', 0x9e, 'b'], ['i16x8.extmul_high_i8x16_u', 0x9f, 'b'],
  ['i32x4.abs', 0xa0, 'u'], ['i32x4.neg', 0xa1, 'u'], ['i32x4.all_true', 0xa3, 't'], ['i32x4.bitmask', 0xa4, 't'],
  ['i32x4.extend_low_i16x8_s', 0xa7, 'u'], ['i32x4.extend_high_i16x8_s', 0xa8, 'u'],
  ['i32x4.extend_low_i16x8_u', 0xa9, 'u'], ['i32x4.extend_high_i16x8_u', 0xaa, 'u'],
  ['i32x4.shl', 0xab, 's'], ['i32x4.shr_s', 0xac, 's'], ['i32x4.shr_u', 0xad, 's'],
  ['i32x4.add', 0xae, 'b'], ['i32x4.sub', 0xb1, 'b'], ['i32x4.mul', 0xb5, 'b'],
  ['i32x4.min_s', 0xb6, 'b'], ['i32x4.min_u', 0xb7, 'b'], ['i32x4.max_s', 0xb8, 'b'], ['i32x4.max_u', 0xb9, 'b'],
  ['i32x4.dot_i16x8_s', 0xba, 'b'],
  ['i32x4.extmul_low_i16x8_s', 0xbc, 'b'], ['i32x4.extmul_high_i16x8_s', 0xbd, 'b'],
  ['i32x4.extmul_low_i16x8_u', 0xbe, 'b'], ['i32x4.extmul_high_i16x8_u', 0xbf, 'b'],
  ['i64x2.abs', 0xc0, 'u'], ['i64x2.neg', 0xc1, 'u'], ['i64x2.all_true', 0xc3, 't'], ['i64x2.bitmask', 0xc4, 't'],
  ['i64x2.extend_low_i32x4_s', 0xc7, 'u'], ['i64x2.extend_high_i32x4_s', 0xc8, 'u'],
  ['i64x2.extend_low_i32x4_u', 0xc9, 'u'], ['i64x2.extend_high_i32x4_u', 0xca, 'u'],
  ['i64x2.shl', 0xcb, 's'], ['i64x2.shr_s', 0xcc, 's'], ['i64x2.shr_u', 0xcd, 's'],
  ['i64x2.add', 0xce, 'b'], ['i64x2.sub', 0xd1, 'b'], ['i64x2.mul', 0xd5, 'b'],
  ...['eq', 'ne', 'lt_s', 'gt_s', 'le_s', 'ge_s'].map((n, i) => [`i64x2.${n}`, 0xd6 + i, 'b']),
  ['i64x2.extmul_low_i32x4_s', 0xdc, 'b'], ['i64x2.extmul_high_i32x4_s', 0xdd, 'b'],
  ['i64x2.extmul_low_i32x4_u', 0xde, 'b'], ['i64x2.extmul_high_i32x4_u', 0xdf, 'b'],
  ['f32x4.abs', 0xe0, 'u', 'f32'], ['f32x4.neg', 0xe1, 'u', 'f32'], ['f32x4.sqrt', 0xe3, 'u', 'f32'],
  ...['add', 'sub', 'mul', 'div', 'min', 'max', 'pmin', 'pmax'].map((n, i) => [`f32x4.${n}`, 0xe4 + i, 'b', 'f32']),
  ['f64x2.abs', 0xec, 'u', 'f64'], ['f64x2.neg', 0xed, 'u', 'f64'], ['f64x2.sqrt', 0xef, 'u', 'f64'],
  ...['add', 'sub', 'mul', 'div', 'min', 'max', 'pmin', 'pmax'].map((n, i) => [`f64x2.${n}`, 0xf0 + i, 'b', 'f64']),
  ['i32x4.trunc_sat_f32x4_s', 0xf8, 'u'], ['i32x4.trunc_sat_f32x4_u', 0xf9, 'u'],
  ['f32x4.convert_i32x4_s', 0xfa, 'u', 'f32'], ['f32x4.convert_i32x4_u', 0xfb, 'u', 'f32'],
  ['i32x4.trunc_sat_f64x2_s_zero', 0xfc, 'u'], ['i32x4.trunc_sat_f64x2_u_zero', 0xfd, 'u'],
  ['f64x2.convert_low_i32x4_s', 0xfe, 'u', 'f64'], ['f64x2.convert_low_i32x4_u', 0xff, 'u', 'f64'],
];
// i8x16.shuffle with a few lane maps.
const SHUFFLES = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16],
  [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23],
  [15, 15, 15, 15, 0, 0, 0, 0, 31, 16, 8, 24, 3, 19, 11, 27],
];

// Lanes: integer edges of every width, float edges of both widths, and mixed patterns.
function fromF32(a) { const v = new DataView(new ArrayBuffer(16)); a.forEach((x, i) => v.setFloat32(i * 4, x, true)); return v; }
function fromF64(a) { const v = new DataView(new ArrayBuffer(16)); a.forEach((x, i) => v.setFloat64(i * 8, x, true)); return v; }
function fromU32(a) { const v = new DataView(new ArrayBuffer(16)); a.forEach((x, i) => v.setUint32(i * 4, x >>> 0, true)); return v; }
function fromU16(a) { const v = new DataView(new ArrayBuffer(16)); a.forEach((x, i) => v.setUint16(i * 2, x & 0xffff, true)); return v; }
function fromU8(a) { const v = new DataView(new ArrayBuffer(16)); a.forEach((x, i) => v.setUint8(i, x & 0xff)); return v; }
function fromU64(a) { const v = new DataView(new ArrayBuffer(16)); a.forEach((x, i) => v.setBigUint64(i * 8, BigInt.asUintN(64, x), true)); return v; }
const VECTORS = [
  fromU32([0, 0, 0, 0]), fromU32([-1, -1, -1, -1]), fromU32([1, 2, 3, 4]),
  fromU8([0x80, 0x7f, 0xff, 0x01, 0, 0x81, 0xfe, 0x40, 0x3f, 0xc0, 0x10, 0xef, 0x55, 0xaa, 0x7e, 0x02]),
  fromU16([0x8000, 0x7fff, 0xffff, 1, 0, 0x8001, 0xfffe, 0x4000]),
  fromU32([0x80000000, 0x7fffffff, 0xffffffff, 0x836cca5c]),
  fromU64([1n << 63n, (1n << 63n) - 1n]), fromU64([-2n, 0x100000000n]), fromU64([0n, 1n]),
  fromF32([NaN, Infinity, -Infinity, -0]), fromF32([1.5, -1.5, 2.5, -0.5]),
  fromF32([2147483648, 2206000128, 4294967040, 4294967296]), fromF32([-2147483904, 2147483520, 1e10, -1e10]),
  fromF32([1.401298464324817e-45, -1.1754942106924411e-38, 3.4028234663852886e38, 16777217]),
  fromF32([0.49999997, 8388609.5, -8388609.5, 0.5]),
  fromF64([NaN, -0]), fromF64([Infinity, -Infinity]), fromF64([2147483648, -2147483649]),
  fromF64([4294967295.5, 4294967296]), fromF64([5e-324, -1.7976931348623157e308]),
  fromF64([0.49999999999999994, 4503599627370497.5]), fromF64([1e300, 3.4028235677973366e38]),
  fromU32([0x00000001, 0x80000001, 0x7f800001, 0xffc00000]),
];
const SHIFTS = [0, 1, 7, 8, 15, 16, 31, 32, 63, 64, 65, -1];

// The module: one exported function per op, all of type (i64 i64 i64 i64 i64 i64 i32) -> (i64 i64).
function uleb(n) { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; }
function str(s) { const b = [...Buffer.from(s)]; return [...uleb(b.length), ...b]; }
function section(id, body) { return [id, ...uleb(body.length), ...body]; }
const SIMD = (op, ...imm) => [0xfd, ...uleb(op), ...imm];
const vec = (lo, hi) => [0x20, lo, ...SIMD(0x12), 0x20, hi, ...SIMD(0x1e, 1)]; // i64x2.splat, replace_lane 1
function body(op, kind, shuffle) {
  const code = [...vec(0, 1)];
  if (kind === 'b' || kind === 'x' || kind === 'shuffle') code.push(...vec(2, 3));
  if (kind === 'x') code.push(...vec(4, 5));
  if (kind === 's') code.push(0x20, 6);
  code.push(...(kind === 'shuffle' ? [0xfd, 0x0d, ...shuffle] : SIMD(op)));
  if (kind === 't') code.push(0xad, 0x42, 0); // i64.extend_i32_u, i64.const 0
  else code.push(0x21, 7, 0x20, 7, ...SIMD(0x1d, 0), 0x20, 7, ...SIMD(0x1d, 1)); // lanes of local 7
  code.push(0x0b);
  const f = [1, 1, 0x7b, ...code]; // one v128 local
  return [...uleb(f.length), ...f];
}
const funcs = [...OPS.map(([name, op, kind, lanes]) => ({ name, op, kind, lanes: lanes || '' })),
  ...SHUFFLES.map((s, i) => ({ name: `i8x16.shuffle#${i}`, kind: 'shuffle', shuffle: s, lanes: '' }))];
const bytes = new Uint8Array([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [1, 0x60, 7, 0x7e, 0x7e, 0x7e, 0x7e, 0x7e, 0x7e, 0x7f, 2, 0x7e, 0x7e]),
  ...section(3, [...uleb(funcs.length), ...funcs.map(() => 0)]),
  ...section(7, [...uleb(funcs.length), ...funcs.flatMap((f, i) => [...str(f.name), 0, ...uleb(i)])]),
  ...section(10, [...uleb(funcs.length), ...funcs.flatMap((f) => body(f.op, f.kind, f.shuffle))]),
]);
const { exports: simd } = new WebAssembly.Instance(new WebAssembly.Module(bytes));

// FNV-1a over the results, float lanes read as numbers with NaN as one value.
function hashResult(h, [lo, hi], lanes) {
  const v = new DataView(new ArrayBuffer(16));
  v.setBigUint64(0, BigInt.asUintN(64, lo), true);
  v.setBigUint64(8, BigInt.asUintN(64, hi), true);
  const num = (x) => (Object.is(x, -0) ? '-0' : String(x)); // NaN prints as "NaN"
  let text;
  if (lanes === 'f32') text = [0, 4, 8, 12].map((o) => num(v.getFloat32(o, true))).join(',');
  else if (lanes === 'f64') text = [0, 8].map((o) => num(v.getFloat64(o, true))).join(',');
  else text = `${v.getBigUint64(0, true)},${v.getBigUint64(8, true)}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return Math.imul(h ^ 59, 16777619) >>> 0;
}
const halves = (v) => [v.getBigInt64(0, true), v.getBigInt64(8, true)];
let calls = 0;
for (const f of funcs) {
  const fn = simd[f.name];
  let h = 2166136261;
  const run = (a, b, c, s) => { h = hashResult(h, fn(...halves(a), ...halves(b), ...halves(c), s), f.lanes); calls++; };
  const zero = VECTORS[0];
  if (f.kind === 'u' || f.kind === 't') for (const a of VECTORS) run(a, zero, zero, 0);
  else if (f.kind === 's') for (const a of VECTORS) for (const s of SHIFTS) run(a, zero, zero, s);
  else if (f.kind === 'x') for (const a of VECTORS) for (const b of VECTORS) run(a, b, VECTORS[(VECTORS.indexOf(a) * 7 + 3) % VECTORS.length], 0);
  else for (const a of VECTORS) for (const b of VECTORS) run(a, b, zero, 0);
  console.log(f.name, h.toString(16).padStart(8, '0'));
}
console.log(`${funcs.length} ops, ${calls} calls`);
