//! Linear memories: a memory exported by an instance, or a standalone one (owned by a small
//! internal instance that defines and exports it). The bytes stay where WAMR put them until
//! the memory grows; a grow may move them — except a shared memory's (the threads proposal),
//! for which WAMR reserves the maximum size up front: its bytes never move. An instance that
//! imports a memory uses the owner's (layout.rs points its memory slot there) and keeps it
//! alive: [`ImportedMemories`], its attachment.

use std::cell::RefCell;
use std::rc::Rc;

use wamrx_sys as sys;

use crate::error::Error;
use crate::info::ExternType;
use crate::instance::{Attachment, Instance};

/// Bytes per wasm page.
pub const PAGE: u64 = 65536;

#[derive(Clone)]
pub struct Memory {
    pub(crate) raw: sys::wasm_memory_inst_t,
    /// Keeps the owning instance (and so the memory) alive.
    pub(crate) owner: Rc<Instance>,
    /// The maximum the memory was declared with (WAMR reports 65536 pages when none was).
    pub(crate) declared_max: Option<u64>,
}

impl Memory {
    /// A standalone memory of `initial` pages, growable to `maximum` pages (or the configured
    /// limit).
    pub fn new(initial: u32, maximum: Option<u32>) -> Result<Memory, Error> {
        Memory::with_sharing(initial, maximum, false)
    }

    /// [`Memory::new`], shared (`shared`: a memory of the threads proposal, which must have a
    /// maximum) or not.
    pub fn with_sharing(initial: u32, maximum: Option<u32>, shared: bool) -> Result<Memory, Error> {
        if shared && maximum.is_none() {
            return Err(Error::Link("a shared memory must have a maximum".into()));
        }
        let mut mems = wasm_encoder::MemorySection::new();
        mems.memory(wasm_encoder::MemoryType {
            minimum: initial as u64,
            maximum: maximum.map(u64::from),
            memory64: false,
            shared,
            page_size_log2: None,
        });
        let inst = crate::standalone::instance(&mems, "m", wasm_encoder::ExportKind::Memory)?;
        inst.exported_memory("m").ok_or_else(|| Error::Resource("memory allocation failed".into()))
    }

    /// Identity of the underlying memory (the same for every handle to it).
    pub fn id(&self) -> usize {
        self.raw as usize
    }

    /// Whether this is a shared memory (threads proposal): its bytes never move.
    pub fn is_shared(&self) -> bool {
        // SAFETY: `raw` belongs to `owner`, which this handle keeps alive.
        unsafe { sys::wasm_memory_get_shared(self.raw) }
    }

    pub fn pages(&self) -> u64 {
        // SAFETY: `raw` belongs to `owner`, which this handle keeps alive.
        unsafe { sys::wasm_memory_get_cur_page_count(self.raw) }
    }

    /// The declared maximum in pages, if any (for import type matching).
    pub fn declared_max(&self) -> Option<u64> {
        self.declared_max
    }

    pub fn max_pages(&self) -> u64 {
        // SAFETY: as in `pages`.
        unsafe { sys::wasm_memory_get_max_page_count(self.raw) }
    }

    /// Base pointer and length in bytes. Valid until the memory grows.
    pub fn data(&self) -> (*mut u8, usize) {
        // SAFETY: as in `pages`.
        unsafe {
            let base = sys::wasm_memory_get_base_address(self.raw) as *mut u8;
            (base, (self.pages() * PAGE) as usize)
        }
    }

    /// Grows by `delta` pages; returns the old size in pages, or an error past the maximum.
    pub fn grow(&self, delta: u32) -> Result<u64, Error> {
        let old = self.pages();
        if delta == 0 {
            return Ok(old);
        }
        if old + delta as u64 > self.max_pages() {
            return Err(Error::Resource(format!(
                "Maximum memory size exceeded ({} + {} pages > {})",
                old,
                delta,
                self.max_pages()
            )));
        }
        // SAFETY: as in `pages`; WAMR checks the maximum and keeps the old data on failure.
        if unsafe { sys::wasm_memory_enlarge(self.raw, delta as u64) } {
            Ok(old)
        } else {
            Err(Error::Resource("Unable to grow instance memory".into()))
        }
    }

    /// The instance that owns the memory (for lifetime purposes).
    pub fn owner(&self) -> &Rc<Instance> {
        &self.owner
    }

    /// A handle that another thread can [`attach`](SharedMemory::attach) to, for a shared
    /// memory (None for another). The memory then lives until the process ends: its owner is
    /// pinned, as threads that attached it may use it at any time and no count of them is kept.
    pub fn share_across_threads(&self) -> Option<SharedMemory> {
        if !self.is_shared() {
            return None;
        }
        static PINNED: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());
        let mut pinned = PINNED.lock().unwrap_or_else(|e| e.into_inner());
        if !pinned.contains(&(self.raw as usize)) {
            pinned.push(self.raw as usize);
            // Never dropped, so never touched again: the instance (and its memory) stays.
            std::mem::forget(Rc::clone(&self.owner));
        }
        Some(SharedMemory { raw: self.raw as usize, declared_max: self.declared_max })
    }
}

/// A shared memory (threads proposal) that any thread may attach to: see
/// [`Memory::share_across_threads`].
#[derive(Clone, Copy, Debug)]
pub struct SharedMemory {
    raw: usize,
    declared_max: Option<u64>,
}

thread_local! {
    /// The owner of this thread's attached memories: a memory instance of its own, as the
    /// real owner (pinned, on another thread) must not be counted from here.
    static ANCHOR: std::cell::RefCell<Option<Rc<Instance>>> = const { std::cell::RefCell::new(None) };
}

impl SharedMemory {
    /// A [`Memory`] on the calling thread for the same bytes.
    pub fn attach(&self) -> Result<Memory, Error> {
        let anchor = match ANCHOR.with(|a| a.borrow().clone()) {
            Some(a) => a,
            None => {
                let a = Memory::new(0, Some(0))?.owner;
                ANCHOR.with(|slot| *slot.borrow_mut() = Some(a.clone()));
                a
            }
        };
        Ok(Memory { raw: self.raw as sys::wasm_memory_inst_t, owner: anchor, declared_max: self.declared_max })
    }

    /// Identity of the underlying memory (as [`Memory::id`]).
    pub fn id(&self) -> usize {
        self.raw
    }
}

/// The memories an instance imports (kept alive while it uses them), and WAMR's own memory of
/// each slot pointed at one, given back before WAMR frees the instance.
#[derive(Default)]
pub(crate) struct ImportedMemories {
    memories: RefCell<Vec<Memory>>,
    /// (memory index, WAMR's own memory).
    swapped: RefCell<Vec<(usize, sys::wasm_memory_inst_t)>>,
}

impl Attachment for ImportedMemories {
    fn strong_refs(&self, out: &mut Vec<*const Instance>) {
        out.extend(self.memories.borrow().iter().map(|m| Rc::as_ptr(&m.owner)));
    }

    unsafe fn unlink(&self, raw: sys::wasm_module_inst_t, _inst: *const Instance) {
        for (index, original) in self.swapped.borrow_mut().drain(..) {
            crate::layout::restore_memory(raw, index, original);
        }
    }
}

/// Points `inst`'s memory slot at the imported memory `m` (shared, not copied; layout.rs).
pub(crate) fn link_import(inst: &Rc<Instance>, m: Memory) -> Result<(), Error> {
    // SAFETY: the instance is live and not running; see layout.rs for the invariants.
    let original = unsafe { crate::layout::share_memory(inst.raw(), 0, m.raw) }.map_err(Error::Link)?;
    let imported = inst.attachment::<ImportedMemories>();
    imported.swapped.borrow_mut().push((0, original));
    imported.memories.borrow_mut().push(m);
    Ok(())
}

/// The owners of the memories `inst` imports.
pub(crate) fn import_owners(inst: &Instance) -> Vec<Rc<Instance>> {
    let imported = inst.attached::<ImportedMemories>();
    imported.map_or_else(Vec::new, |i| i.memories.borrow().iter().map(|m| m.owner.clone()).collect())
}

impl Instance {
    /// The exported memory `name`.
    pub fn exported_memory(self: &Rc<Self>, name: &str) -> Option<Memory> {
        let declared_max = match self.module().info.exports.iter().find(|e| e.name == name)?.ty {
            ExternType::Memory { max, .. } => max,
            _ => return None,
        };
        let cname = self.module().wamr_export_name(name)?;
        // SAFETY: `raw` is live; the name is NUL-terminated.
        let raw = unsafe { sys::wasm_runtime_lookup_memory(self.raw(), cname.as_ptr()) };
        // A re-exported imported memory keeps the maximum it really has.
        let imported = self.attached::<ImportedMemories>();
        if let Some(m) = imported.as_ref().and_then(|i| i.memories.borrow().first().cloned()) {
            if raw == m.raw {
                return Some(m);
            }
        }
        (!raw.is_null()).then(|| Memory { raw, owner: self.clone(), declared_max })
    }
}
