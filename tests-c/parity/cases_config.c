/* wasm.h configs and engines, wasmtime/config.h, wasmtime/engine.h. */
#define _XOPEN_SOURCE 700
#include "parity.h"

#include <ftw.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Feature probes: one small module per WebAssembly feature. */
typedef struct {
  const char *feature;
  const char *flag; /* wabt option, or NULL */
  const char *text;
  const uint8_t *raw; /* hand-written binary instead of text */
  size_t raw_size;
} probe_t;

static const uint8_t custom_page_sizes_module[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                                   0x05, 0x04, 0x01, 0x08, 0x01, 0x00};

static const probe_t probes[] = {
    {"mvp", NULL, "(module (func (export \"f\") (param i32) (result i32) local.get 0 i32.const 1 i32.add))", NULL, 0},
    {"sign_ext", NULL, "(module (func (param i32) (result i32) local.get 0 i32.extend8_s))", NULL, 0},
    {"sat_float_to_int", NULL, "(module (func (param f32) (result i32) local.get 0 i32.trunc_sat_f32_s))", NULL, 0},
    {"mutable_global_import", NULL, "(module (import \"m\" \"g\" (global (mut i32))))", NULL, 0},
    {"simd", NULL, "(module (func (result v128) v128.const i64x2 1 2))", NULL, 0},
    {"relaxed_simd", "--enable-relaxed-simd",
     "(module (func (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.relaxed_swizzle))", NULL, 0},
    {"reference_types", NULL,
     "(module (table 1 externref) (table 1 funcref) (func (result externref) ref.null extern))", NULL, 0},
    {"bulk_memory", NULL,
     "(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))", NULL, 0},
    {"multi_value", NULL, "(module (func (result i32 i32) i32.const 1 i32.const 2))", NULL, 0},
    {"tail_call", "--enable-tail-call", "(module (func $f (result i32) return_call $f))", NULL, 0},
    {"multi_memory", "--enable-multi-memory", "(module (memory 1) (memory 1))", NULL, 0},
    {"memory64", "--enable-memory64", "(module (memory i64 1))", NULL, 0},
    {"threads", "--enable-threads", "(module (memory 1 1 shared))", NULL, 0},
    {"exceptions_tag", "--enable-exceptions", "(module (tag (param i32)))", NULL, 0},
    {"extended_const", "--enable-extended-const",
     "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))", NULL, 0},
    {"custom_page_sizes", NULL, NULL, custom_page_sizes_module, sizeof custom_page_sizes_module},
};
#define NPROBES (sizeof probes / sizeof probes[0])

static bytes_t probe_bytes(const probe_t *p) {
  if (p->raw) {
    bytes_t b = {malloc(p->raw_size), p->raw_size};
    memcpy(b.data, p->raw, p->raw_size);
    return b;
  }
  return wat_flags(p->text, p->flag);
}

static void validate_probe(wasm_engine_t *engine, const char *feature) {
  for (size_t i = 0; i < NPROBES; i++) {
    if (strcmp(probes[i].feature, feature) != 0) continue;
    bytes_t b = probe_bytes(&probes[i]);
    char l[128];
    snprintf(l, sizeof l, "validate %s", feature);
    report_validate(l, engine, b);
    free(b.data);
  }
}

static void validate_all_probes(wasm_engine_t *engine) {
  for (size_t i = 0; i < NPROBES; i++) validate_probe(engine, probes[i].feature);
}

/* Creates an engine from CONFIG and, when that works, compiles and runs the mvp probe. */
static void engine_smoke(wasm_config_t *config) {
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  out("engine: %s", engine ? "created" : "NULL");
  if (!engine) return;
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *cx = wasmtime_store_context(store);
  bytes_t b = wat(probes[0].text);
  wasmtime_module_t *m = NULL;
  wasmtime_error_t *err = wasmtime_module_new(engine, b.data, b.size, &m);
  report_error("module_new", err);
  if (m) {
    wasmtime_instance_t inst;
    wasm_trap_t *trap = NULL;
    err = wasmtime_instance_new(cx, m, NULL, 0, &inst, &trap);
    report_call("instance_new", err, trap);
    if (!err && !trap) {
      wasmtime_extern_t f;
      if (wasmtime_instance_export_get(cx, &inst, "f", 1, &f)) {
        wasmtime_val_t a = v_i32(41), r;
        /* Fuel or epoch settings may make the call trap; report either way. */
        wasmtime_error_t *fuel_err = wasmtime_context_set_fuel(cx, 1000);
        if (fuel_err) wasmtime_error_delete(fuel_err);
        err = wasmtime_func_call(cx, &f.of.func, &a, 1, &r, 1, &trap);
        report_call("call f(41)", err, trap);
        if (!err && !trap) report_val("result", cx, &r);
      }
    }
    wasmtime_module_delete(m);
  }
  free(b.data);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
}

CASE(config_new_delete) {
  wasm_config_t *c = wasm_config_new();
  out("config: %s", c ? "created" : "NULL");
  wasm_config_delete(c);
  out("deleted");
}

CASE(config_engine_default) {
  wasm_engine_t *e = wasm_engine_new();
  out("engine: %s", e ? "created" : "NULL");
  out("is_pulley: %d", wasmtime_engine_is_pulley(e));
  wasm_engine_delete(e);
  engine_smoke(wasm_config_new());
}

CASE(config_default_features) {
  wasm_engine_t *e = wasm_engine_new();
  validate_all_probes(e);
  wasm_engine_delete(e);
}

/* One case per feature switch: the probe with the feature off and on. */
#define FEATURE_CASE(setter, feature)                           \
  CASE(config_feature_##setter) {                               \
    for (int on = 0; on < 2; on++) {                            \
      wasm_config_t *c = wasm_config_new();                     \
      wasmtime_config_##setter##_set(c, on);                    \
      wasm_engine_t *e = wasm_engine_new_with_config(c);        \
      out("%s=%d engine: %s", #setter, on, e ? "created" : "NULL"); \
      if (!e) continue;                                         \
      validate_probe(e, feature);                               \
      validate_probe(e, "mvp");                                 \
      wasm_engine_delete(e);                                    \
    }                                                           \
  }
FEATURE_CASE(wasm_simd, "simd")
FEATURE_CASE(wasm_relaxed_simd, "relaxed_simd")
FEATURE_CASE(wasm_reference_types, "reference_types")
FEATURE_CASE(wasm_bulk_memory, "bulk_memory")
FEATURE_CASE(wasm_multi_value, "multi_value")
FEATURE_CASE(wasm_tail_call, "tail_call")
FEATURE_CASE(wasm_multi_memory, "multi_memory")
FEATURE_CASE(wasm_memory64, "memory64")
FEATURE_CASE(wasm_threads, "threads")
FEATURE_CASE(wasm_exceptions, "exceptions_tag")
FEATURE_CASE(wasm_custom_page_sizes, "custom_page_sizes")
FEATURE_CASE(wasm_gc, "reference_types")
FEATURE_CASE(wasm_function_references, "reference_types")

/* Switches that change nothing a program can validate: engine creation and a call. */
#define SETTER_CASE(setter, value)                     \
  CASE(config_setter_##setter##_##value) {             \
    wasm_config_t *c = wasm_config_new();              \
    wasmtime_config_##setter##_set(c, value);          \
    engine_smoke(c);                                   \
  }
SETTER_CASE(debug_info, 1)
SETTER_CASE(debug_info, 0)
SETTER_CASE(native_unwind_info, 0)
SETTER_CASE(consume_fuel, 1)
SETTER_CASE(epoch_interruption, 1)
SETTER_CASE(max_wasm_stack, 65536)
SETTER_CASE(max_wasm_stack, 0)
SETTER_CASE(shared_memory, 1)
SETTER_CASE(gc_support, 0)
SETTER_CASE(wasm_relaxed_simd_deterministic, 1)
SETTER_CASE(wasm_wide_arithmetic, 1)
SETTER_CASE(wasm_branch_hinting, 1)
SETTER_CASE(wasm_stack_switching, 1)
SETTER_CASE(strategy, 0)
SETTER_CASE(strategy, 1)
SETTER_CASE(strategy, 2)
SETTER_CASE(strategy, 77)
SETTER_CASE(parallel_compilation, 0)
SETTER_CASE(cranelift_debug_verifier, 1)
SETTER_CASE(cranelift_nan_canonicalization, 1)
SETTER_CASE(cranelift_opt_level, 0)
SETTER_CASE(cranelift_opt_level, 2)
SETTER_CASE(cranelift_opt_level, 77)
SETTER_CASE(cranelift_regalloc_algorithm, 1)
SETTER_CASE(cranelift_regalloc_algorithm, 77)
SETTER_CASE(profiler, 0)
SETTER_CASE(profiler, 77)
SETTER_CASE(memory_may_move, 0)
SETTER_CASE(memory_reservation, 0)
SETTER_CASE(memory_reservation, 65536)
SETTER_CASE(memory_guard_size, 0)
SETTER_CASE(memory_reservation_for_growth, 0)
SETTER_CASE(macos_use_mach_ports, 0)
SETTER_CASE(signals_based_traps, 0)
SETTER_CASE(memory_init_cow, 0)

CASE(config_memory_reservation_fixed) {
  /* A memory that may not move cannot grow beyond its reservation. */
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_memory_may_move_set(c, 0);
  wasmtime_config_memory_reservation_set(c, 1 << 20);
  wasmtime_config_memory_reservation_for_growth_set(c, 0);
  env_t e = env_with_config(c);
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (memory (export \"m\") 1)"
                       " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))",
                   &inst))
    return;
  wasmtime_val_t a = v_i32(8);
  call_export(&e, &inst, "grow", &a, 1, 1);
  a = v_i32(100);
  call_export(&e, &inst, "grow", &a, 1, 1);
  wasmtime_extern_t m = export_of(&e, &inst, "m");
  uint64_t prev = 0;
  report_error("memory_grow 100", wasmtime_memory_grow(e.cx, &m.of.memory, 100, &prev));
  out("size: %llu", (unsigned long long)wasmtime_memory_size(e.cx, &m.of.memory));
}

CASE(config_max_wasm_stack_overflow) {
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_max_wasm_stack_set(c, 256 * 1024);
  env_t e = env_with_config(c);
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (func $r (export \"r\") (param i32) (result i32)"
                       " (i32.add (call $r (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))",
                   &inst))
    return;
  wasmtime_extern_t f = export_of(&e, &inst, "r");
  wasmtime_val_t a = v_i32(0), r;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err = wasmtime_func_call(e.cx, &f.of.func, &a, 1, &r, 1, &trap);
  out("error: %s", err ? "yes" : "no");
  if (trap) {
    out("trap code: %s", trap_code_str(trap));
    wasm_message_t msg;
    wasm_trap_message(trap, &msg);
    /* The first line only: the backtrace of a stack overflow is thousands of frames. */
    size_t n = 0;
    while (n < msg.size && msg.data[n] != '\n') n++;
    out_bytes("message first line", msg.data, n);
    wasm_byte_vec_delete(&msg);
    wasm_trap_delete(trap);
  }
  if (err) report_error("error", err);
  /* The store is usable afterwards. */
  a = v_i32(0);
  wasmtime_instance_t inst2;
  if (instance_of(&e, "(module (func (export \"f\") (result i32) i32.const 5))", &inst2))
    call_export(&e, &inst2, "f", NULL, 0, 1);
}

CASE(config_target) {
  const char *targets[] = {"x86_64-unknown-linux-gnu", "bogus", "", "aarch64-unknown-linux-gnu",
                           "pulley64"};
  {
    size_t i = (size_t)case_arg;
    wasm_config_t *c = wasm_config_new();
    char l[100];
    snprintf(l, sizeof l, "target_set \"%s\"", targets[i]);
    wasmtime_error_t *err = wasmtime_config_target_set(c, targets[i]);
    bool failed = err != NULL;
    report_error(l, err);
    if (failed) {
      wasm_config_delete(c);
      return;
    }
    engine_smoke(c);
  }
}

CASE(config_cranelift_flags) {
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_cranelift_flag_set(c, "opt_level", "speed");
  wasmtime_config_cranelift_flag_enable(c, "enable_verifier");
  engine_smoke(c);
}

CASE(config_cranelift_flag_unknown) {
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_cranelift_flag_enable(c, "no_such_flag");
  engine_smoke(c);
}

CASE(config_cranelift_flag_bad_value) {
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_cranelift_flag_set(c, "opt_level", "fastest-please");
  engine_smoke(c);
}

static void cache_load(const char *path) {
  wasm_config_t *c = wasm_config_new();
  char l[300];
  snprintf(l, sizeof l, "cache_config_load %s", path ? path : "NULL");
  wasmtime_error_t *err = wasmtime_config_cache_config_load(c, path);
  report_error(l, err);
  wasm_config_delete(c);
}

CASE(config_cache_missing_file) { cache_load("/nonexistent-parity-dir/cache.toml"); }

CASE(config_cache_malformed_file) {
  char path[] = "/tmp/parity-cache-XXXXXX";
  int fd = mkstemp(path);
  const char *text = "this is = = not toml [\n";
  if (write(fd, text, strlen(text)) < 0) out("harness: write failed");
  close(fd);
  wasm_config_t *c = wasm_config_new();
  wasmtime_error_t *err = wasmtime_config_cache_config_load(c, path);
  unlink(path);
  /* The message names the temporary file: print whether it failed and the text after the path. */
  if (!err) {
    out("cache_config_load malformed: ok");
  } else {
    wasm_name_t msg;
    wasmtime_error_message(err, &msg);
    out("cache_config_load malformed: error");
    wasmtime_error_delete(err);
    wasm_byte_vec_delete(&msg);
  }
  wasm_config_delete(c);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

CASE(config_cache_valid_file) {
  char dir[] = "/tmp/parity-cache-dir-XXXXXX";
  if (!mkdtemp(dir)) return;
  char path[200];
  snprintf(path, sizeof path, "%s/cache.toml", dir);
  FILE *f = fopen(path, "w");
  fprintf(f, "[cache]\ndirectory = \"%s/store\"\n", dir);
  fclose(f);
  wasm_config_t *c = wasm_config_new();
  wasmtime_error_t *err = wasmtime_config_cache_config_load(c, path);
  report_error("cache_config_load valid", err);
  engine_smoke(c);
  nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

CASE(config_pooling_allocator) {
  wasmtime_pooling_allocation_config_t *p = wasmtime_pooling_allocation_config_new();
  wasmtime_pooling_allocation_config_total_memories_set(p, 4);
  wasmtime_pooling_allocation_config_total_tables_set(p, 4);
  wasmtime_pooling_allocation_config_total_core_instances_set(p, 4);
  wasmtime_pooling_allocation_config_max_memory_size_set(p, 1 << 20);
  wasm_config_t *c = wasm_config_new();
  wasmtime_pooling_allocation_strategy_set(c, p);
  wasmtime_pooling_allocation_config_delete(p);
  engine_smoke(c);
}

static int creator_calls;
static wasmtime_error_t *creator_new_memory(void *env, const wasm_memorytype_t *ty, size_t minimum,
                                            size_t maximum, size_t reserved, size_t guard,
                                            wasmtime_linear_memory_t *ret) {
  (void)env, (void)ty, (void)minimum, (void)maximum, (void)reserved, (void)guard, (void)ret;
  creator_calls++;
  return wasmtime_error_new("parity: no memory for you");
}

CASE(config_host_memory_creator) {
  wasm_config_t *c = wasm_config_new();
  wasmtime_memory_creator_t creator = {NULL, creator_new_memory, NULL};
  wasmtime_config_host_memory_creator_set(c, &creator);
  env_t e = env_with_config(c);
  wasmtime_instance_t inst;
  instance_of(&e, "(module (memory 1))", &inst);
  out("creator calls: %d", creator_calls > 0);
}

CASE(engine_clone_and_epoch) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_engine_t *e2 = wasmtime_engine_clone(e);
  out("clone: %s", e2 ? "created" : "NULL");
  wasmtime_engine_increment_epoch(e);
  wasmtime_engine_increment_epoch(e2);
  wasm_engine_delete(e);
  /* The clone outlives the original. */
  wasmtime_store_t *s = wasmtime_store_new(e2, NULL, NULL);
  out("store on clone: %s", s ? "created" : "NULL");
  wasmtime_store_delete(s);
  wasm_engine_delete(e2);
  out("deleted");
}

CASE(engine_module_across_clone) {
  /* A module compiled by one engine is usable by a store of its clone. */
  wasm_engine_t *e = wasm_engine_new();
  wasm_engine_t *e2 = wasmtime_engine_clone(e);
  bytes_t b = wat(probes[0].text);
  wasmtime_module_t *m = NULL;
  report_error("module_new", wasmtime_module_new(e, b.data, b.size, &m));
  wasmtime_store_t *s = wasmtime_store_new(e2, NULL, NULL);
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new in clone's store",
              wasmtime_instance_new(wasmtime_store_context(s), m, NULL, 0, &inst, &trap), trap);
  wasmtime_store_delete(s);
  wasmtime_module_delete(m);
  wasm_engine_delete(e2);
  wasm_engine_delete(e);
}

CASE(engine_module_other_engine) {
  /* A module of one engine instantiated in a store of another engine. */
  wasm_engine_t *e1 = wasm_engine_new();
  wasm_engine_t *e2 = wasm_engine_new();
  bytes_t b = wat(probes[0].text);
  wasmtime_module_t *m = NULL;
  report_error("module_new", wasmtime_module_new(e1, b.data, b.size, &m));
  wasmtime_store_t *s = wasmtime_store_new(e2, NULL, NULL);
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new in other engine's store",
              wasmtime_instance_new(wasmtime_store_context(s), m, NULL, 0, &inst, &trap), trap);
}

CASE(engine_inconsistent_config) {
  /* Reference types off while GC stays on: wasmtime's Engine::new refuses the configuration. */
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_wasm_reference_types_set(c, 0);
  engine_smoke(c);
}

CASE(engine_null_config) {
  wasm_engine_t *e = wasm_engine_new_with_config(NULL);
  out("engine from NULL config: %s", e ? "created" : "NULL");
}

CASE(engine_delete_null) {
  wasm_engine_delete(NULL);
  out("wasm_engine_delete(NULL): returned");
}

CASE(config_delete_null) {
  wasm_config_delete(NULL);
  out("wasm_config_delete(NULL): returned");
}

const parity_case_t cases_config[] = {
    {"config.new_delete", config_new_delete},
    {"config.delete_null", config_delete_null},
    {"config.engine_default", config_engine_default},
    {"config.default_features", config_default_features},
    {"config.feature.wasm_simd", config_feature_wasm_simd},
    {"config.feature.wasm_relaxed_simd", config_feature_wasm_relaxed_simd},
    {"config.feature.wasm_reference_types", config_feature_wasm_reference_types},
    {"config.feature.wasm_bulk_memory", config_feature_wasm_bulk_memory},
    {"config.feature.wasm_multi_value", config_feature_wasm_multi_value},
    {"config.feature.wasm_tail_call", config_feature_wasm_tail_call},
    {"config.feature.wasm_multi_memory", config_feature_wasm_multi_memory},
    {"config.feature.wasm_memory64", config_feature_wasm_memory64},
    {"config.feature.wasm_threads", config_feature_wasm_threads},
    {"config.feature.wasm_exceptions", config_feature_wasm_exceptions},
    {"config.feature.wasm_custom_page_sizes", config_feature_wasm_custom_page_sizes},
    {"config.feature.wasm_gc", config_feature_wasm_gc},
    {"config.feature.wasm_function_references", config_feature_wasm_function_references},
    {"config.setter.debug_info.1", config_setter_debug_info_1},
    {"config.setter.debug_info.0", config_setter_debug_info_0},
    {"config.setter.native_unwind_info.0", config_setter_native_unwind_info_0},
    {"config.setter.consume_fuel.1", config_setter_consume_fuel_1},
    {"config.setter.epoch_interruption.1", config_setter_epoch_interruption_1},
    {"config.setter.max_wasm_stack.65536", config_setter_max_wasm_stack_65536},
    {"config.setter.max_wasm_stack.0", config_setter_max_wasm_stack_0},
    {"config.setter.shared_memory.1", config_setter_shared_memory_1},
    {"config.setter.gc_support.0", config_setter_gc_support_0},
    {"config.setter.wasm_relaxed_simd_deterministic.1", config_setter_wasm_relaxed_simd_deterministic_1},
    {"config.setter.wasm_wide_arithmetic.1", config_setter_wasm_wide_arithmetic_1},
    {"config.setter.wasm_branch_hinting.1", config_setter_wasm_branch_hinting_1},
    {"config.setter.wasm_stack_switching.1", config_setter_wasm_stack_switching_1},
    {"config.setter.strategy.auto", config_setter_strategy_0},
    {"config.setter.strategy.cranelift", config_setter_strategy_1},
    {"config.setter.strategy.winch", config_setter_strategy_2},
    {"config.setter.strategy.invalid", config_setter_strategy_77},
    {"config.setter.parallel_compilation.0", config_setter_parallel_compilation_0},
    {"config.setter.cranelift_debug_verifier.1", config_setter_cranelift_debug_verifier_1},
    {"config.setter.cranelift_nan_canonicalization.1", config_setter_cranelift_nan_canonicalization_1},
    {"config.setter.cranelift_opt_level.none", config_setter_cranelift_opt_level_0},
    {"config.setter.cranelift_opt_level.speed_and_size", config_setter_cranelift_opt_level_2},
    {"config.setter.cranelift_opt_level.invalid", config_setter_cranelift_opt_level_77},
    {"config.setter.cranelift_regalloc_algorithm.single_pass", config_setter_cranelift_regalloc_algorithm_1},
    {"config.setter.cranelift_regalloc_algorithm.invalid", config_setter_cranelift_regalloc_algorithm_77},
    {"config.setter.profiler.none", config_setter_profiler_0},
    {"config.setter.profiler.invalid", config_setter_profiler_77},
    {"config.setter.memory_may_move.0", config_setter_memory_may_move_0},
    {"config.setter.memory_reservation.0", config_setter_memory_reservation_0},
    {"config.setter.memory_reservation.65536", config_setter_memory_reservation_65536},
    {"config.setter.memory_guard_size.0", config_setter_memory_guard_size_0},
    {"config.setter.memory_reservation_for_growth.0", config_setter_memory_reservation_for_growth_0},
    {"config.setter.macos_use_mach_ports.0", config_setter_macos_use_mach_ports_0},
    {"config.setter.signals_based_traps.0", config_setter_signals_based_traps_0},
    {"config.setter.memory_init_cow.0", config_setter_memory_init_cow_0},
    {"config.memory_reservation_fixed", config_memory_reservation_fixed},
    {"config.max_wasm_stack_overflow", config_max_wasm_stack_overflow},
    {"config.target.x86_64", config_target, 0},
    {"config.target.bogus", config_target, 1},
    {"config.target.empty", config_target, 2},
    {"config.target.aarch64", config_target, 3},
    {"config.target.pulley64", config_target, 4},
    {"config.cranelift_flags", config_cranelift_flags},
    {"config.cranelift_flag_unknown", config_cranelift_flag_unknown},
    {"config.cranelift_flag_bad_value", config_cranelift_flag_bad_value},
    {"config.cache.missing_file", config_cache_missing_file},
    {"config.cache.malformed_file", config_cache_malformed_file},
    {"config.cache.valid_file", config_cache_valid_file},
    {"config.pooling_allocator", config_pooling_allocator},
    {"config.host_memory_creator", config_host_memory_creator},
    {"engine.clone_and_epoch", engine_clone_and_epoch},
    {"engine.module_across_clone", engine_module_across_clone},
    {"engine.module_other_engine", engine_module_other_engine},
    {"engine.inconsistent_config", engine_inconsistent_config},
    {"engine.null_config", engine_null_config},
    {"engine.delete_null", engine_delete_null},
    CASES_END};
