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
//! (it can be stored and passed on, never called): the slots themselves are slots.rs's table,
//! which the instance holds; a full pool is an error naming the limit. This file also makes
//! the host functions through which instances call each other: imports of another instance's
//! function, and proxy pools' dispatchers.

use std::rc::Rc;

use crate::error::{Error, HostError};
use crate::instance::{Func, HostFunc, Instance, Me};
use crate::slots::FOREIGN_BASE;
use crate::val::Val;

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
        if let Some(value) = foreign.value_of(key) {
            return Ok(value);
        }
        let func = target.func_by_index(index).ok_or_else(|| Error::Link(format!("function {index} of the other instance cannot be referenced")))?;
        if foreign.is_full() {
            return Err(Error::Resource("too many functions of other instances entered this instance".into()));
        }
        let plan = self.module().proxies.as_ref();
        let proxy = match plan.and_then(|p| p.pool_for(&func.ty).map(|k| (k, &p.pools[k]))) {
            Some((k, pool)) => {
                let used = foreign.pool_used(k);
                if used >= pool.len {
                    return Err(Error::Resource(format!(
                        "this instance already holds {} functions of other instances of type {}, the most it can call indirectly",
                        pool.len,
                        func.ty
                    )));
                }
                Some((k, pool.first + used))
            }
            None => None,
        };
        let value = foreign.bind(key, Rc::new((target.clone(), func)), index, proxy);
        crate::registry::note_edge(self.me(), &target);
        Ok(value)
    }

    /// The instance and function index a funcref value of this instance stands for, following
    /// foreign slots and functions imported from other instances; None for an unknown value.
    pub fn funcref_target(self: &Rc<Self>, value: u32) -> Option<(Rc<Instance>, u32)> {
        if value >= FOREIGN_BASE {
            let foreign = self.foreign().borrow();
            let (callee, index) = foreign.target(value)?;
            return Some((callee.0.clone(), index));
        }
        if value as usize >= self.module().info.func_types.len() {
            return None;
        }
        match self.direct_import_source(value) {
            Some(source) => Some(source),
            None => Some((self.clone(), value)),
        }
    }
}

/// `vals` (funcref values of `from`) as funcref values of `to`.
fn translate(vals: &mut [Val], from: &Rc<Instance>, to: &Instance) -> Result<(), HostError> {
    for v in vals {
        if let Val::FuncRef(Some(r)) = *v {
            *v = Val::FuncRef(Some(to.funcref_for(from, r).map_err(|e| HostError(Box::new(e)))?));
        }
    }
    Ok(())
}

/// Calls `func` of `callee` from the instance `me` with arguments and results in the
/// numbering of `me` (funcrefs translated both ways; nothing to do for other values).
fn call_across(me: &Me, callee: &Rc<Instance>, func: &Func, args: &[Val], results: &mut [Val]) -> Result<(), HostError> {
    if !func.refs {
        return callee.call_into_from(func, args, results, true).map_err(|e| HostError(Box::new(e)));
    }
    let me = me.borrow().upgrade().ok_or_else(|| HostError(Box::new(Error::Link("the calling instance is gone".into()))))?;
    let mut args = args.to_vec();
    translate(&mut args, &me, callee)?;
    callee.call_into_from(func, &args, results, true).map_err(|e| HostError(Box::new(e)))?;
    translate(results, callee, &me)
}

/// The host function of an import that is another instance's function.
pub(crate) fn call_other(me: Me, callee: Rc<Instance>, func: Func) -> HostFunc {
    Box::new(move |args, results| call_across(&me, &callee, &func, args, results))
}

/// The host function behind proxy pool `pool`'s dispatcher (proxy.rs): the last argument is
/// the pool position, whose bound function is called.
pub(crate) fn dispatcher(me: Me, pool: usize) -> HostFunc {
    Box::new(move |args, results| {
        let unbound = || HostError(Box::new(Error::Trap("uninitialized element".into())));
        let Some((Val::I32(k), args)) = args.split_last() else { return Err(unbound()) };
        let inst = me.borrow().upgrade().ok_or_else(unbound)?;
        let callee = inst.foreign().borrow().pool_target(pool, *k as u32).cloned().ok_or_else(unbound)?;
        call_across(&me, &callee.0, &callee.1, args, results)
    })
}
