//! Funcrefs across instances: what a funcref value means outside WAMR, and how a function of
//! one instance becomes a funcref inside another.
//!
//! A [`Val::FuncRef`](crate::Val) handed to or received from an [`Instance`] is relative to
//! that instance: an index below [`FOREIGN_BASE`] is its function of that index (the module's
//! own numbering, imports first), and `FOREIGN_BASE + s` is its *foreign slot* `s`, a function
//! of another instance bound to it. [`Instance::funcref_for`] makes such values (binding a
//! slot when needed) and [`Instance::funcref_target`] reads them back.
//!
//! Inside WAMR a foreign slot is a proxy function of the instance (proxy.rs) when its module
//! calls functions of that type indirectly, or a token index past every function otherwise
//! (it can be stored and passed on, never called). Slots are never unbound: the same function
//! entering again gets the same slot, so a pool fills up only with distinct functions; a full
//! pool is an error naming the limit.

use std::collections::HashMap;
use std::rc::Rc;

use crate::error::Error;
use crate::instance::{Func, Instance};
use crate::module::Internal;

/// Funcref values at or above this are foreign slots (see the module docs).
pub const FOREIGN_BASE: u32 = 0x8000_0000;
/// WAMR's index of a foreign slot that has no proxy function (above any function count, so
/// `call_indirect` of it traps).
const TOKEN_BASE: u32 = 0xC000_0000;
const NULL_REF: u32 = u32::MAX;

struct Slot {
    /// The target instance and function (shared with calls in flight: cloning is a count).
    callee: Rc<(Rc<Instance>, Func)>,
    /// The target's function index (never itself a foreign slot).
    index: u32,
    /// WAMR's index for it in this instance.
    internal: u32,
}

/// The foreign slots of one instance.
#[derive(Default)]
pub(crate) struct Foreign {
    slots: Vec<Slot>,
    /// (target address, target's index) -> slot.
    by_target: HashMap<(usize, u32), u32>,
    /// Per proxy pool: the slot bound to each position so far.
    pools: Vec<Vec<u32>>,
}

impl Foreign {
    /// The function bound to `pool`'s position `k` (what its dispatcher calls).
    pub(crate) fn pool_target(&self, pool: usize, k: u32) -> Option<Rc<(Rc<Instance>, Func)>> {
        let s = *self.pools.get(pool)?.get(k as usize)?;
        Some(self.slots[s as usize].callee.clone())
    }
}

impl Foreign {
    /// The instances the slots hold (one reference each).
    pub(crate) fn targets(&self) -> impl Iterator<Item = *const Instance> + '_ {
        self.slots.iter().map(|s| Rc::as_ptr(&s.callee.0))
    }
}

impl Instance {
    /// The funcref value, in this instance, of `target`'s function `index` (a funcref value
    /// of `target`): its own index when `target` is this instance, the import when this
    /// instance imports that very function, otherwise a foreign slot.
    pub fn funcref_for(&self, target: &Rc<Instance>, index: u32) -> Result<u32, Error> {
        let (target, index) = target.funcref_target(index).ok_or_else(|| Error::Link(format!("funcref {index} names no function")))?;
        if std::ptr::eq(Rc::as_ptr(&target), self) {
            return Ok(index);
        }
        if let Some(i) = self.direct_import_of(&target, index) {
            return Ok(i);
        }
        let key = (Rc::as_ptr(&target) as usize, index);
        let mut foreign = self.foreign().borrow_mut();
        if let Some(s) = foreign.by_target.get(&key) {
            return Ok(FOREIGN_BASE + s);
        }
        let func = target.func_by_index(index).ok_or_else(|| Error::Link(format!("function {index} of the other instance cannot be referenced")))?;
        let slot = foreign.slots.len() as u32;
        if slot >= TOKEN_BASE - FOREIGN_BASE {
            return Err(Error::Resource("too many functions of other instances entered this instance".into()));
        }
        let plan = self.module().proxies.as_ref();
        let internal = match plan.and_then(|p| p.pool_for(&func.ty).map(|k| (k, &p.pools[k]))) {
            Some((k, pool)) => {
                if foreign.pools.len() <= k {
                    foreign.pools.resize(k + 1, Vec::new());
                }
                let used = foreign.pools[k].len() as u32;
                if used >= pool.len {
                    return Err(Error::Resource(format!(
                        "this instance already holds {} functions of other instances of type {}, the most it can call indirectly",
                        pool.len,
                        func.ty
                    )));
                }
                foreign.pools[k].push(slot);
                pool.first + used
            }
            None => TOKEN_BASE + slot,
        };
        foreign.slots.push(Slot { callee: Rc::new((target.clone(), func)), index, internal });
        crate::cycles::note_edge(self.me(), &target);
        foreign.by_target.insert(key, slot);
        Ok(FOREIGN_BASE + slot)
    }

    /// The instance and function index a funcref value of this instance stands for, following
    /// foreign slots and functions imported from other instances; None for an unknown value.
    pub fn funcref_target(self: &Rc<Self>, value: u32) -> Option<(Rc<Instance>, u32)> {
        if value >= FOREIGN_BASE {
            let foreign = self.foreign().borrow();
            let slot = foreign.slots.get((value - FOREIGN_BASE) as usize)?;
            return Some((slot.callee.0.clone(), slot.index));
        }
        if value as usize >= self.module().info.func_types.len() {
            return None;
        }
        match self.direct_import_source(value) {
            Some(source) => Some(source),
            None => Some((self.clone(), value)),
        }
    }

    /// WAMR's function index for the funcref value `value` (null stays null).
    pub(crate) fn funcref_to_internal(&self, value: u32) -> u32 {
        if value == NULL_REF {
            return NULL_REF;
        }
        if value >= FOREIGN_BASE {
            let foreign = self.foreign().borrow();
            return foreign.slots.get((value - FOREIGN_BASE) as usize).map(|s| s.internal).unwrap_or(NULL_REF);
        }
        self.module().internal_index(value)
    }

    /// The funcref value for WAMR's function index `internal` (null stays null; an index of
    /// nothing the host can name becomes null).
    pub(crate) fn funcref_from_internal(&self, internal: u32) -> u32 {
        if internal == NULL_REF {
            return NULL_REF;
        }
        if internal >= TOKEN_BASE {
            return FOREIGN_BASE + (internal - TOKEN_BASE);
        }
        match self.module().classify(internal) {
            Internal::Func(i) => i,
            Internal::Pool(p, k) => {
                let foreign = self.foreign().borrow();
                foreign.pools.get(p).and_then(|v| v.get(k as usize)).map(|s| FOREIGN_BASE + s).unwrap_or(NULL_REF)
            }
            Internal::Other => NULL_REF,
        }
    }
}
