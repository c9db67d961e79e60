//! Foreign slots: the functions of other instances bound to one instance, with their two
//! numberings — the funcref value the host sees (`FOREIGN_BASE + slot`) and WAMR's index
//! inside the instance (a proxy of one of proxy.rs's pools, or a token past every function,
//! which `call_indirect` traps on). foreign.rs decides what to bind; this is the table only,
//! generic over what a slot calls, so that it sits below instances (instance.rs holds one).
//!
//! Slots are never unbound: the same function entering again gets the same slot, so a pool
//! fills up only with distinct functions.

use std::collections::HashMap;

/// Funcref values at or above this are foreign slots (foreign.rs's module docs).
pub const FOREIGN_BASE: u32 = 0x8000_0000;
/// WAMR's index of a foreign slot that has no proxy function (above any function count, so
/// `call_indirect` of it traps).
pub(crate) const TOKEN_BASE: u32 = 0xC000_0000;
const NULL_REF: u32 = u32::MAX;

struct Slot<C> {
    /// What the slot calls (for instances: the target instance and its function).
    callee: C,
    /// The target's function index (never itself a foreign slot).
    index: u32,
    /// WAMR's index for it in this instance.
    internal: u32,
}

/// The foreign slots of one instance. A target function is keyed by (target address, its
/// function index).
pub(crate) struct Slots<C> {
    slots: Vec<Slot<C>>,
    by_target: HashMap<(usize, u32), u32>,
    /// Per proxy pool: the slot bound to each position so far.
    pools: Vec<Vec<u32>>,
}

impl<C> Default for Slots<C> {
    fn default() -> Self {
        Slots { slots: Vec::new(), by_target: HashMap::new(), pools: Vec::new() }
    }
}

impl<C> Slots<C> {
    /// The funcref value of the slot bound to `key`, if one is.
    pub(crate) fn value_of(&self, key: (usize, u32)) -> Option<u32> {
        self.by_target.get(&key).map(|s| FOREIGN_BASE + s)
    }

    /// Whether no further slot can be numbered.
    pub(crate) fn is_full(&self) -> bool {
        self.slots.len() as u32 >= TOKEN_BASE - FOREIGN_BASE
    }

    /// How many positions of proxy pool `pool` are bound.
    pub(crate) fn pool_used(&self, pool: usize) -> u32 {
        self.pools.get(pool).map_or(0, |p| p.len() as u32)
    }

    /// Binds a new slot for `key` calling `callee` (the target's function `index`): at the
    /// next position of `pool` (pool number, WAMR's index of that proxy), or as a token.
    /// Returns its funcref value.
    pub(crate) fn bind(&mut self, key: (usize, u32), callee: C, index: u32, pool: Option<(usize, u32)>) -> u32 {
        let slot = self.slots.len() as u32;
        let internal = match pool {
            Some((k, proxy)) => {
                if self.pools.len() <= k {
                    self.pools.resize(k + 1, Vec::new());
                }
                self.pools[k].push(slot);
                proxy
            }
            None => TOKEN_BASE + slot,
        };
        self.slots.push(Slot { callee, index, internal });
        self.by_target.insert(key, slot);
        FOREIGN_BASE + slot
    }

    /// What the foreign funcref value `value` calls, and the target's function index.
    pub(crate) fn target(&self, value: u32) -> Option<(&C, u32)> {
        let slot = self.slots.get(value.checked_sub(FOREIGN_BASE)? as usize)?;
        Some((&slot.callee, slot.index))
    }

    /// WAMR's index for the foreign funcref value `value` (null for an unknown slot).
    pub(crate) fn internal_of(&self, value: u32) -> u32 {
        self.slots.get((value - FOREIGN_BASE) as usize).map_or(NULL_REF, |s| s.internal)
    }

    /// The funcref value of the slot at position `k` of proxy pool `pool` (null if unbound).
    pub(crate) fn value_of_proxy(&self, pool: usize, k: u32) -> u32 {
        self.pools.get(pool).and_then(|v| v.get(k as usize)).map_or(NULL_REF, |s| FOREIGN_BASE + s)
    }

    /// What position `k` of proxy pool `pool` calls (what its dispatcher calls).
    pub(crate) fn pool_target(&self, pool: usize, k: u32) -> Option<&C> {
        let s = *self.pools.get(pool)?.get(k as usize)?;
        Some(&self.slots[s as usize].callee)
    }

    /// What every slot calls.
    pub(crate) fn callees(&self) -> impl Iterator<Item = &C> + '_ {
        self.slots.iter().map(|s| &s.callee)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_then_tokens_and_one_slot_per_target() {
        let mut s: Slots<&str> = Slots::default();
        let a = s.bind((1, 0), "a", 0, Some((1, 40)));
        let b = s.bind((2, 3), "b", 3, None);
        assert_eq!((a, b), (FOREIGN_BASE, FOREIGN_BASE + 1));
        assert_eq!(s.value_of((1, 0)), Some(a));
        assert_eq!(s.value_of((1, 1)), None);
        assert_eq!((s.internal_of(a), s.internal_of(b)), (40, TOKEN_BASE + 1));
        assert_eq!((s.pool_used(0), s.pool_used(1)), (0, 1));
        assert_eq!(s.value_of_proxy(1, 0), a);
        assert_eq!(s.value_of_proxy(1, 1), NULL_REF);
        assert_eq!(s.pool_target(1, 0), Some(&"a"));
        assert_eq!(s.target(b), Some((&"b", 3)));
        assert_eq!(s.target(FOREIGN_BASE + 9), None);
        assert_eq!(s.internal_of(FOREIGN_BASE + 9), NULL_REF);
    }
}
