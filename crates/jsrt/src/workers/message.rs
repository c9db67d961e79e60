//! A message between threads: a value written by QuickJS's object writer (`JS_WriteObject2`:
//! objects, arrays, strings, numbers, BigInts, Dates, RegExps, Maps, Sets, (typed) array
//! buffers by copy, SharedArrayBuffers by reference), plus what the writer cannot carry —
//! compiled modules, shared memories and transferred ports — as Rust values beside it.
//!
//! The JS half (`js/web.js`, `toWire`/`fromWire`) turns a value into the writer's terms first:
//! each object the writer cannot carry becomes a placeholder object whose place in the graph
//! the writer keeps (object references are on), and its Rust value joins the message's
//! extras; the reader's placeholders are swapped back on the other side.

use std::sync::Arc;

use rquickjs::{qjs, Class, Ctx, Value};

use crate::builtins::sab;

/// What travels beside the written bytes, one per placeholder.
pub enum Extra {
    /// The placeholder carries it all (an error's name, message, stack and cause).
    None,
    Module(Arc<jsrt_wasm::Module>),
    Memory(jsrt_wasm::SharedMemory),
    /// A transferred port (closed if the message is dropped undelivered).
    Port(u64),
}

pub struct Message {
    bytes: Vec<u8>,
    /// The data of the SharedArrayBuffers written, each held once until the message is read
    /// or dropped.
    sabs: Vec<usize>,
    extras: Vec<Extra>,
}

// SAFETY: the bytes are plain data; the SharedArrayBuffer blocks are reference-counted with
// atomics and not tied to a thread (builtins/sab.rs); the extras are Send.
unsafe impl Send for Message {}

impl Drop for Message {
    fn drop(&mut self) {
        for &data in &self.sabs {
            // SAFETY: held once in `write`, let go once here.
            unsafe { sab::unhold(data as *mut u8) };
        }
        for e in self.extras.drain(..) {
            if let Extra::Port(id) = e {
                super::close_port(id);
            }
        }
    }
}

/// Writes `wire` (the output of `toWire`) with its `extras`.
pub fn write<'js>(ctx: &Ctx<'js>, wire: &Value<'js>, extras: Vec<Extra>) -> rquickjs::Result<Message> {
    let c = ctx.as_raw().as_ptr();
    let mut size: qjs::size_t = 0;
    let mut tab = qjs::JSSABTab { tab: std::ptr::null_mut(), len: 0 };
    let flags = (qjs::JS_WRITE_OBJ_SAB | qjs::JS_WRITE_OBJ_REFERENCE) as i32;
    // SAFETY: `wire` is a live value of this context; QuickJS returns a buffer of `size` bytes
    // and a table of the SharedArrayBuffers' data, both ours to free with js_free.
    let buf = unsafe { qjs::JS_WriteObject2(c, &mut size, wire.as_raw(), flags, &mut tab) };
    if buf.is_null() {
        return Err(rquickjs::Error::Exception);
    }
    // SAFETY: as above: `buf` holds `size` bytes; `tab.tab` holds `tab.len` pointers.
    let (bytes, sabs) = unsafe {
        let bytes = std::slice::from_raw_parts(buf, size as usize).to_vec();
        qjs::js_free(c, buf as *mut _);
        let sabs: Vec<usize> = (0..tab.len as usize).map(|i| *tab.tab.add(i) as usize).collect();
        if !tab.tab.is_null() {
            qjs::js_free(c, tab.tab as *mut _);
        }
        for &d in &sabs {
            // The buffers' data, alive while `wire` is: held until the message is read.
            sab::hold(d as *mut u8);
        }
        (bytes, sabs)
    };
    Ok(Message { bytes, sabs, extras })
}

/// Reads the message on the receiving thread: the wire value, and the extras made into
/// values of this thread (for `fromWire`): `[kind, payload]` pairs, as [`Extra`] was given
/// (0: none, 1: a module handle, 2: a memory handle, 3: a port id).
pub fn read<'js>(ctx: &Ctx<'js>, mut msg: Message) -> rquickjs::Result<(Value<'js>, Vec<Value<'js>>)> {
    let c = ctx.as_raw().as_ptr();
    let flags = (qjs::JS_READ_OBJ_SAB | qjs::JS_READ_OBJ_REFERENCE) as i32;
    let mut tab = qjs::JSSABTab { tab: std::ptr::null_mut(), len: 0 };
    // SAFETY: the bytes were written by `write` in this process with the same flags, so the
    // SharedArrayBuffer pointers in them are blocks `msg` holds (the reader takes its own
    // references through the hooks).
    let raw = unsafe { qjs::JS_ReadObject2(c, msg.bytes.as_ptr(), msg.bytes.len() as _, flags, &mut tab) };
    // SAFETY: the table is ours to free; a fresh owned value (or the exception marker).
    let wire = unsafe {
        if !tab.tab.is_null() {
            qjs::js_free(c, tab.tab as *mut _);
        }
        Value::from_raw(ctx.clone(), raw)
    };
    if wire.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    let mut extras = Vec::with_capacity(msg.extras.len());
    for e in std::mem::take(&mut msg.extras) {
        let (kind, payload) = match e {
            Extra::None => (0, Value::new_undefined(ctx.clone())),
            Extra::Module(m) => (1, Class::instance(ctx.clone(), crate::webassembly::module::ModuleHandle { inner: m })?.into_value()),
            Extra::Memory(m) => {
                let mem = m.attach().map_err(|e| crate::webassembly::throw_engine_error(ctx, e, "postMessage: "))?;
                (2, Class::instance(ctx.clone(), crate::webassembly::memory::MemoryHandle::new(mem))?.into_value())
            }
            Extra::Port(id) => {
                super::adopt_port(id);
                (3, Value::new_number(ctx.clone(), id as f64))
            }
        };
        let pair = rquickjs::Array::new(ctx.clone())?;
        pair.set(0, kind)?;
        pair.set(1, payload)?;
        extras.push(pair.into_value());
    }
    Ok((wire, extras))
}
