//! Validating a module and learning, in the same pass, what its preparation needs (module.rs's
//! passes: proxies, dead code, big frames, the compiled tier's policy) — over bytes that are
//! all there ([`validate_and_scan`]) or still arriving ([`Streamed`], for
//! `WebAssembly.compileStreaming`: each function body is validated as soon as its bytes are in,
//! so only loading remains once the last chunk has come). Both go through one [`Scanning`].

use wasmparser::{Chunk, FuncToValidate, FunctionBody, OperatorsReader, Parser, Payload, ValidPayload, Validator, ValidatorResources};

use crate::info::features;

/// The largest module the JS API accepts ("Implementation-defined Limits"); wasmparser has
/// the spec's other limits.
pub const MAX_MODULE_SIZE: usize = 1 << 30;
/// Most elements a table may have (the JS API's limit; a module may declare more — it
/// validates — but instantiating it fails).
pub const MAX_TABLE_ELEMENTS: u32 = 10_000_000;

/// What validating a module's code learned besides its validity.
pub(crate) struct Scan {
    /// What proxy.rs needs.
    pub facts: crate::proxy::CodeFacts,
    /// Whether any function has dead code (deadcode.rs).
    pub dead_code: bool,
    /// Functions whose locals WAMR's fast interpreter cannot hold (bigframe.rs).
    pub big_frames: crate::bigframe::Stubbed,
    /// What the compiled tier's policy reads of the code (tail calls, size).
    pub code: crate::compiled::Code,
}

/// Validates `bytes` and scans their code in the same pass (see [`Scan`]).
pub(crate) fn validate_and_scan(bytes: &[u8]) -> Result<Scan, String> {
    check_size(bytes.len())?;
    let mut s = Scanning::new();
    s.advance(bytes, true)?;
    s.finish()
}

fn check_size(len: usize) -> Result<(), String> {
    // The JS API's limit on a module's size (wasmparser has none).
    if len > MAX_MODULE_SIZE {
        return Err(format!("the module is {len} bytes, over the limit of {MAX_MODULE_SIZE} (1 GiB)"));
    }
    Ok(())
}

fn message(e: wasmparser::BinaryReaderError) -> String {
    e.message().to_string()
}

/// A validation and scan in progress over a module's bytes, a prefix at a time.
struct Scanning {
    parser: Parser,
    /// How far into the bytes the parser is.
    pos: usize,
    done: bool,
    validator: Validator,
    allocs: wasmparser::FuncValidatorAllocations,
    scanner: crate::proxy::Scanner,
    dead_code: bool,
    tail_calls: bool,
    big_frames: crate::bigframe::Stubbed,
    code_bytes: usize,
}

impl Scanning {
    fn new() -> Scanning {
        let mut parser = Parser::new(0);
        parser.set_features(features());
        Scanning {
            parser,
            pos: 0,
            done: false,
            validator: Validator::new_with_features(features()),
            allocs: Default::default(),
            scanner: Default::default(),
            dead_code: false,
            tail_calls: false,
            big_frames: Default::default(),
            code_bytes: 0,
        }
    }

    /// Validates what `bytes` (the module's first bytes; `eof`: all of them) hold beyond what
    /// earlier calls saw.
    fn advance(&mut self, bytes: &[u8], eof: bool) -> Result<(), String> {
        while !self.done {
            let (consumed, payload) = match self.parser.parse(&bytes[self.pos..], eof).map_err(message)? {
                Chunk::NeedMoreData(_) => return Ok(()),
                Chunk::Parsed { consumed, payload } => (consumed, payload),
            };
            self.done = matches!(payload, Payload::End(_));
            if let Payload::TypeSection(r) = &payload {
                // An invalid section fails validation just below; the scan's result is unused then.
                let _ = self.scanner.type_section(r);
            }
            if let ValidPayload::Func(f, body) = self.validator.payload(&payload).map_err(message)? {
                self.function(f, body)?;
            }
            self.pos += consumed;
        }
        Ok(())
    }

    /// Validates one function body and scans its code.
    fn function(&mut self, f: FuncToValidate<ValidatorResources>, body: FunctionBody<'_>) -> Result<(), String> {
        self.code_bytes += body.range().len();
        let mut live = crate::deadcode::Liveness::new();
        let mut fv = f.into_validator(std::mem::take(&mut self.allocs));
        let mut reader = body.get_binary_reader();
        // Decoding depends on the features too (e.g. memory index bytes without multi-memory).
        reader.set_features(features());
        fv.read_locals(&mut reader).map_err(message)?;
        if fv.len_locals() >= crate::bigframe::MAX_FRAME_CELLS / 4 {
            let cells: u32 = (0..fv.len_locals()).map(|i| fv.get_local_type(i).map_or(1, crate::bigframe::cells)).sum();
            if cells >= crate::bigframe::MAX_FRAME_CELLS {
                self.big_frames.0.push(fv.index());
            }
        }
        let mut ops = OperatorsReader::new(reader);
        while !ops.eof() {
            let (op, offset) = ops.read_with_offset().map_err(message)?;
            fv.op(offset, &op).map_err(message)?;
            self.scanner.op(&op);
            self.dead_code |= !live.keep(crate::deadcode::validated_flow(&op));
            self.tail_calls |= matches!(op, wasmparser::Operator::ReturnCall { .. } | wasmparser::Operator::ReturnCallIndirect { .. } | wasmparser::Operator::ReturnCallRef { .. });
        }
        ops.finish().map_err(message)?;
        self.allocs = fv.into_allocations();
        Ok(())
    }

    /// The scan, once the whole module has been validated.
    fn finish(self) -> Result<Scan, String> {
        if !self.done {
            return Err("unexpected end of module".into());
        }
        Ok(Scan {
            facts: self.scanner.finish(),
            dead_code: self.dead_code,
            big_frames: self.big_frames,
            code: crate::compiled::Code { tail_calls: self.tail_calls, bytes: self.code_bytes },
        })
    }
}

/// A module whose bytes arrive in chunks (`WebAssembly.compileStreaming`): each chunk is kept
/// and validated as far as it goes; an invalid prefix is reported at [`Streamed::finish`]
/// (after that, further chunks are only counted).
pub struct Streamed {
    bytes: Vec<u8>,
    scanning: Scanning,
    error: Option<String>,
}

impl Default for Streamed {
    fn default() -> Streamed {
        Streamed { bytes: Vec::new(), scanning: Scanning::new(), error: None }
    }
}

impl Streamed {
    /// The next chunk of the module's bytes.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = check_size(self.bytes.len() + chunk.len()) {
            self.error = Some(e);
            self.bytes = Vec::new();
            return;
        }
        self.bytes.extend_from_slice(chunk);
        if let Err(e) = self.scanning.advance(&self.bytes, false) {
            self.error = Some(e);
        }
    }

    /// Why the bytes so far cannot be the start of a valid module, once that is known.
    pub fn failed(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// All the bytes and their scan, or why they are not a valid module.
    pub(crate) fn finish(mut self) -> Result<(Vec<u8>, Scan), String> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.scanning.advance(&self.bytes, true)?;
        let scan = self.scanning.finish()?;
        Ok((self.bytes, scan))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(bytes: &[u8], chunk: usize) -> Result<(Vec<u8>, Scan), String> {
        let mut s = Streamed::default();
        for c in bytes.chunks(chunk.max(1)) {
            s.push(c);
        }
        s.finish()
    }

    #[test]
    fn chunked_validation_agrees_with_whole() {
        let wasm = wat::parse_str(
            r#"(module (type (func (param i32) (result i32)))
                 (func $f (type 0) local.get 0 i32.const 1 i32.add return i32.const 9 drop)
                 (func (param i64) (result i64) local.get 0 return_call 2)
                 (func (param i64) (result i64) local.get 0)
                 (export "f" (func $f)))"#,
        )
        .unwrap();
        let whole = validate_and_scan(&wasm).unwrap();
        for chunk in [1, 2, 3, 7, 64, wasm.len()] {
            let (bytes, scan) = streamed(&wasm, chunk).unwrap();
            assert_eq!(bytes, wasm);
            assert_eq!((scan.dead_code, scan.code.tail_calls, scan.code.bytes), (whole.dead_code, whole.code.tail_calls, whole.code.bytes), "chunks of {chunk}");
        }
        assert!(whole.dead_code && whole.code.tail_calls);
    }

    #[test]
    fn invalid_and_truncated_modules_fail_as_whole_ones_do() {
        let wasm = wat::parse_str(r#"(module (func (result i32) i32.const 1))"#).unwrap();
        let truncated = &wasm[..wasm.len() - 2];
        assert!(validate_and_scan(truncated).is_err());
        assert!(streamed(truncated, 3).is_err());
        let mut bad = wasm.clone();
        let n = bad.len();
        bad[n - 2] = 0x7a; // i32.const's operand's end: an unknown opcode follows
        assert_eq!(streamed(&bad, 1).err(), validate_and_scan(&bad).err());
        // A bad prefix is known before the end (a section id no module has).
        let mut s = Streamed::default();
        s.push(b"\0asm\x01\0\0\0");
        assert!(s.failed().is_none());
        s.push(b"\x7f\x01\0");
        assert!(s.failed().is_some_and(|m| m.contains("section id")), "{:?}", s.failed());
        assert!(streamed(b"\0asm\x02\0\0\0", 2).is_err());
        assert!(streamed(b"", 1).is_err());
    }
}
