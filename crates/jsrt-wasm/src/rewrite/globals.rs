//! Job 6, imported globals: WAMR refuses to instantiate a module with global imports it did
//! not link itself (`wasm_runtime.c`, "failed to link import global"), so global imports are
//! moved to the front of the global section as defined globals (keeping every global index),
//! whose values `instance.rs` writes after instantiation; defined globals initialised from
//! them are zeroed here and recomputed there.

use super::Scan;

/// A global section entry `type mut (zero) end`, or None for types we cannot encode.
pub(super) fn zero_global(t: wasmparser::ValType, mutable: bool) -> Option<Vec<u8>> {
    use wasmparser::ValType as V;
    let mut e = Vec::new();
    match t {
        V::I32 => e.extend_from_slice(&[0x7f, mutable as u8, 0x41, 0x00]),
        V::I64 => e.extend_from_slice(&[0x7e, mutable as u8, 0x42, 0x00]),
        V::F32 => e.extend_from_slice(&[0x7d, mutable as u8, 0x43, 0, 0, 0, 0]),
        V::F64 => e.extend_from_slice(&[0x7c, mutable as u8, 0x44, 0, 0, 0, 0, 0, 0, 0, 0]),
        V::V128 => {
            e.extend_from_slice(&[0x7b, mutable as u8, 0xfd, 0x0c]);
            e.extend_from_slice(&[0; 16]);
        }
        V::Ref(r) if r.is_func_ref() => e.extend_from_slice(&[0x70, mutable as u8, 0xd0, 0x70]),
        V::Ref(r) if r.is_extern_ref() => e.extend_from_slice(&[0x6f, mutable as u8, 0xd0, 0x6f]),
        V::Ref(_) => return None,
    }
    e.push(0x0b);
    Some(e)
}

/// Whether a constant expression (its bytes, with or without the final `end`) reads a global.
/// Decoded, not searched: the byte of `global.get` (0x23) also occurs inside the immediates of
/// `i64.const`, `f64.const` and `v128.const` (a v128 global came out zero that way).
pub(crate) fn reads_globals(expr: &[u8]) -> bool {
    let mut ops = wasmparser::OperatorsReader::new(wasmparser::BinaryReader::new(expr, 0));
    while !ops.eof() {
        match ops.read() {
            Ok(wasmparser::Operator::GlobalGet { .. }) => return true,
            Ok(_) => {}
            // Undecodable: keep the old, conservative answer.
            Err(_) => return expr.contains(&0x23),
        }
    }
    false
}

impl Scan {
    /// Entries initialised from other globals are zeroed (instance.rs recomputes them).
    pub(super) fn globals(&mut self, bytes: &[u8], r: wasmparser::GlobalSectionReader<'_>) -> Option<()> {
        let end = r.range().end;
        let items: Vec<(usize, wasmparser::Global)> = r.into_iter_with_offsets().collect::<Result<_, _>>().ok()?;
        self.uses_funcref |= items.iter().any(|(_, g)| matches!(g.ty.content_type, wasmparser::ValType::Ref(r) if r.is_func_ref()));
        let mut body = Vec::new();
        for (k, (off, g)) in items.iter().enumerate() {
            let next = items.get(k + 1).map(|x| x.0).unwrap_or(end);
            let mut rd = g.init_expr.get_binary_reader();
            let expr = rd.read_bytes(rd.bytes_remaining()).ok()?;
            if reads_globals(expr) {
                body.extend(zero_global(g.ty.content_type, g.ty.mutable)?);
            } else {
                body.extend_from_slice(&bytes[*off..next]);
            }
        }
        self.global_section = Some(body);
        Some(())
    }
}
