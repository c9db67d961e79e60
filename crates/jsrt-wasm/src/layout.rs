//! The only place that reads WAMR's internal structures: pointing an instance's memory slot at
//! a memory owned by another instance (how one memory is shared by JS and any number of
//! instances; see `rewrite.rs` for why the data segments and start function wait until then).
//!
//! `WASMModuleInstance` (core/iwasm/interpreter/wasm_runtime.h, WAMR 2.4.3) begins with fields
//! that are all `uint32` or `DefPointer` (a union padded to 8 bytes), so their offsets do not
//! depend on WAMR's build options:
//!
//! ```text
//!   0 uint32 module_type          4 uint32 memory_count       8 WASMMemoryInstance **memories
//!  16 uint32 global_data_size    20 uint32 table_count       24 uint8 *global_data
//!  32 WASMTableInstance **tables 40 void **func_ptrs          48 uint32 *func_type_indexes
//!  56 uint32 export_func_count   60 export_global_count       64 export_memory_count
//!  68 export_table_count         72 export_functions          80 export_globals
//!  88 WASMExportMemInstance *export_memories  (each: { char *name; WASMMemoryInstance *memory })
//! ```
//!
//! Every use checks the layout against WAMR's public API first (`memory_count` against the
//! module, `memories[0]` against `wasm_runtime_get_default_memory`, exports against
//! `wasm_runtime_lookup_memory`) and refuses with an error when they disagree, so a WAMR
//! upgrade that moves these fields fails loudly (the engine tests exercise every path).

use std::ffi::c_void;

use wamrx_sys as sys;

/// Offsets in WAMR 2.4.3's `WASMTableInstance` (interpreter/wasm_runtime.h): elem_type (u8),
/// is_table64 (u8), padding[6], elem_ref_type (8), cur_size (u32), max_size (u32), elems[] of
/// `table_elem_type_t` = `uintptr_t` (wasm.h). table.rs reads and writes tables through them.
pub(crate) const TABLE_CUR_SIZE: usize = 16;
pub(crate) const TABLE_MAX_SIZE: usize = 20;
pub(crate) const TABLE_ELEMS: usize = 24;

const TABLE_COUNT: usize = 20;
const TABLES: usize = 32;
const EXPORT_TABLE_COUNT: usize = 68;
const EXPORT_TABLES: usize = 96;
const GLOBAL_DATA_SIZE: usize = 16;
const GLOBAL_DATA: usize = 24;
const MEMORY_COUNT: usize = 4;
const MEMORIES: usize = 8;
const EXPORT_MEMORY_COUNT: usize = 64;
const EXPORT_MEMORIES: usize = 88;

#[repr(C)]
struct ExportMem {
    name: *const std::ffi::c_char,
    memory: *mut c_void,
}

/// # Safety
/// `inst` must be a live interpreter-mode module instance that is not executing.
unsafe fn memories(inst: sys::wasm_module_inst_t) -> Option<(*mut *mut c_void, u32)> {
    let base = inst as *mut u8;
    let count = *(base.add(MEMORY_COUNT) as *const u32);
    let array = *(base.add(MEMORIES) as *const *mut *mut c_void);
    (!array.is_null()).then_some((array, count))
}

/// # Safety
/// As for [`memories`].
unsafe fn exports(inst: sys::wasm_module_inst_t) -> &'static mut [ExportMem] {
    let base = inst as *mut u8;
    let count = *(base.add(EXPORT_MEMORY_COUNT) as *const u32) as usize;
    let array = *(base.add(EXPORT_MEMORIES) as *const *mut ExportMem);
    if array.is_null() || count == 0 {
        return &mut [];
    }
    std::slice::from_raw_parts_mut(array, count)
}

/// Points memory slot `index` of `inst` (and its exports of that memory) at `shared`; returns
/// the memory WAMR allocated for the slot, to be given back with [`restore_memory`].
///
/// # Safety
/// `inst` must be a live, idle instance; `shared` a memory instance that outlives its use by
/// `inst` (the caller keeps its owner alive).
pub unsafe fn share_memory(
    inst: sys::wasm_module_inst_t,
    index: usize,
    shared: sys::wasm_memory_inst_t,
) -> Result<sys::wasm_memory_inst_t, String> {
    let layout_error = || "WebAssembly memory sharing is unavailable: WAMR's instance layout is not the one jsrt was written for".to_string();
    let (array, count) = memories(inst).ok_or_else(layout_error)?;
    let default = sys::wasm_runtime_get_default_memory(inst);
    if index != 0 || count != 1 || *array != default as *mut c_void {
        return Err(layout_error());
    }
    let original = *array as sys::wasm_memory_inst_t;
    // Check the export table's layout with the public lookup before writing anything.
    let exported: Vec<usize> = exports(inst).iter().enumerate().filter(|(_, e)| e.memory == original as *mut c_void).map(|(i, _)| i).collect();
    for &i in &exported {
        let e = &exports(inst)[i];
        if e.name.is_null() || sys::wasm_runtime_lookup_memory(inst, e.name) != original {
            return Err(layout_error());
        }
    }
    *array = shared as *mut c_void;
    for &i in &exported {
        exports(inst)[i].memory = shared as *mut c_void;
    }
    if sys::wasm_runtime_get_default_memory(inst) != shared {
        restore_memory(inst, index, original);
        return Err(layout_error());
    }
    Ok(original)
}

/// Undoes [`share_memory`].
///
/// # Safety
/// `inst` must be the live instance `share_memory` was applied to, and `original` what it
/// returned.
pub unsafe fn restore_memory(inst: sys::wasm_module_inst_t, index: usize, original: sys::wasm_memory_inst_t) {
    if let Some((array, count)) = memories(inst) {
        if (index as u32) < count {
            let shared = *array.add(index);
            *array.add(index) = original as *mut c_void;
            for e in exports(inst).iter_mut() {
                if e.memory == shared {
                    e.memory = original as *mut c_void;
                }
            }
        }
    }
}

/// Bytes a global of type `t` takes in WAMR's packed global data area
/// (`wasm_value_type_size` in wasm.h, non-GC build: references are 32-bit).
fn global_size(t: crate::ValType) -> usize {
    use crate::ValType::*;
    match t {
        I32 | F32 | FuncRef | ExternRef => 4,
        I64 | F64 => 8,
        V128 => 16,
    }
}

/// The storage of every global (imports first, as WAMR lays them out: packed, in index order).
///
/// # Safety
/// `inst` must be a live, idle instance of a module whose globals have the types `types`.
pub unsafe fn global_slots(inst: sys::wasm_module_inst_t, types: &[crate::ValType]) -> Result<Vec<*mut u8>, String> {
    let base = inst as *mut u8;
    let size = *(base.add(GLOBAL_DATA_SIZE) as *const u32) as usize;
    let data = *(base.add(GLOBAL_DATA) as *const *mut u8);
    let total: usize = types.iter().map(|t| global_size(*t)).sum();
    if total != size || (size > 0 && data.is_null()) {
        return Err("WebAssembly global imports are unavailable: WAMR's instance layout is not the one jsrt was written for".into());
    }
    let mut at = 0;
    Ok(types
        .iter()
        .map(|t| {
            let p = data.add(at);
            at += global_size(*t);
            p
        })
        .collect())
}

/// The WAMR table instance in `inst`'s table slot `index`.
///
/// # Safety
/// `inst` must be a live, idle module instance with `expected_count` tables.
pub unsafe fn table_at(inst: sys::wasm_module_inst_t, index: usize, expected_count: usize) -> Result<*mut u8, String> {
    let base = inst as *mut u8;
    let count = *(base.add(TABLE_COUNT) as *const u32) as usize;
    let array = *(base.add(TABLES) as *const *mut *mut u8);
    if count != expected_count || array.is_null() || index >= count || (*array.add(index)).is_null() {
        return Err("WebAssembly table imports are unavailable: WAMR's instance layout is not the one jsrt was written for".to_string());
    }
    Ok(*array.add(index))
}

/// The index of the table slot of `inst` that holds `table`, if any.
///
/// # Safety
/// `inst` must be a live module instance with `expected_count` tables.
pub unsafe fn table_slot_of(inst: sys::wasm_module_inst_t, table: *mut u8, expected_count: usize) -> Option<usize> {
    let base = inst as *mut u8;
    let count = *(base.add(TABLE_COUNT) as *const u32) as usize;
    let array = *(base.add(TABLES) as *const *mut *mut u8);
    if count != expected_count || array.is_null() {
        return None;
    }
    (0..count).find(|&k| *array.add(k) == table)
}

/// Points table slot `index` of `inst` (and its exports of that table) at `shared` (a
/// `WASMTableInstance`); returns WAMR's own table for [`restore_table`].
///
/// # Safety
/// As for [`share_memory`]; `expected_count` is the module's number of tables.
pub unsafe fn share_table(inst: sys::wasm_module_inst_t, index: usize, shared: *mut u8, expected_count: usize) -> Result<*mut u8, String> {
    let original = table_at(inst, index, expected_count)?;
    let array = *((inst as *mut u8).add(TABLES) as *const *mut *mut u8);
    *array.add(index) = shared;
    swap_table_exports(inst, original, shared);
    Ok(original)
}

/// Undoes [`share_table`].
///
/// # Safety
/// `inst` must be the live instance `share_table` was applied to and `original` its result.
pub unsafe fn restore_table(inst: sys::wasm_module_inst_t, index: usize, original: *mut u8) {
    let base = inst as *mut u8;
    let array = *(base.add(TABLES) as *const *mut *mut u8);
    if !array.is_null() {
        let shared = *array.add(index);
        *array.add(index) = original;
        swap_table_exports(inst, shared, original);
    }
}

unsafe fn swap_table_exports(inst: sys::wasm_module_inst_t, from: *mut u8, to: *mut u8) {
    #[repr(C)]
    struct ExportTab {
        name: *const std::ffi::c_char,
        table: *mut u8,
    }
    let base = inst as *mut u8;
    let count = *(base.add(EXPORT_TABLE_COUNT) as *const u32) as usize;
    let array = *(base.add(EXPORT_TABLES) as *const *mut ExportTab);
    if array.is_null() {
        return;
    }
    for e in std::slice::from_raw_parts_mut(array, count) {
        if e.table == from {
            e.table = to;
        }
    }
}

/// The element array of table `index` of `inst` (`uintptr_t` elements, see table.rs).
///
/// # Safety
/// `inst` must be live; `expected_count` its number of tables.
pub unsafe fn table_elems(inst: sys::wasm_module_inst_t, index: usize, expected_count: usize) -> Result<*mut u64, String> {
    Ok(table_at(inst, index, expected_count)?.add(TABLE_ELEMS) as *mut u64)
}
