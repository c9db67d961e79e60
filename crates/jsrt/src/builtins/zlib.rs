//! Natives of `jsrt:zlib` (`js/zlib.js`): gzip, deflate (zlib-wrapped and raw), their
//! inverses and auto-detecting `unzip` through flate2 (its pure-Rust miniz_oxide backend),
//! Brotli through the `brotli` crate, and CRC-32 through `crc32fast` (flate2's own) — on the
//! calling thread (the `*Sync` forms) or on tokio's blocking pool (the callback forms); the
//! stream forms are `zlib_stream.rs`'s.

use std::io::Read;

use rquickjs::{Ctx, Function, Object, Value};

use super::bytes::ByteView;
use crate::event_loop;

/// A failed (de)compression, as Node's zlib reports it: message, `code` and `errno`.
#[derive(Debug)]
pub(super) struct ZlibError {
    pub(super) message: String,
    pub(super) code: &'static str,
    pub(super) errno: i32,
}

impl ZlibError {
    pub(super) fn data(message: &str) -> Self {
        ZlibError { message: message.to_string(), code: "Z_DATA_ERROR", errno: -3 }
    }

    pub(super) fn from_io(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::UnexpectedEof => ZlibError { message: "unexpected end of file".into(), code: "Z_BUF_ERROR", errno: -5 },
            _ => {
                let text = e.to_string();
                let header = text.contains("header") || text.contains("invalid gzip");
                ZlibError::data(if header { "incorrect header check" } else { "invalid compressed data" })
            }
        }
    }

    pub(super) fn throw(self, ctx: &Ctx<'_>) -> rquickjs::Error {
        let err = match super::make_error(ctx, "Error", &self.message, Some(self.code)) {
            Ok(e) => e,
            Err(e) => return e,
        };
        if let Some(o) = err.as_object() {
            let _ = o.set("errno", self.errno);
        }
        ctx.throw(err)
    }
}

/// One (de)compression: `op` names it as `js/zlib.js` does; `level` is -1 for the default.
fn process(op: &str, input: &[u8], level: i32) -> Result<Vec<u8>, ZlibError> {
    use flate2::Compression;
    let compression = if (0..=9).contains(&level) { Compression::new(level as u32) } else { Compression::default() };
    let mut out = Vec::new();
    match op {
        // Encoders as readers over the input, like the decoders below.
        "gzip" => read_all(flate2::read::GzEncoder::new(input, compression), &mut out)?,
        "deflate" => read_all(flate2::read::ZlibEncoder::new(input, compression), &mut out)?,
        "deflateRaw" => read_all(flate2::read::DeflateEncoder::new(input, compression), &mut out)?,
        // Node's gunzip reads every gzip member (concatenated files), as MultiGzDecoder does.
        "gunzip" => {
            check_header(input, is_gzip)?;
            read_all(flate2::read::MultiGzDecoder::new(input), &mut out)?
        }
        "inflate" => {
            check_header(input, is_zlib)?;
            read_all(flate2::read::ZlibDecoder::new(input), &mut out)?
        }
        "inflateRaw" => read_all(flate2::read::DeflateDecoder::new(input), &mut out)?,
        "unzip" => {
            check_header(input, |h| is_gzip(h) || is_zlib(h))?;
            match input {
                [0x1f, 0x8b, ..] => read_all(flate2::read::MultiGzDecoder::new(input), &mut out)?,
                _ => read_all(flate2::read::ZlibDecoder::new(input), &mut out)?,
            }
        }
        "brotliCompress" => {
            let quality = if (0..=11).contains(&level) { level as u32 } else { 11 };
            let params = brotli::enc::BrotliEncoderParams { quality: quality as i32, lgwin: 22, ..Default::default() };
            brotli::BrotliCompress(&mut &input[..], &mut out, &params).map_err(ZlibError::from_io)?;
        }
        "brotliDecompress" => {
            brotli::BrotliDecompress(&mut &input[..], &mut out).map_err(|_| ZlibError::data("Decompression failed"))?;
        }
        _ => return Err(ZlibError::data("unknown operation")),
    }
    Ok(out)
}

/// zlib's "incorrect header check" for input that does not start as the format must (input
/// too short to tell ends as "unexpected end of file" in the decoder).
pub(super) fn check_header(input: &[u8], ok: impl Fn(&[u8]) -> bool) -> Result<(), ZlibError> {
    if input.len() >= 2 && !ok(input) {
        return Err(ZlibError::data("incorrect header check"));
    }
    Ok(())
}

pub(super) fn is_gzip(h: &[u8]) -> bool {
    h.starts_with(&[0x1f, 0x8b])
}

/// RFC 1950: method 8 (deflate), window at most 32 KiB, and CMF*256+FLG a multiple of 31.
pub(super) fn is_zlib(h: &[u8]) -> bool {
    h[0] & 0x0f == 8 && h[0] >> 4 <= 7 && (u16::from(h[0]) << 8 | u16::from(h[1])) % 31 == 0
}

fn read_all(mut r: impl Read, out: &mut Vec<u8>) -> Result<(), ZlibError> {
    r.read_to_end(out).map(|_| ()).map_err(ZlibError::from_io)
}

pub(super) fn input_bytes(ctx: &Ctx<'_>, v: &Value<'_>) -> rquickjs::Result<Vec<u8>> {
    if let Some(view) = ByteView::of(v) {
        return Ok(view.to_vec());
    }
    if let Some(s) = v.as_string() {
        return Ok(s.to_string()?.into_bytes());
    }
    Err(super::throw(ctx, "TypeError", "The \"buffer\" argument must be of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer.", Some("ERR_INVALID_ARG_TYPE")))
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let zlib = Object::new(ctx.clone())?;
    zlib.set(
        "process",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, op: String, data: Value<'js>, level: i32| {
            let input = input_bytes(&ctx, &data)?;
            let out = process(&op, &input, level).map_err(|e| e.throw(&ctx))?;
            super::bytes::uint8array(&ctx, out)
        })?,
    )?;
    zlib.set(
        "processAsync",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, op: String, data: Value<'js>, level: i32| {
            let input = input_bytes(&ctx, &data)?;
            event_loop::spawn_blocking(&ctx, move || {
                let r = process(&op, &input, level);
                Box::new(move |ctx: &Ctx<'_>| match r {
                    Ok(out) => super::bytes::uint8array(ctx, out),
                    Err(e) => Err(e.throw(ctx)),
                })
            })
        })?,
    )?;
    zlib.set(
        "crc32",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, data: Value<'js>, initial: u32| {
            let mut crc = crc32fast::Hasher::new_with_initial(initial);
            crc.update(&input_bytes(&ctx, &data)?);
            Ok::<_, rquickjs::Error>(crc.finalize() as f64)
        })?,
    )?;
    super::zlib_stream::install(ctx, &zlib)?;
    native.set("zlib", zlib)?;
    Ok(())
}
