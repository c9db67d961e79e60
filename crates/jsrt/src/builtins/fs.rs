//! Natives for `jsrt:fs`: synchronous file operations and their promise versions, which run
//! on tokio's blocking pool. Errors carry Node's `code` (`ENOENT`, `EACCES`, ...), `errno`,
//! `syscall` and `path`.

use std::io;
use std::path::Path;

use rquickjs::{function::Opt, Ctx, Function, Object, Value};

use super::bytes::{uint8array, ByteView};
use crate::event_loop::{self, Settle};

fn code_of(e: &io::Error) -> &'static str {
    match e.raw_os_error() {
        Some(2) => "ENOENT",
        Some(13) => "EACCES",
        Some(17) => "EEXIST",
        Some(20) => "ENOTDIR",
        Some(21) => "EISDIR",
        Some(39) => "ENOTEMPTY",
        Some(1) => "EPERM",
        Some(9) => "EBADF",
        Some(24) => "EMFILE",
        Some(22) => "EINVAL",
        _ => match e.kind() {
            io::ErrorKind::NotFound => "ENOENT",
            io::ErrorKind::PermissionDenied => "EACCES",
            io::ErrorKind::AlreadyExists => "EEXIST",
            _ => "EIO",
        },
    }
}

fn describe(code: &str) -> &'static str {
    match code {
        "ENOENT" => "no such file or directory",
        "EACCES" => "permission denied",
        "EEXIST" => "file already exists",
        "ENOTDIR" => "not a directory",
        "EISDIR" => "illegal operation on a directory",
        "ENOTEMPTY" => "directory not empty",
        "EPERM" => "operation not permitted",
        _ => "i/o error",
    }
}

/// A failed file operation, sendable across threads and turned into a JS error later.
struct FsError {
    code: &'static str,
    errno: i32,
    syscall: &'static str,
    path: String,
}

impl FsError {
    fn new(e: &io::Error, syscall: &'static str, path: &str) -> Self {
        FsError { code: code_of(e), errno: -e.raw_os_error().unwrap_or(5), syscall, path: path.into() }
    }

    fn throw<'js>(&self, ctx: &Ctx<'js>) -> rquickjs::Error {
        let msg = format!("{}: {}, {} '{}'", self.code, describe(self.code), self.syscall, self.path);
        match super::make_error(ctx, "Error", &msg, Some(self.code)) {
            Ok(err) => {
                if let Some(o) = err.as_object() {
                    let _ = o.set("errno", self.errno);
                    let _ = o.set("syscall", self.syscall);
                    let _ = o.set("path", self.path.as_str());
                }
                ctx.throw(err)
            }
            Err(e) => e,
        }
    }
}

/// File data read from disk: decoded text or raw bytes.
enum Data {
    Text(String),
    Bytes(Vec<u8>),
}

fn read(path: &str, utf8: bool) -> Result<Data, FsError> {
    let bytes = std::fs::read(path).map_err(|e| FsError::new(&e, "open", path))?;
    Ok(if utf8 {
        Data::Text(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    } else {
        Data::Bytes(bytes)
    })
}

fn data_to_js<'js>(ctx: &Ctx<'js>, d: Data) -> rquickjs::Result<Value<'js>> {
    match d {
        Data::Text(s) => Ok(rquickjs::String::from_str(ctx.clone(), &s)?.into_value()),
        Data::Bytes(b) => uint8array(ctx, b),
    }
}

fn write(path: &str, data: &[u8], append: bool) -> Result<(), FsError> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .append(append)
        .truncate(!append)
        .open(path)
        .map_err(|e| FsError::new(&e, "open", path))?;
    f.write_all(data).map_err(|e| FsError::new(&e, "write", path))
}

/// The bytes to write: a string (UTF-8) or binary data.
fn bytes_arg(v: &Value<'_>) -> rquickjs::Result<Vec<u8>> {
    if let Some(view) = ByteView::of(v) {
        return Ok(view.to_vec());
    }
    if let Some(s) = v.as_string() {
        return Ok(s.to_string()?.into_bytes());
    }
    Ok(Vec::new())
}

struct Stat {
    kind: u8, // 0 file, 1 dir, 2 symlink, 3 other
    size: f64,
    mode: u32,
    mtime_ms: f64,
    atime_ms: f64,
    ctime_ms: f64,
    birthtime_ms: f64,
    ino: f64,
    dev: f64,
    nlink: f64,
    uid: u32,
    gid: u32,
}

fn stat(path: &str, follow: bool) -> Result<Stat, FsError> {
    let m = if follow { std::fs::metadata(path) } else { std::fs::symlink_metadata(path) }
        .map_err(|e| FsError::new(&e, if follow { "stat" } else { "lstat" }, path))?;
    Ok(stat_of(&m))
}

fn stat_of(m: &std::fs::Metadata) -> Stat {
    use std::os::unix::fs::MetadataExt;
    let ft = m.file_type();
    let ms = |s: i64, ns: i64| s as f64 * 1000.0 + ns as f64 / 1e6;
    Stat {
        kind: if ft.is_file() { 0 } else if ft.is_dir() { 1 } else if ft.is_symlink() { 2 } else { 3 },
        size: m.len() as f64,
        mode: m.mode(),
        mtime_ms: ms(m.mtime(), m.mtime_nsec()),
        atime_ms: ms(m.atime(), m.atime_nsec()),
        ctime_ms: ms(m.ctime(), m.ctime_nsec()),
        birthtime_ms: m
            .created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or_else(|| ms(m.ctime(), m.ctime_nsec())),
        ino: m.ino() as f64,
        dev: m.dev() as f64,
        nlink: m.nlink() as f64,
        uid: m.uid(),
        gid: m.gid(),
    }
}

fn stat_to_js<'js>(ctx: &Ctx<'js>, s: Stat) -> rquickjs::Result<Value<'js>> {
    let o = Object::new(ctx.clone())?;
    o.set("kind", s.kind)?;
    o.set("size", s.size)?;
    o.set("mode", s.mode)?;
    o.set("mtimeMs", s.mtime_ms)?;
    o.set("atimeMs", s.atime_ms)?;
    o.set("ctimeMs", s.ctime_ms)?;
    o.set("birthtimeMs", s.birthtime_ms)?;
    o.set("ino", s.ino)?;
    o.set("dev", s.dev)?;
    o.set("nlink", s.nlink)?;
    o.set("uid", s.uid)?;
    o.set("gid", s.gid)?;
    Ok(o.into_value())
}

fn readdir(path: &str) -> Result<Vec<(String, u8)>, FsError> {
    let rd = std::fs::read_dir(path).map_err(|e| FsError::new(&e, "scandir", path))?;
    let mut out = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| FsError::new(&e, "scandir", path))?;
        let kind = match entry.file_type() {
            Ok(t) if t.is_file() => 0,
            Ok(t) if t.is_dir() => 1,
            Ok(t) if t.is_symlink() => 2,
            _ => 3,
        };
        out.push((entry.file_name().to_string_lossy().into_owned(), kind));
    }
    out.sort();
    Ok(out)
}

/// Turns a blocking result into a settle closure for the event loop.
fn settle<T: Send + 'static>(
    r: Result<T, FsError>,
    ok: impl for<'js> FnOnce(&Ctx<'js>, T) -> rquickjs::Result<Value<'js>> + Send + 'static,
) -> Settle {
    Box::new(move |ctx| match r {
        Ok(v) => ok(ctx, v),
        Err(e) => Err(e.throw(ctx)),
    })
}

thread_local! {
    /// Descriptors opened through `fs.open*` (operations on other numbers are EBADF, so JS
    /// cannot close or read the runtime's own descriptors).
    static OPEN_FDS: std::cell::RefCell<std::collections::HashSet<i32>> = std::cell::RefCell::new(Default::default());
}

fn ebadf(syscall: &'static str) -> FsError {
    FsError { code: "EBADF", errno: -9, syscall, path: String::new() }
}

/// Runs `f` on the open file `fd` without taking ownership of it.
fn with_file<T>(fd: i32, syscall: &'static str, f: impl FnOnce(&std::fs::File) -> io::Result<T>) -> Result<T, FsError> {
    use std::os::unix::io::FromRawFd;
    if !OPEN_FDS.with(|o| o.borrow().contains(&fd)) {
        return Err(ebadf(syscall));
    }
    // SAFETY: `fd` was opened by `open` below and is still in OPEN_FDS (not closed); the
    // ManuallyDrop keeps this temporary File from closing it.
    let file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    f(&file).map_err(|e| FsError::new(&e, syscall, ""))
}

fn view_arg<'js>(ctx: &Ctx<'js>, buf: &Value<'js>) -> rquickjs::Result<ByteView<'js>> {
    ByteView::of(buf).ok_or_else(|| super::throw(ctx, "TypeError", "The \"buffer\" argument must be an ArrayBufferView", None))
}

/// `offset..offset + length`, clamped to a buffer of `len` bytes.
fn clamp(offset: usize, length: usize, len: usize) -> std::ops::Range<usize> {
    let end = offset.saturating_add(length).min(len);
    offset.min(end)..end
}

/// Node's numeric open flags (Linux values) to OpenOptions.
fn open_fd(path: &str, flags: i32, mode: u32) -> Result<i32, FsError> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::IntoRawFd;
    let acc = flags & 3;
    let mut o = std::fs::OpenOptions::new();
    o.read(acc == 0 || acc == 2)
        .write(acc == 1 || acc == 2)
        .append(flags & 0o2000 != 0)
        .truncate(flags & 0o1000 != 0)
        .mode(mode);
    if flags & 0o100 != 0 {
        if flags & 0o200 != 0 {
            o.create_new(true);
        } else {
            o.create(true);
        }
    }
    let file = o.open(path).map_err(|e| FsError::new(&e, "open", path))?;
    let fd = file.into_raw_fd();
    OPEN_FDS.with(|s| s.borrow_mut().insert(fd));
    Ok(fd)
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let fs = Object::new(ctx.clone())?;
    install_descriptors(ctx, &fs)?;
    install_whole_files(ctx, &fs)?;
    install_paths(ctx, &fs)?;
    install_links(ctx, &fs)?;
    native.set("fs", fs)?;
    Ok(())
}

/// The descriptor calls: `open`, `close`, `read`, `write`, `fstat`, `fsync`, `ftruncate`.
fn install_descriptors<'js>(ctx: &Ctx<'js>, fs: &Object<'js>) -> rquickjs::Result<()> {
    let c2 = || ctx.clone();
    fs.set(
        "open",
        Function::new(c2(), |ctx: Ctx<'js>, path: String, flags: i32, mode: Opt<u32>| {
            open_fd(&path, flags, mode.0.unwrap_or(0o666)).map_err(|e| e.throw(&ctx))
        })?,
    )?;
    fs.set(
        "close",
        Function::new(c2(), |ctx: Ctx<'js>, fd: i32| {
            use std::os::unix::io::FromRawFd;
            if !OPEN_FDS.with(|o| o.borrow_mut().remove(&fd)) {
                return Err(ebadf("close").throw(&ctx));
            }
            // SAFETY: `fd` was opened by `open` and just removed from OPEN_FDS: closed once.
            drop(unsafe { std::fs::File::from_raw_fd(fd) });
            Ok(())
        })?,
    )?;
    // read(fd, view, offset, length, position (-1: current)) -> bytes read
    fs.set(
        "read",
        Function::new(c2(), |ctx: Ctx<'js>, fd: i32, buf: Value<'js>, offset: usize, length: usize, position: f64| {
            use std::io::Read;
            use std::os::unix::fs::FileExt;
            let view = view_arg(&ctx, &buf)?;
            let all = view.as_mut_slice();
            let range = clamp(offset, length, all.len());
            let dst = &mut all[range];
            if fd == 0 {
                return std::io::stdin().read(dst).map(|n| n as f64).map_err(|e| FsError::new(&e, "read", "").throw(&ctx));
            }
            with_file(fd, "read", |mut f| if position >= 0.0 { f.read_at(dst, position as u64) } else { f.read(dst) })
                .map(|n| n as f64)
                .map_err(|e| e.throw(&ctx))
        })?,
    )?;
    // write(fd, view, offset, length, position (-1: current)) -> bytes written
    fs.set(
        "write",
        Function::new(c2(), |ctx: Ctx<'js>, fd: i32, buf: Value<'js>, offset: usize, length: usize, position: f64| {
            use std::io::Write;
            use std::os::unix::fs::FileExt;
            let view = view_arg(&ctx, &buf)?;
            let all = view.as_slice();
            let src = &all[clamp(offset, length, all.len())];
            if fd == 1 || fd == 2 {
                // Through the runtime's own stdout/stderr so output stays in order.
                let r = if fd == 1 { std::io::stdout().lock().write_all(src) } else { std::io::stderr().lock().write_all(src) };
                return r.map(|_| src.len() as f64).map_err(|e| FsError::new(&e, "write", "").throw(&ctx));
            }
            with_file(fd, "write", |mut f| if position >= 0.0 { f.write_at(src, position as u64) } else { f.write(src) })
                .map(|n| n as f64)
                .map_err(|e| e.throw(&ctx))
        })?,
    )?;
    fs.set(
        "fstat",
        Function::new(c2(), |ctx: Ctx<'js>, fd: i32| {
            let m = with_file(fd, "fstat", |f| f.metadata()).map_err(|e| e.throw(&ctx))?;
            stat_to_js(&ctx, stat_of(&m))
        })?,
    )?;
    // fsync(fd, dataOnly)
    fs.set(
        "fsync",
        Function::new(c2(), |ctx: Ctx<'js>, fd: i32, data_only: bool| {
            with_file(fd, "fsync", |f| if data_only { f.sync_data() } else { f.sync_all() }).map_err(|e| e.throw(&ctx))
        })?,
    )?;
    fs.set(
        "ftruncate",
        Function::new(c2(), |ctx: Ctx<'js>, fd: i32, len: f64| {
            with_file(fd, "ftruncate", |f| f.set_len(len.max(0.0) as u64)).map_err(|e| e.throw(&ctx))
        })?,
    )?;
    Ok(())
}

/// Whole files: `readFile`, `writeFile` and their `Async` forms.
fn install_whole_files<'js>(ctx: &Ctx<'js>, fs: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    fs.set(
        "readFile",
        Function::new(c(), |ctx: Ctx<'js>, path: String, utf8: Opt<bool>| {
            let d = read(&path, utf8.0.unwrap_or(false)).map_err(|e| e.throw(&ctx))?;
            data_to_js(&ctx, d)
        })?,
    )?;
    fs.set(
        "readFileAsync",
        Function::new(c(), |ctx: Ctx<'js>, path: String, utf8: Opt<bool>| {
            let utf8 = utf8.0.unwrap_or(false);
            event_loop::spawn_blocking(&ctx, move || settle(read(&path, utf8), data_to_js))
        })?,
    )?;
    fs.set(
        "writeFile",
        Function::new(c(), |ctx: Ctx<'js>, path: String, data: Value<'js>, append: Opt<bool>| {
            let bytes = bytes_arg(&data)?;
            write(&path, &bytes, append.0.unwrap_or(false)).map_err(|e| e.throw(&ctx))
        })?,
    )?;
    fs.set(
        "writeFileAsync",
        Function::new(c(), |ctx: Ctx<'js>, path: String, data: Value<'js>, append: Opt<bool>| {
            let bytes = bytes_arg(&data)?;
            let append = append.0.unwrap_or(false);
            event_loop::spawn_blocking(&ctx, move || {
                settle(write(&path, &bytes, append), |ctx, ()| Ok(Value::new_undefined(ctx.clone())))
            })
        })?,
    )?;
    Ok(())
}

/// Paths: `exists`, `stat`, `readdir`, `mkdir`, `rm`, `unlink`, `rename`, `realpath`.
fn install_paths<'js>(ctx: &Ctx<'js>, fs: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    fs.set(
        "exists",
        Function::new(c(), |path: String| Path::new(&path).exists())?,
    )?;
    fs.set(
        "stat",
        Function::new(c(), |ctx: Ctx<'js>, path: String, follow: Opt<bool>| {
            let s = stat(&path, follow.0.unwrap_or(true)).map_err(|e| e.throw(&ctx))?;
            stat_to_js(&ctx, s)
        })?,
    )?;
    fs.set(
        "statAsync",
        Function::new(c(), |ctx: Ctx<'js>, path: String, follow: Opt<bool>| {
            let follow = follow.0.unwrap_or(true);
            event_loop::spawn_blocking(&ctx, move || settle(stat(&path, follow), stat_to_js))
        })?,
    )?;
    fs.set(
        "readdir",
        Function::new(c(), |ctx: Ctx<'js>, path: String| {
            let entries = readdir(&path).map_err(|e| e.throw(&ctx))?;
            let arr = rquickjs::Array::new(ctx.clone())?;
            for (i, (name, kind)) in entries.into_iter().enumerate() {
                arr.set(i, vec![rquickjs::Value::new_number(ctx.clone(), kind as f64), rquickjs::String::from_str(ctx.clone(), &name)?.into_value()])?;
            }
            Ok::<_, rquickjs::Error>(arr)
        })?,
    )?;
    fs.set(
        "mkdir",
        Function::new(c(), |ctx: Ctx<'js>, path: String, recursive: Opt<bool>| {
            let r = if recursive.0.unwrap_or(false) {
                std::fs::create_dir_all(&path)
            } else {
                std::fs::create_dir(&path)
            };
            r.map_err(|e| FsError::new(&e, "mkdir", &path).throw(&ctx))
        })?,
    )?;
    fs.set(
        "rm",
        Function::new(c(), |ctx: Ctx<'js>, path: String, recursive: Opt<bool>, force: Opt<bool>| {
            let p = Path::new(&path);
            let r = match std::fs::symlink_metadata(p) {
                Ok(m) if m.is_dir() => {
                    if recursive.0.unwrap_or(false) {
                        std::fs::remove_dir_all(p)
                    } else {
                        std::fs::remove_dir(p)
                    }
                }
                Ok(_) => std::fs::remove_file(p),
                Err(e) if force.0.unwrap_or(false) && e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e),
            };
            r.map_err(|e| FsError::new(&e, "rm", &path).throw(&ctx))
        })?,
    )?;
    fs.set(
        "unlink",
        Function::new(c(), |ctx: Ctx<'js>, path: String| {
            std::fs::remove_file(&path).map_err(|e| FsError::new(&e, "unlink", &path).throw(&ctx))
        })?,
    )?;
    fs.set(
        "rename",
        Function::new(c(), |ctx: Ctx<'js>, from: String, to: String| {
            std::fs::rename(&from, &to).map_err(|e| FsError::new(&e, "rename", &from).throw(&ctx))
        })?,
    )?;
    fs.set(
        "realpath",
        Function::new(c(), |ctx: Ctx<'js>, path: String| {
            std::fs::canonicalize(&path)
                .map(|p| p.to_string_lossy().into_owned())
                .map_err(|e| FsError::new(&e, "realpath", &path).throw(&ctx))
        })?,
    )?;
    Ok(())
}

/// `symlink(target, path)`, `readlink(path)`, `link(existing, path)`.
fn install_links<'js>(ctx: &Ctx<'js>, fs: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    fs.set(
        "symlink",
        Function::new(c(), |ctx: Ctx<'js>, target: String, path: String| {
            std::os::unix::fs::symlink(&target, &path).map_err(|e| FsError::new(&e, "symlink", &target).throw(&ctx))
        })?,
    )?;
    fs.set(
        "readlink",
        Function::new(c(), |ctx: Ctx<'js>, path: String| {
            std::fs::read_link(&path)
                .map(|p| p.to_string_lossy().into_owned())
                .map_err(|e| FsError::new(&e, "readlink", &path).throw(&ctx))
        })?,
    )?;
    fs.set(
        "link",
        Function::new(c(), |ctx: Ctx<'js>, existing: String, path: String| {
            std::fs::hard_link(&existing, &path).map_err(|e| FsError::new(&e, "link", &existing).throw(&ctx))
        })?,
    )?;
    Ok(())
}
