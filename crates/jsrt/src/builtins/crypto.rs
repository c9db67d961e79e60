//! Natives for `crypto`: OS randomness (`getRandomValues`, `randomUUID`, `randomBytes`) and
//! digests / HMACs (`createHash`, `createHmac`) over RustCrypto's hash crates.

use rquickjs::{Ctx, Function, Object, Value};

use super::bytes::ByteView;

/// The digest of `chunks` with algorithm `alg` (Node's names), keyed (HMAC) when `key` is
/// given. None for an unknown algorithm.
fn digest(alg: &str, chunks: &[Vec<u8>], key: Option<&[u8]>) -> Option<Vec<u8>> {
    use hmac::{Hmac, Mac};
    use sha2::Digest;
    fn plain<D: Digest>(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut d = D::new();
        for c in chunks {
            d.update(c);
        }
        d.finalize().to_vec()
    }
    fn keyed<M: Mac + hmac::digest::KeyInit>(key: &[u8], chunks: &[Vec<u8>]) -> Vec<u8> {
        // HMAC takes keys of any length.
        let mut m = <M as hmac::digest::KeyInit>::new_from_slice(key).expect("HMAC accepts any key length");
        for c in chunks {
            m.update(c);
        }
        m.finalize().into_bytes().to_vec()
    }
    Some(match (alg.to_ascii_lowercase().as_str(), key) {
        ("md5", None) => plain::<md5::Md5>(chunks),
        ("sha1", None) => plain::<sha1::Sha1>(chunks),
        ("sha224", None) => plain::<sha2::Sha224>(chunks),
        ("sha256", None) => plain::<sha2::Sha256>(chunks),
        ("sha384", None) => plain::<sha2::Sha384>(chunks),
        ("sha512", None) => plain::<sha2::Sha512>(chunks),
        ("md5", Some(k)) => keyed::<Hmac<md5::Md5>>(k, chunks),
        ("sha1", Some(k)) => keyed::<Hmac<sha1::Sha1>>(k, chunks),
        ("sha224", Some(k)) => keyed::<Hmac<sha2::Sha224>>(k, chunks),
        ("sha256", Some(k)) => keyed::<Hmac<sha2::Sha256>>(k, chunks),
        ("sha384", Some(k)) => keyed::<Hmac<sha2::Sha384>>(k, chunks),
        ("sha512", Some(k)) => keyed::<Hmac<sha2::Sha512>>(k, chunks),
        _ => return None,
    })
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    // digest(algorithm, [Uint8Array...], key | undefined) -> Uint8Array | undefined
    native.set(
        "digest",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, alg: String, chunks: rquickjs::Array<'js>, key: rquickjs::function::Opt<Value<'js>>| {
            let bytes_of = |v: &Value<'js>| ByteView::of(v).map(|b| b.as_slice().to_vec());
            let mut data = Vec::with_capacity(chunks.len());
            for c in chunks.iter::<Value>() {
                data.push(bytes_of(&c?).ok_or_else(|| super::throw(&ctx, "TypeError", "hash data must be binary", None))?);
            }
            let key = match key.0.filter(|k| !k.is_undefined()) {
                Some(k) => Some(bytes_of(&k).ok_or_else(|| super::throw(&ctx, "TypeError", "HMAC key must be binary", None))?),
                None => None,
            };
            match digest(&alg, &data, key.as_deref()) {
                Some(d) => rquickjs::TypedArray::<u8>::new(ctx.clone(), d).map(|a| a.into_value()),
                None => Ok(Value::new_undefined(ctx.clone())),
            }
        })?,
    )?;
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
