//! The instances of this thread and the strong references they take to each other: the list
//! cycles.rs collects over, and the journal of references an embedder with its own garbage
//! collector mirrors (`cycles::take_new_edges`).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::instance::Instance;

thread_local! {
    /// Strong references instances took to each other since the embedder last asked
    /// ([`take_new_edges`]).
    static NEW_EDGES: RefCell<Vec<(Weak<Instance>, Weak<Instance>)>> = const { RefCell::new(Vec::new()) };
    /// Every instance created on this thread (pruned as they die), and the live count after
    /// the last collection.
    static INSTANCES: RefCell<(Vec<Weak<Instance>>, usize)> = const { RefCell::new((Vec::new(), 0)) };
}

/// Records that `from` took a strong reference to `to`.
pub(crate) fn note_edge(from: Weak<Instance>, to: &Rc<Instance>) {
    NEW_EDGES.with(|e| e.borrow_mut().push((from, Rc::downgrade(to))));
}

/// Whether [`take_new_edges`] has anything.
#[inline]
pub fn has_new_edges() -> bool {
    NEW_EDGES.with(|e| !e.borrow().is_empty())
}

/// The strong references instances took to each other (foreign slots, shared-table pins,
/// imports of other instances' functions, tables, memories and globals) since the last call,
/// for an embedder that must mirror them: `crates/jsrt` keeps each instance's JS import
/// functions alive through the JS objects of everything that refers to it. Pairs whose
/// instances have gone since are left out.
pub fn take_new_edges() -> Vec<(Rc<Instance>, Rc<Instance>)> {
    let edges = NEW_EDGES.with(|e| std::mem::take(&mut *e.borrow_mut()));
    edges.into_iter().filter_map(|(a, b)| Some((a.upgrade()?, b.upgrade()?))).collect()
}

/// Whether the number of instances has doubled since the last collection (at least 64): the
/// next instantiation collects. An embedder with a garbage collector of its own runs it
/// first, so that what only it kept alive is released before.
pub fn due() -> bool {
    INSTANCES.with(|i| {
        let i = i.borrow();
        i.0.len() >= 64 && i.0.len() >= 2 * i.1
    })
}

/// Records a new instance.
pub(crate) fn register(inst: &Rc<Instance>) {
    INSTANCES.with(|i| i.borrow_mut().0.push(Rc::downgrade(inst)));
}

/// The live instances (the dead ones pruned from the list first).
pub(crate) fn live() -> Vec<Rc<Instance>> {
    INSTANCES.with(|i| {
        let mut i = i.borrow_mut();
        i.0.retain(|w| w.strong_count() > 0);
        i.0.iter().filter_map(|w| w.upgrade()).collect()
    })
}

/// After a collection: prunes the dead instances and remembers how many are left.
pub(crate) fn collected() {
    INSTANCES.with(|i| {
        let mut i = i.borrow_mut();
        i.0.retain(|w| w.strong_count() > 0);
        i.1 = i.0.len();
    });
}
