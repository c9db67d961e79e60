//! Jobs 1 and 2, the appended init function. Growable memories and tables: WAMR's loader
//! (`wasm_loader.c`, `if (!module->possible_memory_grow)`) fixes the size of a memory the
//! code never grows, and `wasm_runtime.c`'s `possible_grow` sizes a table the code never
//! grows to its initial size, but the JS API grows both from the host: the function mentions
//! `memory.size` and `table.grow`. Deferred segments and start: WAMR (without multi-module)
//! gives an imported memory a private copy and writes active data segments and runs the
//! start function inside `wasm_runtime_instantiate`, before the embedder can link the
//! instance; so those segments become passive and the function applies them (`memory.init`,
//! `table.init`, the drops) and calls the start function after `instantiate.rs` has linked it.

use super::{leb, read_leb, sleb, Scan};
use wasmparser::DataKind;

impl Scan {
    /// Every element segment re-encoded, active ones as passive (declared ones stay as they
    /// are), for the init function to apply.
    pub(super) fn elements(&mut self, r: wasmparser::ElementSectionReader<'_>) -> Option<()> {
        self.uses_funcref |= r.count() > 0;
        let mut section = wasm_encoder::ElementSection::new();
        for (i, seg) in r.into_iter().enumerate() {
            let seg = seg.ok()?;
            let active_segment = matches!(seg.kind, wasmparser::ElementKind::Active { .. });
            let (items, count, from_globals) = self.element_items(seg.items, active_segment)?;
            match seg.kind {
                wasmparser::ElementKind::Active { table_index, offset_expr } => {
                    let mut rd = offset_expr.get_binary_reader();
                    let expr = rd.read_bytes(rd.bytes_remaining()).ok()?;
                    self.active_elems.push((i as u32, table_index.unwrap_or(0), expr.strip_suffix(&[0x0b])?.to_vec(), count, from_globals));
                    section.passive(items);
                }
                wasmparser::ElementKind::Passive => {
                    section.passive(items);
                }
                wasmparser::ElementKind::Declared => {
                    section.declared(items);
                }
            }
        }
        use wasm_encoder::Encode;
        let mut raw = Vec::new();
        section.encode(&mut raw);
        // `encode` writes the contents' size, then the contents; keep the contents.
        let (_, n) = read_leb(&raw)?;
        self.elem_section = Some(raw[n..].to_vec());
        Some(())
    }

    /// One segment's items re-encoded, their count, and those read from (imported, now
    /// defined) globals: WAMR's loader accepts `global.get` there only of imported globals,
    /// so such an item of an active segment starts out null and the init function sets it:
    /// (item, expression).
    #[allow(clippy::type_complexity)]
    fn element_items(&self, items: wasmparser::ElementItems<'_>, active_segment: bool) -> Option<(wasm_encoder::Elements<'static>, u32, Vec<(u32, Vec<u8>)>)> {
        let mut from_globals: Vec<(u32, Vec<u8>)> = Vec::new();
        Some(match items {
            wasmparser::ElementItems::Functions(f) => {
                let v: Vec<u32> = f.into_iter().collect::<Result<_, _>>().ok()?;
                let n = v.len() as u32;
                (wasm_encoder::Elements::Functions(v.into()), n, from_globals)
            }
            wasmparser::ElementItems::Expressions(t, e) => {
                let mut v = Vec::new();
                for expr in e {
                    let expr = expr.ok()?;
                    let mut rd = expr.get_binary_reader();
                    let b = rd.read_bytes(rd.bytes_remaining()).ok()?.strip_suffix(&[0x0b])?.to_vec();
                    if active_segment && self.imports_global && b.first() == Some(&0x23) {
                        from_globals.push((v.len() as u32, b));
                        v.push(wasm_encoder::ConstExpr::raw(vec![0xd0, if t.is_func_ref() { 0x70 } else { 0x6f }]));
                    } else {
                        v.push(wasm_encoder::ConstExpr::raw(b));
                    }
                }
                let n = v.len() as u32;
                let rt = wasm_encoder::RefType { nullable: t.is_nullable(), heap_type: if t.is_func_ref() { wasm_encoder::HeapType::FUNC } else { wasm_encoder::HeapType::EXTERN } };
                (wasm_encoder::Elements::Expressions(rt, v.into()), n, from_globals)
            }
        })
    }

    /// Every data segment re-encoded, active ones as passive.
    pub(super) fn data(&mut self, r: wasmparser::DataSectionReader<'_>) -> Option<()> {
        let mut body = Vec::new();
        leb(r.count(), &mut body);
        for (i, seg) in r.into_iter().enumerate() {
            let seg = seg.ok()?;
            match seg.kind {
                DataKind::Active { offset_expr, .. } => {
                    let mut rd = offset_expr.get_binary_reader();
                    let expr = rd.read_bytes(rd.bytes_remaining()).ok()?;
                    let expr = expr.strip_suffix(&[0x0b])?.to_vec();
                    self.active.push((i as u32, expr, seg.data.len() as u32));
                }
                DataKind::Passive => {}
            }
            body.push(0x01);
            leb(seg.data.len() as u32, &mut body);
            body.extend_from_slice(seg.data);
        }
        self.data_section = Some(body);
        Some(())
    }
}

/// The appended function's code (locals and body, without its size).
pub(super) fn init_code(scan: &Scan, has_init: bool) -> Vec<u8> {
    let mut code = vec![0x00]; // no locals
    if has_init {
        // Instantiation order: element segments, then data segments, then the start function.
        for (seg, table, expr, len, from_globals) in &scan.active_elems {
            code.extend_from_slice(expr);
            code.extend_from_slice(&[0x41, 0x00]); // i32.const 0
            code.push(0x41);
            sleb(*len as i64, &mut code);
            code.extend_from_slice(&[0xfc, 0x0c]); // table.init seg table
            leb(*seg, &mut code);
            leb(*table, &mut code);
            for (k, item) in from_globals {
                code.extend_from_slice(expr); // offset + k
                code.push(0x41);
                sleb(*k as i64, &mut code);
                code.push(0x6a); // i32.add
                code.extend_from_slice(item);
                code.push(0x26); // table.set table
                leb(*table, &mut code);
            }
            code.extend_from_slice(&[0xfc, 0x0d]); // elem.drop seg
            leb(*seg, &mut code);
        }
        for (seg, expr, len) in &scan.active {
            code.extend_from_slice(expr);
            code.extend_from_slice(&[0x41, 0x00]); // i32.const 0 (source offset)
            code.push(0x41);
            sleb(*len as i64, &mut code);
            code.extend_from_slice(&[0xfc, 0x08]); // memory.init seg 0
            leb(*seg, &mut code);
            code.push(0x00);
            code.extend_from_slice(&[0xfc, 0x09]); // data.drop seg
            leb(*seg, &mut code);
        }
    }
    if scan.has_memory {
        code.extend_from_slice(&[0x3f, 0x00, 0x1a]); // memory.size 0, drop
    }
    // WAMR sizes a table the code never grows to its initial size (wasm_runtime.c,
    // `possible_grow`), which would stop the host from growing it: mention table.grow.
    for (t, heap) in scan.table_heaps.iter().enumerate() {
        code.extend_from_slice(&[0xd0, *heap, 0x41, 0x00, 0xfc, 0x0f]); // ref.null, i32.const 0, table.grow
        leb(t as u32, &mut code);
        code.push(0x1a); // drop
    }
    if let Some(f) = scan.start {
        code.push(0x10); // call start
        leb(f, &mut code);
    }
    code.push(0x0b);
    code
}
