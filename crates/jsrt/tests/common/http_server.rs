//! A small HTTP/1.1 server on the loopback interface for the fetch tests: one thread per
//! connection, one request per connection (`Connection: close`), canned routes; plain, or TLS
//! (rustls) with a certificate of a test CA made at start. Std and rustls only, so it shares
//! nothing with the client under test but the TLS library.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A tiny wasm module exporting `answer() -> 42`.
const WASM: &[u8] = &[0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 10, 1, 6, 97, 110, 115, 119, 101, 114, 0, 0, 10, 6, 1, 4, 0, 65, 42, 11];

/// Starts the server; returns its base URL (`http://127.0.0.1:PORT`). It runs until the
/// process ends.
pub fn start() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut conn = conn;
                let _ = serve(&mut conn);
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// A certificate for `localhost` from a fresh test CA: (the CA's PEM file, for
/// `NODE_EXTRA_CA_CERTS`; the certificate's and its key's PEM files), written to `dir`; and the
/// certificate and key for rustls.
pub fn test_certificate(dir: &std::path::Path) -> (PathBuf, PathBuf, PathBuf, rcgen::Certificate, rcgen::KeyPair) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "jsrt test CA");
    let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
    let key = KeyPair::generate().expect("server key");
    let cert = CertificateParams::new(vec!["localhost".to_string()]).expect("server parameters").signed_by(&key, &ca_cert, &ca_key).expect("server certificate");
    let ca_file = dir.join("jsrt-test-ca.pem");
    std::fs::write(&ca_file, ca_cert.pem()).expect("write the CA file");
    let (cert_file, key_file) = (dir.join("localhost.pem"), dir.join("localhost-key.pem"));
    std::fs::write(&cert_file, cert.pem()).expect("write the certificate");
    std::fs::write(&key_file, key.serialize_pem()).expect("write the key");
    (ca_file, cert_file, key_file, cert, key)
}

/// Starts the server over TLS with a certificate for `localhost` from a fresh test CA; returns
/// its base URL (`https://localhost:PORT`) and the CA's PEM file (written to `dir`), for
/// `NODE_EXTRA_CA_CERTS`.
pub fn start_tls(dir: &std::path::Path) -> (String, PathBuf) {
    let (ca_file, _, _, cert, key) = test_certificate(dir);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()))
        .expect("TLS configuration");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let Ok(tls) = rustls::ServerConnection::new(config) else { return };
                let mut stream = rustls::StreamOwned::new(tls, conn);
                let _ = serve(&mut stream);
                stream.conn.send_close_notify();
                let _ = stream.flush();
            });
        }
    });
    (format!("https://localhost:{port}"), ca_file)
}

/// A loopback port nothing listens on (bound, then let go).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    l.local_addr().expect("local address").port()
}

/// The request line, headers and body of one request.
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read_request(conn: &mut impl Read) -> std::io::Result<Request> {
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("/").to_string());
    let mut length = 0usize;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end().to_string();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let mut body = vec![0; if chunked { 0 } else { length }];
    if chunked {
        // Chunks: a hexadecimal size line, the bytes, CRLF; a zero size ends them.
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        reader.read_exact(&mut body)?;
    }
    Ok(Request { method, path, headers, body })
}

fn serve<S: Read + Write>(conn: &mut S) -> std::io::Result<()> {
    let Request { method, path, headers, body } = read_request(conn)?;
    let reply = |conn: &mut S, status: &str, extra: &str, body: &[u8]| -> std::io::Result<()> {
        // One write for the head and the body: a head split over packets loses Node's
        // statusText (undici), which the tests compare.
        let mut out = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        conn.write_all(&out)
    };
    let conn = conn;
    match path.as_str() {
        "/hello" => reply(conn, "200 OK", "content-type: text/plain\r\nx-test: one\r\nx-test-2: two\r\n", b"hello over http"),
        "/json" => reply(conn, "201 Created", "content-type: application/json\r\n", br#"{"n":1,"list":[true,null]}"#),
        "/missing" => reply(conn, "404 Not Found", "", b"no such page"),
        "/redirect" => reply(conn, "302 Found", "location: /hello\r\n", b""),
        "/wasm" => reply(conn, "200 OK", "content-type: application/wasm\r\n", WASM),
        "/echo" => {
            let ct = headers.iter().find(|(k, _)| k == "x-kind").map(|(_, v)| v.clone()).unwrap_or_default();
            let mut out = format!("{method} {ct} ").into_bytes();
            out.extend_from_slice(&body);
            reply(conn, "200 OK", "", &out)
        }
        "/chunked" => {
            conn.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n")?;
            for part in ["first,", "second,", "third"] {
                write!(conn, "{:x}\r\n{part}\r\n", part.len())?;
                conn.flush()?;
                std::thread::sleep(Duration::from_millis(20));
            }
            conn.write_all(b"0\r\n\r\n")
        }
        "/big" => {
            let body: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
            reply(conn, "200 OK", "", &body)
        }
        "/slow" => {
            conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\nconnection: close\r\n\r\nstart")?;
            conn.flush()?;
            std::thread::sleep(Duration::from_secs(10));
            Ok(())
        }
        "/wasm-trickle" => {
            // The module a byte at a time (compileStreaming validates as they come).
            conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/wasm\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n")?;
            for b in WASM {
                conn.write_all(b"1\r\n")?;
                conn.write_all(&[*b])?;
                conn.write_all(b"\r\n")?;
                conn.flush()?;
                std::thread::sleep(Duration::from_millis(2));
            }
            conn.write_all(b"0\r\n\r\n")
        }
        "/wasm-bad-then-hang" => {
            // A section id no module has, then nothing for 10 s: a streaming compile fails
            // at once, without waiting for the rest.
            conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/wasm\r\ncontent-length: 1000\r\nconnection: close\r\n\r\n\0asm\x01\0\0\0\x7f\x01\0")?;
            conn.flush()?;
            std::thread::sleep(Duration::from_secs(10));
            Ok(())
        }
        "/hang" => {
            std::thread::sleep(Duration::from_secs(10));
            Ok(())
        }
        _ => reply(conn, "500 Internal Server Error", "", b"unknown route"),
    }
}
