//! Natives for `jsrt:wasi`'s filesystem: every descriptor a WASI program holds is a real
//! file or directory handle, and every path it names is resolved *beneath* a directory
//! handle through `cap-std` (openat2 `RESOLVE_BENEATH` where the kernel has it, a checked
//! component-by-component walk otherwise). So `..`, absolute paths and symlinks whose target
//! leaves the preopened directory fail — with `EPERM`, as in wasmtime, whose WASI filesystem
//! is built on the same crate — and no check-then-open race exists: the check *is* the open.
//!
//! Results are WASI errno values (`wasi_snapshot_preview1`), ready to return to the program;
//! functions that produce something return it, or a number (the errno) on failure.

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::time::SystemTime;

use cap_fs_ext::{DirExt, FollowSymlinks, MetadataExt, OpenOptionsFollowExt};
use cap_std::fs::{Dir, Metadata, OpenOptions};
use rquickjs::class::Trace;
use rquickjs::{Class, Ctx, Function, JsLifetime, Object, Value};

use super::bytes::ByteView;

/// WASI errno values used here (`wasi/api.h`).
mod errno {
    pub const SUCCESS: u16 = 0;
    pub const ACCES: u16 = 2;
    pub const AGAIN: u16 = 6;
    pub const BADF: u16 = 8;
    pub const BUSY: u16 = 10;
    pub const EXIST: u16 = 20;
    pub const FBIG: u16 = 22;
    pub const INTR: u16 = 27;
    pub const INVAL: u16 = 28;
    pub const IO: u16 = 29;
    pub const ISDIR: u16 = 31;
    pub const LOOP: u16 = 32;
    pub const MFILE: u16 = 33;
    pub const MLINK: u16 = 34;
    pub const NAMETOOLONG: u16 = 37;
    pub const NFILE: u16 = 41;
    pub const NOENT: u16 = 44;
    pub const NOMEM: u16 = 48;
    pub const NOSPC: u16 = 51;
    pub const NOTDIR: u16 = 54;
    pub const NOTEMPTY: u16 = 55;
    pub const NOTSUP: u16 = 58;
    pub const OVERFLOW: u16 = 61;
    pub const PERM: u16 = 63;
    pub const PIPE: u16 = 64;
    pub const ROFS: u16 = 69;
    pub const SPIPE: u16 = 70;
    pub const TXTBSY: u16 = 74;
    pub const XDEV: u16 = 75;
}

/// WASI file types (`__WASI_FILETYPE_*`).
mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `path_open`'s `oflags` and `fdflags` bits.
const OFLAGS_CREAT: u32 = 1;
const OFLAGS_DIRECTORY: u32 = 2;
const OFLAGS_EXCL: u32 = 4;
const OFLAGS_TRUNC: u32 = 8;
const FDFLAGS_APPEND: u32 = 1;

/// The WASI errno for an I/O error. cap-std reports a path that would leave its directory as
/// `PermissionDenied` without an OS error code: that is `EPERM`, as wasmtime answers.
fn errno_of(e: &io::Error) -> u16 {
    let Some(os) = e.raw_os_error() else {
        return match e.kind() {
            io::ErrorKind::PermissionDenied => errno::PERM,
            io::ErrorKind::NotFound => errno::NOENT,
            io::ErrorKind::AlreadyExists => errno::EXIST,
            io::ErrorKind::InvalidInput => errno::INVAL,
            io::ErrorKind::Unsupported => errno::NOTSUP,
            _ => errno::IO,
        };
    };
    match os {
        libc::EPERM => errno::PERM,
        libc::ENOENT => errno::NOENT,
        libc::EINTR => errno::INTR,
        libc::EBADF => errno::BADF,
        libc::EAGAIN => errno::AGAIN,
        libc::ENOMEM => errno::NOMEM,
        libc::EACCES => errno::ACCES,
        libc::EBUSY => errno::BUSY,
        libc::EEXIST => errno::EXIST,
        libc::EXDEV => errno::XDEV,
        libc::ENOTDIR => errno::NOTDIR,
        libc::EISDIR => errno::ISDIR,
        libc::EINVAL => errno::INVAL,
        libc::ENFILE => errno::NFILE,
        libc::EMFILE => errno::MFILE,
        libc::ETXTBSY => errno::TXTBSY,
        libc::EFBIG => errno::FBIG,
        libc::ENOSPC => errno::NOSPC,
        libc::ESPIPE => errno::SPIPE,
        libc::EROFS => errno::ROFS,
        libc::EMLINK => errno::MLINK,
        libc::EPIPE => errno::PIPE,
        libc::ENAMETOOLONG => errno::NAMETOOLONG,
        libc::ENOTEMPTY => errno::NOTEMPTY,
        libc::ELOOP => errno::LOOP,
        libc::EOVERFLOW => errno::OVERFLOW,
        libc::EOPNOTSUPP => errno::NOTSUP,
        _ => errno::IO,
    }
}

/// An open WASI descriptor: a directory (paths resolve beneath it) or a file.
enum Handle {
    Dir(Dir),
    File(std::fs::File),
}

/// The JS-side object of one descriptor; the OS handle closes when it is closed or collected.
#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "WasiDescriptor")]
pub struct WasiDescriptor {
    #[qjs(skip_trace)]
    handle: Option<Handle>,
}

type Desc<'js> = Class<'js, WasiDescriptor>;

fn new_desc<'js>(ctx: &Ctx<'js>, handle: Handle) -> rquickjs::Result<Value<'js>> {
    Ok(Class::instance(ctx.clone(), WasiDescriptor { handle: Some(handle) })?.into_value())
}

/// Runs `f` on the directory behind `d`; `ENOTDIR` for a file, `EBADF` once closed.
fn with_dir<T>(d: &Desc<'_>, f: impl FnOnce(&Dir) -> Result<T, u16>) -> Result<T, u16> {
    match &d.borrow().handle {
        Some(Handle::Dir(dir)) => f(dir),
        Some(Handle::File(_)) => Err(errno::NOTDIR),
        None => Err(errno::BADF),
    }
}

/// Runs `f` on the file behind `d`; `EISDIR` for a directory, `EBADF` once closed.
fn with_file<T>(d: &Desc<'_>, f: impl FnOnce(&std::fs::File) -> io::Result<T>) -> Result<T, u16> {
    match &d.borrow().handle {
        Some(Handle::File(file)) => f(file).map_err(|e| errno_of(&e)),
        Some(Handle::Dir(_)) => Err(errno::ISDIR),
        None => Err(errno::BADF),
    }
}

/// A value for JS: the result, or the errno as a number.
fn or_errno<'js, T: rquickjs::IntoJs<'js>>(ctx: &Ctx<'js>, r: Result<T, u16>) -> rquickjs::Result<Value<'js>> {
    match r {
        Ok(v) => v.into_js(ctx),
        Err(e) => Ok(Value::new_int(ctx.clone(), e as i32)),
    }
}

/// A read or write of the file `d` with the bytes of the view `buf` (into wasm memory, or
/// from it): the bytes moved, or minus the errno.
fn transfer<'js>(d: &Desc<'js>, buf: &Value<'js>, op: impl FnOnce(&std::fs::File, &mut [u8]) -> io::Result<usize>) -> rquickjs::Result<f64> {
    let view = ByteView::of(buf).ok_or(rquickjs::Error::new_from_js("value", "Uint8Array"))?;
    let bytes = view.as_mut_slice();
    Ok(count_or_errno(with_file(d, |f| op(f, bytes))))
}

/// A byte count, or minus the errno.
fn count_or_errno(r: Result<usize, u16>) -> f64 {
    match r {
        Ok(n) => n as f64,
        Err(e) => -(e as f64),
    }
}

fn status(r: Result<(), u16>) -> u16 {
    r.err().unwrap_or(errno::SUCCESS)
}

fn follow_of(follow: bool) -> FollowSymlinks {
    if follow { FollowSymlinks::Yes } else { FollowSymlinks::No }
}

/// What `path_open` asks for, from its flags and rights.
struct OpenRequest {
    follow: bool,
    oflags: u32,
    fdflags: u32,
    read: bool,
    write: bool,
}

/// `path_open`: a directory when asked for one or when the path names one, else a file.
fn open_beneath(dir: &Dir, path: &str, req: &OpenRequest) -> Result<Handle, u16> {
    if req.oflags & OFLAGS_DIRECTORY != 0 {
        if req.oflags & (OFLAGS_CREAT | OFLAGS_TRUNC) != 0 {
            return Err(errno::INVAL);
        }
        let opened = if req.follow { dir.open_dir(path) } else { dir.open_dir_nofollow(path) };
        return opened.map(Handle::Dir).map_err(|e| errno_of(&e));
    }
    let mut o = OpenOptions::new();
    let create = req.oflags & OFLAGS_CREAT != 0;
    let truncate = req.oflags & OFLAGS_TRUNC != 0;
    let write = req.write || truncate;
    o.read(req.read || !write)
        .write(write)
        .append(req.fdflags & FDFLAGS_APPEND != 0)
        .truncate(truncate)
        .follow(follow_of(req.follow));
    if create {
        if req.oflags & OFLAGS_EXCL != 0 {
            o.create_new(true);
        } else {
            o.create(true);
        }
        if !write {
            o.write(true);
        }
    }
    let file = dir.open_with(path, &o).map_err(|e| errno_of(&e))?.into_std();
    let is_dir = file.metadata().map(|m| m.is_dir()).unwrap_or(false);
    Ok(if is_dir { Handle::Dir(Dir::from_std_file(file)) } else { Handle::File(file) })
}

/// The WASI file type of a file type.
fn filetype_of(t: &cap_std::fs::FileType) -> u8 {
    use cap_fs_ext::FileTypeExt;
    if t.is_dir() {
        filetype::DIRECTORY
    } else if t.is_file() {
        filetype::REGULAR_FILE
    } else if t.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if t.is_char_device() {
        filetype::CHARACTER_DEVICE
    } else if t.is_block_device() {
        filetype::BLOCK_DEVICE
    } else if t.is_socket() {
        filetype::SOCKET_STREAM
    } else {
        filetype::UNKNOWN
    }
}

/// Seconds and nanoseconds since the epoch (0 when the platform has no such time).
fn time_parts(t: io::Result<cap_std::time::SystemTime>) -> (f64, f64) {
    let Ok(t) = t else { return (0.0, 0.0) };
    match t.into_std().duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as f64, d.subsec_nanos() as f64),
        Err(_) => (0.0, 0.0),
    }
}

/// A filestat as `[filetype, size, dev, ino, nlink, atimS, atimNs, mtimS, mtimNs, ctimS, ctimNs]`
/// (times split so that nanoseconds stay exact in doubles; JS assembles the u64s).
fn filestat(m: &Metadata) -> Vec<f64> {
    let (a, an) = time_parts(m.accessed());
    let (mo, mn) = time_parts(m.modified());
    let (c, cn) = (cap_fs_ext::OsMetadataExt::ctime(m) as f64, cap_fs_ext::OsMetadataExt::ctime_nsec(m) as f64);
    let t = filetype_of(&m.file_type()) as f64;
    vec![t, m.len() as f64, m.dev() as f64, m.ino() as f64, m.nlink() as f64, a, an, mo, mn, c, cn]
}

/// `fd_readdir`'s entries: `.` and `..` first (as wasmtime lists them), then the directory's,
/// each `[name, filetype, ino]`.
fn read_dir(dir: &Dir) -> Result<Vec<(String, u8, f64)>, u16> {
    let own = dir.dir_metadata().map_err(|e| errno_of(&e))?;
    let mut out = vec![(".".to_string(), filetype::DIRECTORY, own.ino() as f64), ("..".to_string(), filetype::DIRECTORY, 0.0)];
    for entry in dir.entries().map_err(|e| errno_of(&e))? {
        let entry = entry.map_err(|e| errno_of(&e))?;
        let t = entry.file_type().map(|t| filetype_of(&t)).unwrap_or(filetype::UNKNOWN);
        use cap_fs_ext::DirEntryExt;
        let ino = entry.full_metadata().map(|m| m.ino() as f64).unwrap_or(0.0);
        out.push((entry.file_name().to_string_lossy().into_owned(), t, ino));
    }
    Ok(out)
}

fn seek(file: &std::fs::File, offset: f64, whence: u32) -> io::Result<u64> {
    let mut f = file;
    let pos = match whence {
        0 if offset >= 0.0 => SeekFrom::Start(offset as u64),
        0 => return Err(io::Error::from_raw_os_error(libc::EINVAL)),
        1 => SeekFrom::Current(offset as i64),
        2 => SeekFrom::End(offset as i64),
        _ => return Err(io::Error::from_raw_os_error(libc::EINVAL)),
    };
    f.seek(pos)
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let wasi = Object::new(ctx.clone())?;
    install_descriptors(ctx, &wasi)?;
    install_io(ctx, &wasi)?;
    install_paths(ctx, &wasi)?;
    native.set("wasi", wasi)
}

/// Opening and closing: `preopen`, `open`, `close`, `isDir`.
fn install_descriptors<'js>(ctx: &Ctx<'js>, wasi: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    // preopen(hostPath) -> descriptor; throws (with `code`) when it is not a directory.
    wasi.set(
        "preopen",
        Function::new(c(), |ctx: Ctx<'js>, path: String| {
            match Dir::open_ambient_dir(&path, cap_std::ambient_authority()) {
                Ok(dir) => new_desc(&ctx, Handle::Dir(dir)),
                Err(e) => {
                    let msg = format!("cannot preopen '{path}': {e}");
                    Err(super::throw(&ctx, "Error", &msg, Some(if e.kind() == io::ErrorKind::NotFound { "ENOENT" } else { "EIO" })))
                }
            }
        })?,
    )?;
    // open(dir, path, lookupflags, oflags, fdflags, access (1 read | 2 write)) -> descriptor | errno
    wasi.set(
        "open",
        Function::new(c(), |ctx: Ctx<'js>, d: Desc<'js>, path: String, lookupflags: u32, oflags: u32, fdflags: u32, access: u32| {
            let req = OpenRequest { follow: lookupflags & 1 != 0, oflags, fdflags, read: access & 1 != 0, write: access & 2 != 0 };
            match with_dir(&d, |dir| open_beneath(dir, &path, &req)) {
                Ok(h) => new_desc(&ctx, h),
                Err(e) => Ok(Value::new_int(ctx, e as i32)),
            }
        })?,
    )?;
    wasi.set(
        "close",
        Function::new(c(), |d: Desc<'js>| if d.borrow_mut().handle.take().is_some() { errno::SUCCESS } else { errno::BADF })?,
    )?;
    wasi.set("isDir", Function::new(c(), |d: Desc<'js>| matches!(d.borrow().handle, Some(Handle::Dir(_))))?)?;
    Ok(())
}

/// Reading and writing open descriptors.
fn install_io<'js>(ctx: &Ctx<'js>, wasi: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    // read(d, view, position (-1: current)) -> bytes read, or -errno
    wasi.set(
        "read",
        Function::new(c(), |d: Desc<'js>, buf: Value<'js>, pos: f64| {
            transfer(&d, &buf, |mut f, bytes| if pos < 0.0 { f.read(bytes) } else { f.read_at(bytes, pos as u64) })
        })?,
    )?;
    // write(d, view, position (-1: current)) -> bytes written, or -errno
    wasi.set(
        "write",
        Function::new(c(), |d: Desc<'js>, buf: Value<'js>, pos: f64| {
            transfer(&d, &buf, |mut f, bytes| if pos < 0.0 { f.write(bytes) } else { f.write_at(bytes, pos as u64) })
        })?,
    )?;
    // seek(d, offset, whence) -> [errno, new offset] (both are numbers, so a pair).
    wasi.set(
        "seek",
        Function::new(c(), |d: Desc<'js>, offset: f64, whence: u32| match with_file(&d, |f| seek(f, offset, whence)) {
            Ok(n) => vec![0.0, n as f64],
            Err(e) => vec![e as f64, 0.0],
        })?,
    )?;
    wasi.set(
        "sync",
        Function::new(c(), |d: Desc<'js>, data_only: bool| {
            if let Some(Handle::Dir(_)) = d.borrow().handle {
                return errno::SUCCESS;
            }
            status(with_file(&d, |f| if data_only { f.sync_data() } else { f.sync_all() }))
        })?,
    )?;
    wasi.set("setSize", Function::new(c(), |d: Desc<'js>, size: f64| status(with_file(&d, |f| f.set_len(size as u64))))?)?;
    // stat(d) -> filestat array | errno
    wasi.set(
        "stat",
        Function::new(c(), |ctx: Ctx<'js>, d: Desc<'js>| {
            let r = match &d.borrow().handle {
                Some(Handle::Dir(dir)) => dir.dir_metadata().map(|m| filestat(&m)).map_err(|e| errno_of(&e)),
                Some(Handle::File(f)) => f.metadata().map(|m| filestat(&Metadata::from_just_metadata(m))).map_err(|e| errno_of(&e)),
                None => Err(errno::BADF),
            };
            or_errno(&ctx, r)
        })?,
    )?;
    // readdir(d) -> [[name, filetype, ino], ...] | errno
    wasi.set(
        "readdir",
        Function::new(c(), |ctx: Ctx<'js>, d: Desc<'js>| {
            match with_dir(&d, read_dir) {
                Ok(entries) => {
                    let arr = rquickjs::Array::new(ctx.clone())?;
                    for (i, (name, t, ino)) in entries.into_iter().enumerate() {
                        let e = rquickjs::Array::new(ctx.clone())?;
                        e.set(0, name)?;
                        e.set(1, t)?;
                        e.set(2, ino)?;
                        arr.set(i, e)?;
                    }
                    Ok::<_, rquickjs::Error>(arr.into_value())
                }
                Err(e) => Ok(Value::new_int(ctx, e as i32)),
            }
        })?,
    )?;
    Ok(())
}

/// Operations on paths beneath a directory descriptor.
fn install_paths<'js>(ctx: &Ctx<'js>, wasi: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    // pathStat(dir, path, follow) -> filestat array | errno
    wasi.set(
        "pathStat",
        Function::new(c(), |ctx: Ctx<'js>, d: Desc<'js>, path: String, follow: bool| {
            let r = with_dir(&d, |dir| {
                let m = if follow { dir.metadata(&path) } else { dir.symlink_metadata(&path) };
                m.map(|m| filestat(&m)).map_err(|e| errno_of(&e))
            });
            or_errno(&ctx, r)
        })?,
    )?;
    wasi.set("mkdir", Function::new(c(), |d: Desc<'js>, path: String| status(with_dir(&d, |dir| io(dir.create_dir(&path)))))?)?;
    wasi.set("rmdir", Function::new(c(), |d: Desc<'js>, path: String| status(with_dir(&d, |dir| io(dir.remove_dir(&path)))))?)?;
    wasi.set("unlink", Function::new(c(), |d: Desc<'js>, path: String| status(with_dir(&d, |dir| io(dir.remove_file_or_symlink(&path)))))?)?;
    // symlink(target, dir, path): the link is made beneath `dir`; its target is only text
    // until something follows it, and following is checked then.
    wasi.set(
        "symlink",
        Function::new(c(), |target: String, d: Desc<'js>, path: String| status(with_dir(&d, |dir| io(dir.symlink(&target, &path)))))?,
    )?;
    // rename(dir, path, newDir, newPath) and link(dir, path, newDir, newPath) -> errno
    wasi.set(
        "rename",
        Function::new(c(), |d: Desc<'js>, path: String, d2: Desc<'js>, path2: String| {
            status(with_dir(&d, |from| with_dir(&d2, |to| io(from.rename(&path, to, &path2)))))
        })?,
    )?;
    wasi.set(
        "link",
        Function::new(c(), |d: Desc<'js>, path: String, d2: Desc<'js>, path2: String| {
            status(with_dir(&d, |from| with_dir(&d2, |to| io(from.hard_link(&path, to, &path2)))))
        })?,
    )?;
    // readlink(dir, path) -> target | errno; a target that leaves the directory is refused.
    wasi.set(
        "readlink",
        Function::new(c(), |ctx: Ctx<'js>, d: Desc<'js>, path: String| {
            let r = with_dir(&d, |dir| dir.read_link(&path).map(|p| p.to_string_lossy().into_owned()).map_err(|e| errno_of(&e)));
            or_errno(&ctx, r)
        })?,
    )?;
    Ok(())
}

/// An I/O result as a WASI result.
fn io(r: io::Result<()>) -> Result<(), u16> {
    r.map_err(|e| errno_of(&e))
}
