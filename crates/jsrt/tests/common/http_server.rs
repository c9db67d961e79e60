//! A small HTTP/1.1 server on the loopback interface for the fetch tests: one thread per
//! connection, one request per connection (`Connection: close`), canned routes. Std only, so
//! it shares nothing with the client under test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
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
                let _ = serve(conn);
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// A loopback port nothing listens on (bound, then let go).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    l.local_addr().expect("local address").port()
}

fn serve(mut conn: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
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
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let reply = |conn: &mut TcpStream, status: &str, extra: &str, body: &[u8]| -> std::io::Result<()> {
        write!(conn, "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n", body.len())?;
        conn.write_all(body)
    };
    match path.as_str() {
        "/hello" => reply(&mut conn, "200 OK", "content-type: text/plain\r\nx-test: one\r\nx-test-2: two\r\n", b"hello over http"),
        "/json" => reply(&mut conn, "201 Created", "content-type: application/json\r\n", br#"{"n":1,"list":[true,null]}"#),
        "/missing" => reply(&mut conn, "404 Not Found", "", b"no such page"),
        "/redirect" => reply(&mut conn, "302 Found", "location: /hello\r\n", b""),
        "/wasm" => reply(&mut conn, "200 OK", "content-type: application/wasm\r\n", WASM),
        "/echo" => {
            let ct = headers.iter().find(|(k, _)| k == "x-kind").map(|(_, v)| v.clone()).unwrap_or_default();
            let mut out = format!("{method} {ct} ").into_bytes();
            out.extend_from_slice(&body);
            reply(&mut conn, "200 OK", "", &out)
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
            reply(&mut conn, "200 OK", "", &body)
        }
        "/slow" => {
            conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\nconnection: close\r\n\r\nstart")?;
            conn.flush()?;
            std::thread::sleep(Duration::from_secs(10));
            Ok(())
        }
        "/hang" => {
            std::thread::sleep(Duration::from_secs(10));
            Ok(())
        }
        _ => reply(&mut conn, "500 Internal Server Error", "", b"unknown route"),
    }
}
