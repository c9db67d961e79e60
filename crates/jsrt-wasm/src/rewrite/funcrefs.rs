//! Job 5, funcrefs: WAMR hands a funcref to the host as a function index, and its API can
//! call a function only through an export; modules with tables or funcref types get one
//! hidden export per function (`func_export_name`), and every rewritten module with an init
//! function exports it as `INIT_EXPORT`.

use super::{func_export_name, leb, Scan, INIT_EXPORT};

/// Exports added for jsrt: the init function (when it runs), and every function when funcrefs
/// can reach the host: (count, entries).
pub(super) fn extra_exports(scan: &Scan, run_init: bool, internal: &dyn Fn(u32) -> bool) -> (u32, Vec<u8>) {
    let funcs = scan.import_funcs + scan.defined_funcs;
    let mut extra: (u32, Vec<u8>) = (0, Vec::new());
    if run_init {
        leb(INIT_EXPORT.len() as u32, &mut extra.1);
        extra.1.extend_from_slice(INIT_EXPORT.as_bytes());
        extra.1.push(0x00);
        leb(funcs, &mut extra.1);
        extra.0 += 1;
    }
    if scan.uses_funcref {
        for idx in (0..funcs).filter(|i| !internal(*i)) {
            let name = func_export_name(idx);
            leb(name.len() as u32, &mut extra.1);
            extra.1.extend_from_slice(name.as_bytes());
            extra.1.push(0x00);
            leb(idx, &mut extra.1);
            extra.0 += 1;
        }
    }
    extra
}
