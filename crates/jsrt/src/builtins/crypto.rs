//! Natives for `crypto`: OS randomness (`getRandomValues`, `randomUUID`, `randomBytes`).

use rquickjs::{Ctx, Function, Object, Value};

use super::bytes::ByteView;

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    native.set(
        "randomFill",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, target: Value<'js>| {
            let view = ByteView::of(&target)
                .ok_or_else(|| super::throw(&ctx, "TypeError", "The data argument must be a TypedArray", None))?;
            getrandom::fill(view.as_mut_slice())
                .map_err(|e| super::throw(&ctx, "Error", &format!("randomness unavailable: {e}"), None))?;
            Ok::<_, rquickjs::Error>(target)
        })?,
    )?;
    native.set(
        "randomUUID",
        Function::new(ctx.clone(), || {
            let mut b = [0u8; 16];
            let _ = getrandom::fill(&mut b);
            b[6] = (b[6] & 0x0f) | 0x40; // version 4
            b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
            let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
            format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
        })?,
    )?;
    Ok(())
}
