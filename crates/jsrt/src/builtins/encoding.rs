//! Natives for text and binary encodings: UTF-8 encode (`TextEncoder`), decode of UTF-8 and
//! UTF-16 (`TextDecoder`, via `encoding_rs`), base64 (`atob`/`btoa`, `Buffer`) and hex.

use base64::Engine;
use rquickjs::{function::Opt, Ctx, Function, Object, Value};

use super::bytes::{uint8array, ByteView};

/// Decodes `bytes` with the WHATWG encoding `label`. Returns the text and the number of
/// trailing bytes left undecoded when `stream` is set (an incomplete sequence).
fn decode(label: &str, bytes: &[u8], fatal: bool, ignore_bom: bool, stream: bool) -> Result<(String, usize), String> {
    let enc = encoding_rs::Encoding::for_label(label.as_bytes())
        .ok_or_else(|| format!("The \"{label}\" encoding is not supported"))?;
    let mut decoder = if ignore_bom {
        enc.new_decoder_without_bom_handling()
    } else {
        enc.new_decoder_with_bom_removal()
    };
    let cap = decoder.max_utf8_buffer_length(bytes.len()).unwrap_or(bytes.len() * 3 + 16);
    let mut out = String::with_capacity(cap);
    // In streaming mode keep an incomplete trailing sequence for the next call.
    let keep = if stream { incomplete_tail(enc, bytes) } else { 0 };
    let input = &bytes[..bytes.len() - keep];
    if fatal {
        let (res, _read) = decoder.decode_to_string_without_replacement(input, &mut out, !stream);
        if let encoding_rs::DecoderResult::Malformed(_, _) = res {
            return Err("The encoded data was not valid for encoding ".to_string() + enc.name().to_lowercase().as_str());
        }
    } else {
        let _ = decoder.decode_to_string(input, &mut out, !stream);
    }
    Ok((out, keep))
}

/// Bytes at the end of `b` that start a character not yet complete.
fn incomplete_tail(enc: &'static encoding_rs::Encoding, b: &[u8]) -> usize {
    if enc == encoding_rs::UTF_8 {
        for back in 1..=3.min(b.len()) {
            let byte = b[b.len() - back];
            if byte & 0xC0 == 0x80 {
                continue; // continuation byte
            }
            let need = if byte >= 0xF0 { 4 } else if byte >= 0xE0 { 3 } else if byte >= 0xC0 { 2 } else { 1 };
            return if need > back { back } else { 0 };
        }
        0
    } else if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        let odd = b.len() % 2;
        // A lone high surrogate at the end waits for its pair too.
        if b.len() >= 2 + odd {
            let i = b.len() - odd - 2;
            let unit = if enc == encoding_rs::UTF_16LE { u16::from_le_bytes([b[i], b[i + 1]]) } else { u16::from_be_bytes([b[i], b[i + 1]]) };
            if (0xD800..0xDC00).contains(&unit) {
                return odd + 2;
            }
        }
        odd
    } else {
        0
    }
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    native.set(
        "utf8Encode",
        Function::new(c(), |ctx: Ctx<'js>, s: String| uint8array(&ctx, s.into_bytes()))?,
    )?;
    // encodeInto(string, view) -> [read (UTF-16 units), written (bytes)]
    native.set(
        "utf8EncodeInto",
        Function::new(c(), |s: String, dest: Value<'js>| {
            let view = ByteView::of(&dest);
            let out = view.as_ref().map(|v| v.as_mut_slice()).unwrap_or(&mut []);
            let (mut read, mut written) = (0usize, 0usize);
            for ch in s.chars() {
                let n = ch.len_utf8();
                if written + n > out.len() {
                    break;
                }
                ch.encode_utf8(&mut out[written..written + n]);
                written += n;
                read += ch.len_utf16();
            }
            vec![read as f64, written as f64]
        })?,
    )?;
    native.set(
        "decode",
        Function::new(
            c(),
            |ctx: Ctx<'js>, label: String, data: Value<'js>, fatal: Opt<bool>, ignore_bom: Opt<bool>, stream: Opt<bool>| {
                let view = ByteView::of(&data);
                let bytes = view.as_ref().map(|v| v.as_slice()).unwrap_or(&[]);
                match decode(&label, bytes, fatal.0.unwrap_or(false), ignore_bom.0.unwrap_or(false), stream.0.unwrap_or(false)) {
                    Ok((s, keep)) => {
                        let arr = rquickjs::Array::new(ctx.clone())?;
                        arr.set(0, s)?;
                        arr.set(1, keep as f64)?;
                        Ok(arr)
                    }
                    Err(msg) => Err(super::throw(&ctx, "TypeError", &msg, Some("ERR_ENCODING_INVALID_ENCODED_DATA"))),
                }
            },
        )?,
    )?;
    native.set(
        "encodingName",
        Function::new(c(), |label: String| {
            encoding_rs::Encoding::for_label(label.trim().as_bytes()).map(|e| e.name().to_lowercase())
        })?,
    )?;
    native.set(
        "base64Encode",
        Function::new(c(), |data: Value<'js>, url: Opt<bool>| {
            let view = ByteView::of(&data);
            let bytes = view.as_ref().map(|v| v.as_slice()).unwrap_or(&[]);
            if url.0.unwrap_or(false) {
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
            } else {
                base64::engine::general_purpose::STANDARD.encode(bytes)
            }
        })?,
    )?;
    // Forgiving base64 decode (whitespace and missing padding allowed); null when invalid.
    native.set(
        "base64Decode",
        Function::new(c(), |ctx: Ctx<'js>, s: String| {
            let cleaned: String = s
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .map(|c| match c { '-' => '+', '_' => '/', c => c })
                .collect();
            let trimmed = cleaned.trim_end_matches('=');
            let engine = base64::engine::GeneralPurpose::new(
                &base64::alphabet::STANDARD,
                base64::engine::GeneralPurposeConfig::new()
                    .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
                    .with_decode_allow_trailing_bits(true),
            );
            match engine.decode(trimmed) {
                Ok(b) => uint8array(&ctx, b),
                Err(_) => Ok(Value::new_null(ctx)),
            }
        })?,
    )?;
    native.set(
        "hexEncode",
        Function::new(c(), |data: Value<'js>| {
            let view = ByteView::of(&data);
            let bytes = view.as_ref().map(|v| v.as_slice()).unwrap_or(&[]);
            let mut s = String::with_capacity(bytes.len() * 2);
            for b in bytes {
                s.push_str(&format!("{b:02x}"));
            }
            s
        })?,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_stream_keeps_partial_sequences() {
        let euro = "€".as_bytes(); // e2 82 ac
        let (s, keep) = decode("utf-8", &euro[..2], false, false, true).unwrap();
        assert_eq!((s.as_str(), keep), ("", 2));
        let (s, keep) = decode("utf-8", euro, false, false, true).unwrap();
        assert_eq!((s.as_str(), keep), ("€", 0));
    }

    #[test]
    fn fatal_and_bom() {
        assert!(decode("utf-8", &[0xff], true, false, false).is_err());
        assert_eq!(decode("utf-8", &[0xff], false, false, false).unwrap().0, "\u{fffd}");
        assert_eq!(decode("utf-8", &[0xef, 0xbb, 0xbf, b'a'], false, false, false).unwrap().0, "a");
        assert_eq!(decode("utf-8", &[0xef, 0xbb, 0xbf, b'a'], false, true, false).unwrap().0, "\u{feff}a");
        assert_eq!(decode("utf-16le", &[b'h', 0, b'i', 0], false, false, false).unwrap().0, "hi");
    }
}
