//! Lifetimes across instances: freeing instances that only keep each other alive, reporting
//! the references instances take to each other (for an embedder's own garbage collector), and
//! which externref values instances still hold.
//!
//! Instances hold each other with `Rc`: a function import of another instance's function, a
//! table, memory or global owned by another instance, and — the only references created after
//! instantiation — foreign slots (foreign.rs), the proxies through which an instance calls
//! other instances' functions that entered it (arguments, globals, shared tables). The first
//! kinds always point from a newer instance to an older one, so every cycle has a foreign slot
//! in it: two instances sharing a table that holds functions of both, an instance whose own
//! function sits in a table of another instance it calls through, and so on.
//!
//! [`collect`] finds instances that nothing outside the instances refers to, the way trial
//! deletion does: each live instance's strong count minus the references other instances
//! hold is what the embedder (JS objects, a host function running right now) holds; instances
//! reachable from those are live, and the rest let go of their foreign slots, which frees
//! them. Counting only references we know of errs on the safe side: a missed one looks like an
//! outside reference and keeps its instance alive. It runs when the number of instances has
//! doubled since the last run (amortised over instantiation). The list of instances and the
//! journal of references between them are registry.rs's.

use std::collections::HashMap;
use std::rc::Rc;

use crate::instance::Instance;
use crate::val::ValType;
use wamrx_sys as sys;

pub use crate::registry::{due, has_new_edges, take_new_edges};

/// Records a new instance, collecting first when [`due`].
pub(crate) fn register(inst: &Rc<Instance>) {
    if due() {
        collect();
    }
    crate::registry::register(inst);
}

/// The embedder ids of every externref value some instance's globals or tables hold, or None
/// while a call into wasm is running (its stack may hold others). An embedder may forget the
/// values of all other ids it handed out before.
pub fn live_externrefs() -> Option<std::collections::HashSet<u32>> {
    if crate::frames::calls_active() {
        return None;
    }
    let live = crate::registry::live();
    let mut out = std::collections::HashSet::new();
    for inst in &live {
        inst.externref_ids(&mut out);
    }
    Some(out)
}

/// Frees instances kept alive only by each other (see the module docs). Returns how many
/// instances let go of their foreign slots.
pub fn collect() -> usize {
    let live = crate::registry::live();
    let index: HashMap<*const Instance, usize> = live.iter().enumerate().map(|(k, r)| (Rc::as_ptr(r), k)).collect();
    let edges: Vec<Vec<usize>> = live.iter().map(|r| r.strong_edges().iter().filter_map(|p| index.get(p).copied()).collect()).collect();
    let mut internal = vec![0usize; live.len()];
    for out in &edges {
        for &to in out {
            internal[to] += 1;
        }
    }
    // Our own `live` vector holds one reference to each.
    let mut marked: Vec<bool> = live.iter().zip(&internal).map(|(r, n)| Rc::strong_count(r) > 1 + n).collect();
    let mut stack: Vec<usize> = (0..live.len()).filter(|k| marked[*k]).collect();
    while let Some(k) = stack.pop() {
        for &to in &edges[k] {
            if !marked[to] {
                marked[to] = true;
                stack.push(to);
            }
        }
    }
    // Unreachable: break their foreign slots. The released references drop only after every
    // borrow ended (dropping one may free an instance).
    let mut released = Vec::new();
    let mut freed = 0;
    for (k, inst) in live.iter().enumerate() {
        if !marked[k] {
            released.push(inst.release_foreign());
            freed += 1;
        }
    }
    drop(released);
    drop(live);
    crate::registry::collected();
    freed
}

/// What the embedder's mirror of references reads from an instance.
impl Instance {
    /// Adds the embedder ids of the externref values this instance's globals and tables hold.
    pub(crate) fn externref_ids(&self, out: &mut std::collections::HashSet<u32>) {
        let mut add = |idx: u32| {
            let mut obj: *mut std::ffi::c_void = std::ptr::null_mut();
            // SAFETY: a plain lookup in WAMR's externref map.
            if idx != u32::MAX && unsafe { sys::wasm_externref_ref2obj(idx, &mut obj) } && !obj.is_null() {
                out.insert(obj as usize as u32);
            }
        };
        let types = self.global_types();
        if types.contains(&ValType::ExternRef) {
            // SAFETY: the instance is live; `types` are its globals' types in order.
            if let Ok(slots) = unsafe { crate::layout::global_slots(self.raw(), &types) } {
                for (slot, t) in slots.iter().zip(&types) {
                    if *t == ValType::ExternRef {
                        // SAFETY: the slot holds an externref global (a u32 WAMR index).
                        add(unsafe { (*slot as *const u32).read_unaligned() });
                    }
                }
            }
        }
        let count = self.module().wamr_table_count();
        let mut elems = self.module().info.table_elems.clone();
        elems.resize(count, ValType::ExternRef); // lower.rs's hidden table
        for (k, t) in elems.iter().enumerate() {
            if *t != ValType::ExternRef {
                continue;
            }
            // SAFETY: the instance is live; its table slot `k` holds a live table instance.
            if let Ok(table) = unsafe { crate::layout::table_at(self.raw(), k, count) } {
                let raw = crate::table::Table::raw_elements(table);
                for v in raw {
                    add(if v == u64::MAX { u32::MAX } else { v as u32 });
                }
            }
        }
    }
}
