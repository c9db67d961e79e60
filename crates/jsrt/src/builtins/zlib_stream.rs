//! A (de)compression fed a chunk at a time: the natives under `zlib`'s stream forms
//! (`createGzip` & co.) and the web's `CompressionStream`/`DecompressionStream`. Each codec
//! is one of flate2's or brotli's writers over a `Vec` that is drained after every chunk, so
//! output leaves as input arrives and nothing is held whole.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;

use rquickjs::{Ctx, Function, Object, Value};

use super::zlib::{check_header, is_gzip, is_zlib, ZlibError};

/// The writer of one stream.
enum Codec {
    Gzip(flate2::write::GzEncoder<Vec<u8>>),
    Gunzip(flate2::write::MultiGzDecoder<Vec<u8>>),
    Deflate(flate2::write::ZlibEncoder<Vec<u8>>),
    Inflate(flate2::write::ZlibDecoder<Vec<u8>>),
    DeflateRaw(flate2::write::DeflateEncoder<Vec<u8>>),
    InflateRaw(flate2::write::DeflateDecoder<Vec<u8>>),
    BrotliCompress(Box<brotli::CompressorWriter<Vec<u8>>>),
    BrotliDecompress(Box<brotli::DecompressorWriter<Vec<u8>>>),
}

/// A stream: its codec, once the first bytes have said which (`unzip`, and the header checks
/// of gunzip and inflate, wait for two bytes).
struct Stream {
    op: String,
    level: i32,
    codec: Option<Codec>,
    head: Vec<u8>,
}

thread_local! {
    static STREAMS: RefCell<HashMap<u64, Stream>> = RefCell::new(HashMap::new());
    static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

impl Codec {
    /// The codec `op` names (as js/zlib.js does), for input starting with `head` (decoders).
    fn new(op: &str, level: i32, head: &[u8]) -> Result<Codec, ZlibError> {
        use flate2::Compression;
        let compression = if (0..=9).contains(&level) { Compression::new(level as u32) } else { Compression::default() };
        Ok(match op {
            "gzip" => Codec::Gzip(flate2::write::GzEncoder::new(Vec::new(), compression)),
            "deflate" => Codec::Deflate(flate2::write::ZlibEncoder::new(Vec::new(), compression)),
            "deflateRaw" => Codec::DeflateRaw(flate2::write::DeflateEncoder::new(Vec::new(), compression)),
            "gunzip" => {
                check_header(head, is_gzip)?;
                Codec::Gunzip(flate2::write::MultiGzDecoder::new(Vec::new()))
            }
            "inflate" => {
                check_header(head, is_zlib)?;
                Codec::Inflate(flate2::write::ZlibDecoder::new(Vec::new()))
            }
            "inflateRaw" => Codec::InflateRaw(flate2::write::DeflateDecoder::new(Vec::new())),
            "unzip" if is_gzip(head) => Codec::Gunzip(flate2::write::MultiGzDecoder::new(Vec::new())),
            "unzip" => Codec::new("inflate", level, head)?,
            "brotliCompress" => {
                let quality = if (0..=11).contains(&level) { level as u32 } else { 11 };
                Codec::BrotliCompress(Box::new(brotli::CompressorWriter::new(Vec::new(), 4096, quality, 22)))
            }
            "brotliDecompress" => Codec::BrotliDecompress(Box::new(brotli::DecompressorWriter::new(Vec::new(), 4096))),
            other => return Err(ZlibError { message: format!("unknown zlib operation {other}"), code: "ERR_INVALID_ARG_VALUE", errno: 0 }),
        })
    }

    fn output(&mut self) -> &mut Vec<u8> {
        match self {
            Codec::Gzip(w) => w.get_mut(),
            Codec::Gunzip(w) => w.get_mut(),
            Codec::Deflate(w) => w.get_mut(),
            Codec::Inflate(w) => w.get_mut(),
            Codec::DeflateRaw(w) => w.get_mut(),
            Codec::InflateRaw(w) => w.get_mut(),
            Codec::BrotliCompress(w) => w.get_mut(),
            Codec::BrotliDecompress(w) => w.get_mut(),
        }
    }

    fn write(&mut self, input: &[u8]) -> std::io::Result<()> {
        match self {
            Codec::Gzip(w) => w.write_all(input),
            Codec::Gunzip(w) => w.write_all(input),
            Codec::Deflate(w) => w.write_all(input),
            Codec::Inflate(w) => w.write_all(input),
            Codec::DeflateRaw(w) => w.write_all(input),
            Codec::InflateRaw(w) => w.write_all(input),
            Codec::BrotliCompress(w) => w.write_all(input),
            Codec::BrotliDecompress(w) => w.write_all(input),
        }
    }

    /// Ends the stream: the encoders' trailers; for decoders, an error if the input stopped
    /// short ("unexpected end of file", as Node says).
    fn finish(self) -> Result<Vec<u8>, ZlibError> {
        let truncated = || ZlibError { message: "unexpected end of file".into(), code: "Z_BUF_ERROR", errno: -5 };
        match self {
            Codec::Gzip(w) => w.finish().map_err(ZlibError::from_io),
            Codec::Gunzip(w) => w.finish().map_err(ZlibError::from_io),
            Codec::Deflate(w) => w.finish().map_err(ZlibError::from_io),
            Codec::Inflate(w) => w.finish().map_err(ZlibError::from_io),
            Codec::DeflateRaw(w) => w.finish().map_err(ZlibError::from_io),
            Codec::InflateRaw(w) => w.finish().map_err(ZlibError::from_io),
            Codec::BrotliCompress(w) => Ok(w.into_inner()),
            Codec::BrotliDecompress(mut w) => {
                w.close().map_err(|_| truncated())?;
                w.into_inner().map_err(|_| truncated())
            }
        }
    }
}

impl Stream {
    /// Takes `input`; returns the output it made.
    fn push(&mut self, input: &[u8]) -> Result<Vec<u8>, ZlibError> {
        if let Some(codec) = &mut self.codec {
            codec.write(input).map_err(brotli_or_zlib(&self.op))?;
            return Ok(std::mem::take(codec.output()));
        }
        self.head.extend_from_slice(input);
        if self.head.len() < 2 && matches!(self.op.as_str(), "gunzip" | "inflate" | "unzip") {
            return Ok(Vec::new());
        }
        let head = std::mem::take(&mut self.head);
        let codec = self.codec.insert(Codec::new(&self.op, self.level, &head)?);
        codec.write(&head).map_err(brotli_or_zlib(&self.op))?;
        Ok(std::mem::take(codec.output()))
    }

    /// The last output.
    fn finish(mut self) -> Result<Vec<u8>, ZlibError> {
        let codec = match self.codec.take() {
            Some(c) => c,
            // Fewer than two bytes in all: decide on them (a too-short input fails below).
            None => {
                let head = std::mem::take(&mut self.head);
                let mut c = Codec::new(&self.op, self.level, &head)?;
                c.write(&head).map_err(brotli_or_zlib(&self.op))?;
                c
            }
        };
        codec.finish()
    }
}

/// How a write error reads: brotli's decoder says only "Decompression failed" (as Node does).
fn brotli_or_zlib(op: &str) -> impl Fn(std::io::Error) -> ZlibError + '_ {
    move |e| if op == "brotliDecompress" { ZlibError::data("Decompression failed") } else { ZlibError::from_io(e) }
}

pub fn install<'js>(ctx: &Ctx<'js>, zlib: &Object<'js>) -> rquickjs::Result<()> {
    // streamOpen(op, level) -> id.
    zlib.set(
        "streamOpen",
        Function::new(ctx.clone(), |op: String, level: i32| {
            let id = NEXT.with(|n| n.replace(n.get() + 1));
            STREAMS.with(|s| s.borrow_mut().insert(id, Stream { op, level, codec: None, head: Vec::new() }));
            id as f64
        })?,
    )?;
    // streamWrite(id, bytes) -> the output so far (a Uint8Array, maybe empty).
    zlib.set(
        "streamWrite",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, id: f64, data: Value<'js>| {
            let input = super::zlib::input_bytes(&ctx, &data)?;
            let out = STREAMS.with(|s| s.borrow_mut().get_mut(&(id as u64)).map(|st| st.push(&input)));
            match out {
                Some(Ok(out)) => super::bytes::uint8array(&ctx, out),
                Some(Err(e)) => {
                    STREAMS.with(|s| s.borrow_mut().remove(&(id as u64)));
                    Err(e.throw(&ctx))
                }
                None => Err(super::throw(&ctx, "Error", "zlib binding closed", Some("ERR_ZLIB_BINDING_CLOSED"))),
            }
        })?,
    )?;
    // streamEnd(id) -> the last output; the stream is closed.
    zlib.set(
        "streamEnd",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, id: f64| {
            let stream = STREAMS.with(|s| s.borrow_mut().remove(&(id as u64)));
            match stream.map(Stream::finish) {
                Some(Ok(out)) => super::bytes::uint8array(&ctx, out),
                Some(Err(e)) => Err(e.throw(&ctx)),
                None => Err(super::throw(&ctx, "Error", "zlib binding closed", Some("ERR_ZLIB_BINDING_CLOSED"))),
            }
        })?,
    )?;
    // streamClose(id): a stream given up (destroyed) before its end.
    zlib.set("streamClose", Function::new(ctx.clone(), |id: f64| STREAMS.with(|s| s.borrow_mut().remove(&(id as u64)).is_some()))?)?;
    Ok(())
}
