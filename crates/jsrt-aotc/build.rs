//! Builds WAMR's ahead-of-time compiler (wamr/CMakeLists.txt: the vendored WAMR of
//! `vendor/wamrx-sys`, with jsrt's patches) and links it against Debian's LLVM 16, found with
//! `llvm-config-16` (or `$LLVM_CONFIG`); `./x` installs `llvm-16-dev`.

use std::path::PathBuf;
use std::process::Command;

fn llvm_config(arg: &str) -> String {
    let tool = std::env::var("LLVM_CONFIG").unwrap_or_else(|_| "llvm-config-16".to_string());
    let out = Command::new(&tool).arg(arg).output().unwrap_or_else(|e| panic!("{tool} {arg}: {e} (install llvm-16-dev: ./x does)"));
    assert!(out.status.success(), "{tool} {arg} failed");
    String::from_utf8(out.stdout).expect("llvm-config prints UTF-8").trim().to_string()
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let wamr_root = manifest.join("../../vendor/wamrx-sys/wasm-micro-runtime").canonicalize().expect("vendor/wamrx-sys/wasm-micro-runtime");
    let lib_dir = llvm_config("--libdir");
    let dst = cmake::Config::new(manifest.join("wamr"))
        .define("WAMR_ROOT_DIR", &wamr_root)
        .define("LLVM_DIR", llvm_config("--cmakedir"))
        .profile("Release")
        .build();
    println!("cargo:rustc-link-search=native={}/lib", dst.display());
    println!("cargo:rustc-link-lib=static=jsrt_aotc_wamr");
    println!("cargo:rustc-link-search=native={lib_dir}");
    println!("cargo:rustc-link-lib=dylib=LLVM-16");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{lib_dir}");
    for lib in ["stdc++", "m", "dl", "pthread"] {
        println!("cargo:rustc-link-lib=dylib={lib}");
    }
    println!("cargo:rerun-if-changed=wamr");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LLVM_CONFIG");
    for part in ["core/iwasm", "core/shared", "build-scripts"] {
        println!("cargo:rerun-if-changed={}", wamr_root.join(part).display());
    }
}
