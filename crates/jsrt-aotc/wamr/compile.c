/* jsrt-aotc's one call into WAMR's compiler: wasm bytes in, an AOT file (WAMR's format) out.
 * The options are the runtime's (wamr/CMakeLists.txt): software bounds checks, since the
 * jsrt binary's WAMR has no guard pages (WASM_DISABLE_HW_BOUND_CHECK); native stack checks,
 * so deep recursion is a "native stack overflow" trap as in the interpreter; the auxiliary
 * (C) stack checks the fast interpreter does too ("wasm auxiliary stack overflow"). */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "wasm_export.h"
#include "aot_export.h"

int
jsrt_aot_compile(uint8_t *wasm, uint32_t wasm_size, uint32_t opt_level,
                 uint8_t **out, uint32_t *out_size, char *err, uint32_t err_size)
{
    RuntimeInitArgs init_args;
    wasm_module_t module = NULL;
    aot_comp_data_t comp_data = NULL;
    aot_comp_context_t comp_ctx = NULL;
    AOTCompOption option;
    int ok = 0;

    memset(&init_args, 0, sizeof(init_args));
    init_args.mem_alloc_type = Alloc_With_System_Allocator;
    if (!wasm_runtime_full_init(&init_args)) {
        snprintf(err, err_size, "WAMR failed to initialise");
        return 0;
    }

    memset(&option, 0, sizeof(option));
    option.opt_level = opt_level;
    option.size_level = 3;
    option.output_format = AOT_FORMAT_FILE;
    option.bounds_checks = 1;
    option.stack_bounds_checks = 1;
    option.enable_aux_stack_check = true;
    option.enable_bulk_memory = true;
    option.enable_bulk_memory_opt = true;
    option.enable_ref_types = true;
    option.enable_call_indirect_overlong = true;
    option.enable_tail_call = true;
    option.enable_simd = true;
    option.enable_extended_const = true;
    /* Suspend-flag checks at loop back-edges and after calls: how jsrt stops
       compiled code (time limits, termination; patched WAMR, see JSRT.md). */
    option.enable_thread_mgr = true;
    /* Stack traces: a function pushes a tiny frame (its index, the offset of
       the call) on the exec env's wasm stack before each call and takes it
       off after; one that traps pushes one for the trapping instruction. The
       runtime walks them (wasm_jsrt_stack; patched WAMR, see JSRT.md). */
    option.aux_stack_frame_type = AOT_STACK_FRAME_TYPE_TINY;
    memset(&option.call_stack_features, 0, sizeof(option.call_stack_features));
    option.call_stack_features.bounds_checks = true;
    option.call_stack_features.ip = true;
    option.call_stack_features.func_idx = true;
    option.call_stack_features.trap_ip = true;

    if (!(module = wasm_runtime_load(wasm, wasm_size, err, err_size)))
        goto done;
    if (!(comp_data = aot_create_comp_data(module, NULL, false))) {
        snprintf(err, err_size, "%s", aot_get_last_error());
        goto done;
    }
    if (!(comp_ctx = aot_create_comp_context(comp_data, &option))
        || !aot_compile_wasm(comp_ctx)
        /* For reading the machine code: JSRT_AOTC_OBJ=file.o also writes it as an
           ELF object (objdump -d). */
        || (getenv("JSRT_AOTC_OBJ") && !aot_emit_object_file(comp_ctx, getenv("JSRT_AOTC_OBJ")))
        || !(*out = aot_emit_aot_file_buf(comp_ctx, comp_data, out_size))) {
        snprintf(err, err_size, "%s", aot_get_last_error());
        goto done;
    }
    ok = 1;

done:
    if (comp_ctx)
        aot_destroy_comp_context(comp_ctx);
    if (comp_data)
        aot_destroy_comp_data(comp_data);
    if (module)
        wasm_runtime_unload(module);
    /* The runtime stays up: *out belongs to it (the process ends right after). */
    return ok;
}
