//! Keeps memories growable from the host.
//!
//! WAMR's loader (`wasm_loader.c`, `if (!module->possible_memory_grow)`) turns the memory of a
//! module whose code never executes `memory.grow` or `memory.size` into a single fixed "page"
//! of the whole initial size. That saves memory for standalone wasm, but the JS API lets the
//! host grow any exported memory (`WebAssembly.Memory.prototype.grow`) and counts its size in
//! 64 KiB pages. So before loading a module that has a memory we append one function the
//! module never calls, `(func (drop (memory.size)))`, which makes WAMR keep real pages. The
//! function is added at the end of the function index space, so no index the module uses
//! changes, and it is not exported.

use wasmparser::{Parser, Payload};

/// Section ids in their required order (custom sections aside).
const ORDER: &[u8] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];

fn rank(id: u8) -> usize {
    ORDER.iter().position(|&x| x == id).unwrap_or(usize::MAX)
}

fn leb(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_leb(data: &[u8]) -> Option<(u32, usize)> {
    let mut result = 0u32;
    for (i, b) in data.iter().enumerate().take(5) {
        result |= ((b & 0x7f) as u32) << (7 * i);
        if b & 0x80 == 0 {
            return Some((result, i + 1));
        }
    }
    None
}

fn section(id: u8, body: &[u8], out: &mut Vec<u8>) {
    out.push(id);
    leb(body.len() as u32, out);
    out.extend_from_slice(body);
}

/// A vector section's contents with `extra` appended as one more entry.
fn append_entry(contents: &[u8], extra: &[u8]) -> Option<Vec<u8>> {
    let (count, n) = read_leb(contents)?;
    let mut body = Vec::with_capacity(contents.len() + extra.len() + 5);
    leb(count + 1, &mut body);
    body.extend_from_slice(&contents[n..]);
    body.extend_from_slice(extra);
    Some(body)
}

/// The module with the extra function, or None when nothing needs changing (no memory) or
/// the bytes do not parse (the loader then reports the real error on the original bytes).
pub fn ensure_growable(bytes: &[u8]) -> Option<Vec<u8>> {
    // (id, contents range) of every section, in order.
    let mut sections: Vec<(u8, std::ops::Range<usize>)> = Vec::new();
    let mut has_memory = false;
    let mut type_count = 0u32;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.ok()?;
        if let Some((id, range)) = payload.as_section() {
            sections.push((id, range));
        }
        match payload {
            Payload::TypeSection(r) => type_count = r.count(),
            Payload::ImportSection(r) => {
                for imp in r {
                    if let wasmparser::TypeRef::Memory(_) = imp.ok()?.ty {
                        has_memory = true;
                    }
                }
            }
            Payload::MemorySection(r) => has_memory |= r.count() > 0,
            _ => {}
        }
    }
    if !has_memory {
        return None;
    }
    let new_type: &[u8] = &[0x60, 0x00, 0x00]; // () -> ()
    let mut new_func = Vec::new();
    leb(type_count, &mut new_func);
    let new_body: &[u8] = &[0x05, 0x00, 0x3f, 0x00, 0x1a, 0x0b]; // size 5: no locals, memory.size 0, drop, end

    let mut out = bytes[..8].to_vec();
    let mut added = [false; 3]; // type, function, code
    let wanted: [(u8, Vec<u8>); 3] = [
        (1, [&[1u8][..], new_type].concat()),
        (3, [&[1u8][..], &new_func[..]].concat()),
        (10, [&[1u8][..], new_body].concat()),
    ];
    let emit_missing_before = |id: u8, out: &mut Vec<u8>, added: &mut [bool; 3]| {
        for (k, (wid, fresh)) in wanted.iter().enumerate() {
            if !added[k] && rank(*wid) < rank(id) {
                section(*wid, fresh, out);
                added[k] = true;
            }
        }
    };
    for (id, range) in &sections {
        let contents = &bytes[range.clone()];
        if *id != 0 {
            emit_missing_before(*id, &mut out, &mut added);
        }
        let extended = match id {
            1 => Some((0, append_entry(contents, new_type)?)),
            3 => Some((1, append_entry(contents, &new_func)?)),
            10 => Some((2, append_entry(contents, new_body)?)),
            _ => None,
        };
        match extended {
            Some((k, body)) => {
                section(*id, &body, &mut out);
                added[k] = true;
            }
            None => section(*id, contents, &mut out),
        }
    }
    emit_missing_before(u8::MAX, &mut out, &mut added);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::ensure_growable;

    #[test]
    fn adds_a_function_only_when_there_is_a_memory() {
        let none = wat::parse_str("(module (func (export \"f\")))").unwrap();
        assert!(ensure_growable(&none).is_none());
        for src in [
            "(module (memory 1))",
            "(module (memory (export \"m\") 1 2) (func (export \"f\") (result i32) i32.const 1) (data (i32.const 0) \"x\"))",
            "(module (import \"e\" \"m\" (memory 1)) (type (func (param i32))) (func (type 0)))",
        ] {
            let bytes = wat::parse_str(src).unwrap();
            let out = ensure_growable(&bytes).unwrap();
            wasmparser::Validator::new().validate_all(&out).unwrap();
            let funcs_before = count_funcs(&bytes);
            assert_eq!(count_funcs(&out), funcs_before + 1, "{src}");
        }
    }

    fn count_funcs(bytes: &[u8]) -> u32 {
        let mut n = 0;
        for p in wasmparser::Parser::new(0).parse_all(bytes) {
            if let wasmparser::Payload::FunctionSection(r) = p.unwrap() {
                n = r.count();
            }
        }
        n
    }
}
