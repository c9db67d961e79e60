//! Byte access to JS binary data: `ArrayBuffer`, every TypedArray and `DataView`.

use rquickjs::{ArrayBuffer, Ctx, Object, Value};

/// A borrowed window onto the bytes of an `ArrayBuffer` or an `ArrayBufferView`.
pub struct ByteView<'js> {
    buffer: ArrayBuffer<'js>,
    offset: usize,
    len: usize,
}

impl<'js> ByteView<'js> {
    /// The view described by `value`, or None when it is not binary data.
    pub fn of(value: &Value<'js>) -> Option<Self> {
        // JS_IsArrayBuffer first: rquickjs's `ArrayBuffer::from_value` calls JS_GetArrayBuffer,
        // which leaves a pending TypeError behind for other objects (and a stale exception is
        // later mistaken for a real one, e.g. by the module loader).
        // SAFETY: a type check on a live value.
        if unsafe { rquickjs::qjs::JS_IsArrayBuffer(value.as_raw()) } {
            if let Some(buffer) = ArrayBuffer::from_value(value.clone()) {
                let len = buffer.as_raw().map(|p| p.len()).unwrap_or(0);
                return Some(ByteView { buffer, offset: 0, len });
            }
        }
        let obj: &Object = value.as_object()?;
        // TypedArray or DataView: both have buffer/byteOffset/byteLength.
        if !(obj.is_typed_array::<u8>() || is_view(obj)) {
            return None;
        }
        let buffer: ArrayBuffer = obj.get("buffer").ok()?;
        let offset: usize = obj.get::<_, f64>("byteOffset").ok()? as usize;
        let len: usize = obj.get::<_, f64>("byteLength").ok()? as usize;
        Some(ByteView { buffer, offset, len })
    }

    /// The bytes. Valid until JS runs again (JS may detach or resize the buffer).
    pub fn as_slice(&self) -> &[u8] {
        match self.buffer.as_raw() {
            // SAFETY: QuickJS owns the buffer's storage for as long as `self.buffer` holds a
            // reference and no JS runs; offset+len were read from the live view and are
            // clamped to the buffer's current size.
            Some(p) => unsafe {
                let all = p.as_ref();
                let end = (self.offset + self.len).min(all.len());
                &all[self.offset.min(end)..end]
            },
            None => &[],
        }
    }

    /// Mutable access to the bytes, with the same validity rule as `as_slice`.
    #[allow(clippy::mut_from_ref)]
    pub fn as_mut_slice(&self) -> &mut [u8] {
        match self.buffer.as_raw() {
            // SAFETY: as in `as_slice`; JS cannot observe the bytes while we hold the slice
            // because no JS runs until the caller returns.
            Some(mut p) => unsafe {
                let all = p.as_mut();
                let end = (self.offset + self.len).min(all.len());
                &mut all[self.offset.min(end)..end]
            },
            None => &mut [],
        }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.as_slice().to_vec()
    }
}

fn is_view(obj: &Object<'_>) -> bool {
    // Any TypedArray (not just Uint8Array) or a DataView: ArrayBuffer.isView semantics.
    let ctx = obj.ctx();
    let Ok(ab): rquickjs::Result<Object> = ctx.globals().get("ArrayBuffer") else { return false };
    let Ok(is_view): rquickjs::Result<rquickjs::Function> = ab.get("isView") else { return false };
    is_view.call((obj.clone(),)).unwrap_or(false)
}

/// A new `Uint8Array` holding `bytes`.
pub fn uint8array<'js>(ctx: &Ctx<'js>, bytes: Vec<u8>) -> rquickjs::Result<Value<'js>> {
    Ok(rquickjs::TypedArray::<u8>::new(ctx.clone(), bytes)?.into_value())
}
