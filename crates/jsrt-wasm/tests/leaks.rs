//! Memory stays flat over many failing loads. A test binary of its own, so no other test
//! allocates in the process while RSS is measured.

use jsrt_wasm::Module;

#[test]
fn failing_loads_do_not_leak() {
    fn rss() -> usize {
        let s = std::fs::read_to_string("/proc/self/statm").unwrap();
        s.split_whitespace().nth(1).unwrap().parse::<usize>().unwrap() * 4096
    }
    let bad = wat::parse_str("(module (func (result i32) (i64.const 1)))").unwrap();
    for _ in 0..1000 {
        let _ = Module::new(&bad);
    }
    let before = rss();
    for _ in 0..10_000 {
        assert!(Module::new(&bad).is_err());
        assert!(Module::new(b"\0asm\x01\0\0\0\x01\xff").is_err());
    }
    let grown = rss().saturating_sub(before);
    assert!(grown < 4 << 20, "RSS grew by {grown} bytes over 20,000 failing loads");
}
