// wasmtime's C++ API over swasm: host functions (lambdas through Linker::func_wrap/func_new and
// Func::wrap, with and without Caller), the linker's definitions and errors, store data, traps
// raised by Wasm and by the host with their codes, messages and backtraces, and errors as Results.
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <wasmtime.hh>

#include "check.hh"

using namespace wasmtime;

static const char *const kModule = R"wat(
(module
  (import "host" "add_one" (func $add_one (param i32) (result i32)))
  (import "host" "peek" (func $peek (param i32) (result i32)))
  (import "host" "fail" (func $fail (param i32) (result i32)))
  (import "host" "scale" (func $scale (param i64 f64) (result f64)))
  (import "host" "pair" (func $pair (param i32) (result i32 i64)))
  (import "host" "offset" (global $offset i32))
  (memory (export "memory") 1)
  (data (i32.const 8) "\2a\2b")
  (table 2 funcref)
  (elem (i32.const 0) $add_one)
  (type $void (func))
  (func (export "add_one_twice") (param i32) (result i32)
    (call $add_one (call $add_one (local.get 0))))
  (func (export "peek") (param i32) (result i32) (call $peek (local.get 0)))
  (func (export "fail") (param i32) (result i32) (call $fail (local.get 0)))
  (func (export "scale") (param i64 f64) (result f64) (call $scale (local.get 0) (local.get 1)))
  (func (export "pair_sum") (param i32) (result i64)
    (local i64)
    (call $pair (local.get 0))
    (local.set 1)
    (i64.extend_i32_s)
    (local.get 1)
    (i64.add))
  (func (export "with_offset") (param i32) (result i32) (i32.add (local.get 0) (global.get $offset)))
  (func $divide (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $stop (export "stop") (unreachable))
  (func $outer (export "outer") (call $stop))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "call_slot") (param i32) (call_indirect (type $void) (local.get 0)))
  (func (export "truncate") (param f32) (result i32) (i32.trunc_f32_s (local.get 0))))
)wat";

// What the host functions share with the test. Every copy of a host function holds `alive`, so
// once the linkers and stores that own them are gone (their finalizers ran), only the test's own
// reference is left.
struct Counters {
  int add_one_calls = 0;
  std::shared_ptr<int> alive = std::make_shared<int>(0);
};

static std::string trap_message(const TrapError &error) { return error.message(); }

// The trap of a failed call, or nothing when it failed otherwise or succeeded.
static std::optional<Trap> trap_of(TrapResult<std::vector<Val>> result) {
  if (result) return std::nullopt;
  if (auto *trap = std::get_if<Trap>(&result.err_ref().data)) return Trap(trap->capi_release());
  return std::nullopt;
}

static void define_host(Linker &linker, Store &store, Counters &counters) {
  // A plain lambda, typed through its signature.
  Counters *shared = &counters;
  CHECK(linker.func_wrap("host", "add_one", [shared, alive = counters.alive](int32_t x) {
    shared->add_one_calls++;
    return x + 1;
  }));
  // A lambda with the caller: reads the calling instance's memory.
  CHECK(linker.func_wrap("host", "peek", [](Caller caller, int32_t address) -> int32_t {
    std::optional<Extern> memory = caller.get_export("memory");
    if (!memory || !std::holds_alternative<Memory>(*memory)) return -1;
    Span<uint8_t> data = std::get<Memory>(*memory).data(caller);
    if (address < 0 || size_t(address) >= data.size()) return -2;
    // The store data is reachable from the caller too.
    int32_t bias = std::any_cast<int32_t>(caller.context().get_data());
    return data[size_t(address)] + bias;
  }));
  // A host function that fails with a trap carrying a message, or with a code.
  CHECK(linker.func_wrap("host", "fail", [](int32_t how) -> Result<int32_t, Trap> {
    if (how == 0) return Trap("host says no");
    if (how == 1) return Trap(WASMTIME_TRAP_CODE_INTEGER_OVERFLOW);
    return how * 2;
  }));
  // An untyped host function over Val spans.
  FuncType scale_type({ValType::i64(), ValType::f64()}, {ValType::f64()});
  CHECK(linker.func_new("host", "scale", scale_type,
                        [](Caller, Span<const Val> params, Span<Val> results) -> Result<std::monostate, Trap> {
                          if (params.size() != 2 || results.size() != 1) return Trap("bad arity");
                          results[0] = Val(double(params[0].i64()) * params[1].f64());
                          return std::monostate();
                        }));
  // Several results from a typed lambda.
  CHECK(linker.func_wrap("host", "pair", [](int32_t x) { return std::make_tuple(x * 10, int64_t(x) << 33); }));
  Global offset = must(Global::create(store, GlobalType(ValType::i32(), false), Val(int32_t(1000))));
  CHECK(linker.define(store, "host", "offset", offset));
}

static void check_host_calls(Store &store, Instance &instance, Counters &counters) {
  Func add_one_twice = std::get<Func>(*instance.get(store, "add_one_twice"));
  CHECK_EQ(must(add_one_twice.call(store, {Val(int32_t(40))}))[0].i32(), 42);
  CHECK_EQ(counters.add_one_calls, 2);

  store.context().set_data(int32_t(100));
  Func peek = std::get<Func>(*instance.get(store, "peek"));
  CHECK_EQ(must(peek.call(store, {Val(int32_t(8))}))[0].i32(), 0x2a + 100);
  CHECK_EQ(must(peek.call(store, {Val(int32_t(9))}))[0].i32(), 0x2b + 100);
  CHECK_EQ(must(peek.call(store, {Val(int32_t(70000))}))[0].i32(), -2);

  Func scale = std::get<Func>(*instance.get(store, "scale"));
  CHECK_EQ(must(scale.call(store, {Val(int64_t(6)), Val(1.5)}))[0].f64(), 9.0);
  Func pair_sum = std::get<Func>(*instance.get(store, "pair_sum"));
  CHECK_EQ(must(pair_sum.call(store, {Val(int32_t(3))}))[0].i64(), (int64_t(3) << 33) + 30);
  Func with_offset = std::get<Func>(*instance.get(store, "with_offset"));
  CHECK_EQ(must(with_offset.call(store, {Val(int32_t(1))}))[0].i32(), 1001);

  // Host failures.
  Func fail = std::get<Func>(*instance.get(store, "fail"));
  CHECK_EQ(must(fail.call(store, {Val(int32_t(21))}))[0].i32(), 42);
  // A trap made from a message comes back as an error with that message (as in wasmtime), one
  // made from a code as a trap with that code.
  auto failed = fail.call(store, {Val(int32_t(0))});
  CHECK(!failed);
  if (!failed) {
    CHECK(std::holds_alternative<Error>(failed.err_ref().data));
    CHECK_CONTAINS(failed.err_ref().message(), "host says no");
  }
  std::optional<Trap> trap = trap_of(fail.call(store, {Val(int32_t(1))}));
  CHECK(trap.has_value());
  if (trap) {
    CHECK(trap->code() == std::optional<wasmtime_trap_code_t>(WASMTIME_TRAP_CODE_INTEGER_OVERFLOW));
    CHECK_CONTAINS(trap->message(), "integer overflow");
  }
  // The store is still usable after host traps.
  CHECK_EQ(must(add_one_twice.call(store, {Val(int32_t(0))}))[0].i32(), 2);
}

struct ExpectedTrap {
  const char *function;
  std::vector<Val> arguments;
  wasmtime_trap_code_t code;
  const char *message;
};

static void check_wasm_traps(Store &store, Instance &instance) {
  std::vector<ExpectedTrap> expected;
  expected.push_back({"divide", {Val(int32_t(1)), Val(int32_t(0))}, WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO,
                      "integer divide by zero"});
  expected.push_back({"divide", {Val(int32_t(INT32_MIN)), Val(int32_t(-1))}, WASMTIME_TRAP_CODE_INTEGER_OVERFLOW,
                      "integer overflow"});
  expected.push_back({"stop", {}, WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED, "wasm `unreachable` instruction executed"});
  expected.push_back({"load", {Val(int32_t(65535))}, WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS, "out of bounds memory access"});
  expected.push_back({"recurse", {Val(int32_t(0))}, WASMTIME_TRAP_CODE_STACK_OVERFLOW, "call stack exhausted"});
  expected.push_back({"call_slot", {Val(int32_t(1))}, WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL, "uninitialized element"});
  expected.push_back({"call_slot", {Val(int32_t(0))}, WASMTIME_TRAP_CODE_BAD_SIGNATURE, "indirect call type mismatch"});
  expected.push_back({"call_slot", {Val(int32_t(2))}, WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS, "undefined element"});
  expected.push_back({"truncate", {Val(std::nanf(""))}, WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER,
                      "invalid conversion to integer"});
  expected.push_back({"truncate", {Val(3e9f)}, WASMTIME_TRAP_CODE_INTEGER_OVERFLOW, "integer overflow"});
  for (const ExpectedTrap &item : expected) {
    Func func = std::get<Func>(*instance.get(store, item.function));
    std::optional<Trap> trap = trap_of(func.call(store, item.arguments));
    if (!trap) {
      check::fail(__FILE__, __LINE__, std::string(item.function) + ": expected a trap");
      continue;
    }
    std::optional<wasmtime_trap_code_t> code = trap->code();
    if (!code || *code != item.code)
      check::fail(__FILE__, __LINE__,
                  std::string(item.function) + ": trap code " + (code ? std::to_string(*code) : "none") +
                      ", expected " + std::to_string(item.code));
    CHECK_CONTAINS(trap->message(), item.message);
  }

  // The backtrace names the functions, innermost first.
  Func outer = std::get<Func>(*instance.get(store, "outer"));
  std::optional<Trap> trap = trap_of(outer.call(store, {}));
  CHECK(trap.has_value());
  if (trap) {
    Trace trace = trap->trace();
    CHECK_EQ(trace.size(), size_t(2));
    std::vector<std::string> names;
    for (const FrameRef &frame : trace) names.emplace_back(frame.func_name().value_or("?"));
    CHECK(names == std::vector<std::string>({"stop", "outer"}));
    if (trace.size() == 2) {
      CHECK_EQ(trace.begin()->func_index(), uint32_t(12));
      CHECK_EQ((trace.begin() + 1)->func_index(), uint32_t(13));
    }
  }

  // A trap from a typed call, and the store still works afterwards.
  auto divide = must((std::get<Func>(*instance.get(store, "divide")).typed<std::tuple<int32_t, int32_t>, int32_t>(store)));
  auto result = divide.call(store, {7, 0});
  CHECK(!result);
  if (!result) CHECK_CONTAINS(trap_message(result.err_ref()), "integer divide by zero");
  CHECK_EQ(must(divide.call(store, {7, 2})), 3);
}

static void check_traps_from_codes() {
  // Every code wasmtime defines round-trips through Trap's constructor.
  for (int code = WASMTIME_TRAP_CODE_STACK_OVERFLOW; code <= WASMTIME_TRAP_CODE_UNCAUGHT_EXCEPTION; code++) {
    Trap trap(static_cast<wasmtime_trap_code_enum>(code));
    std::optional<wasmtime_trap_code_t> read = trap.code();
    if (!read || *read != code)
      check::fail(__FILE__, __LINE__, "Trap(code " + std::to_string(code) + ").code() does not give it back");
    CHECK(!trap.message().empty());
  }
  Trap plain("just a message");
  CHECK_EQ(plain.message(), std::string("just a message"));
  CHECK(!plain.code());
  CHECK_EQ(plain.trace().size(), size_t(0));
}

static void check_linker(Engine &engine, Counters &counters) {
  Store store(engine);
  store.context().set_data(int32_t(0));
  Linker linker(engine);
  define_host(linker, store, counters);
  Module module = must(Module::compile(engine, kModule));

  // Defining a name twice is an error unless shadowing is allowed.
  CHECK_CONTAINS(error_message(linker.func_wrap("host", "add_one", [](int32_t x) { return x; })), "defined twice");
  linker.allow_shadowing(true);
  CHECK(linker.func_wrap("host", "add_one", [](int32_t x) { return x + 1; }));
  linker.allow_shadowing(false);

  Instance instance = must(linker.instantiate(store, module));
  CHECK_EQ(must(std::get<Func>(*instance.get(store, "add_one_twice")).call(store, {Val(int32_t(1))}))[0].i32(), 3);

  // Instances and modules under a name; get and get_default.
  CHECK(linker.define_instance(store, "main", instance));
  std::optional<Extern> memory = linker.get(store, "main", "memory");
  CHECK(memory && std::holds_alternative<Memory>(*memory));
  CHECK(!linker.get(store, "main", "missing"));
  CHECK(!linker.get(store, "nowhere", "memory"));
  // A command (a module with _start) is instantiated afresh for each call of its default function.
  Module command = must(Module::compile(engine, R"wat(
    (module
      (import "main" "divide" (func $divide (param i32 i32) (result i32)))
      (import "main" "memory" (memory 1))
      (func (export "_start")
        (i32.store (i32.const 100) (i32.add (i32.load (i32.const 100)) (call $divide (i32.const 84) (i32.const 2))))))
  )wat"));
  CHECK(linker.module(store, "command", command));
  Func start = must(linker.get_default(store, "command"));
  CHECK(must(start.call(store, {})).empty());
  CHECK(must(start.call(store, {})).empty());
  int32_t stored = 0;
  std::memcpy(&stored, std::get<Memory>(*memory).data(store).data() + 100, 4);
  CHECK_EQ(stored, 84);
  // A command may export only functions.
  Module bad_command = must(Module::compile(engine, R"wat(
    (module (global (export "result") i32 (i32.const 0)) (func (export "_start")))
  )wat"));
  CHECK_CONTAINS(error_message(linker.module(store, "bad_command", bad_command)),
                 "command export 'result' is not a function");
  // The default function of a name with nothing under it does nothing.
  Func nothing = must(linker.get_default(store, "nothing-here"));
  CHECK(must(nothing.call(store, {})).empty());

  // Unknown imports: an error naming the import, or traps, or default values.
  Module needs = must(Module::compile(engine, R"wat(
    (module
      (import "env" "missing" (func $missing (result i32)))
      (import "env" "missing_f64" (func $missing_f64 (param i32) (result f64 i64)))
      (func (export "call_missing") (result i32) (call $missing))
      (func (export "call_missing_f64") (result f64 i64) (call $missing_f64 (i32.const 1)))
      (func (export "independent") (result i32) (i32.const 11)))
  )wat"));
  Linker empty(engine);
  auto failed = empty.instantiate(store, needs);
  CHECK(!failed);
  if (!failed) CHECK_CONTAINS(failed.err_ref().message(), "unknown import: `env::missing` has not been defined");
  CHECK(empty.define_unknown_imports_as_traps(needs));
  Instance trapping = must(empty.instantiate(store, needs));
  CHECK_EQ(must(std::get<Func>(*trapping.get(store, "independent")).call(store, {}))[0].i32(), 11);
  CHECK(!std::get<Func>(*trapping.get(store, "call_missing")).call(store, {}));
  Linker defaults(engine);
  CHECK(defaults.define_unknown_imports_as_default_values(store, needs));
  Instance zeros = must(defaults.instantiate(store, needs));
  CHECK_EQ(must(std::get<Func>(*zeros.get(store, "call_missing")).call(store, {}))[0].i32(), 0);
  auto zero_call = std::get<Func>(*zeros.get(store, "call_missing_f64")).call(store, {});
  if (!zero_call) check::fail(__FILE__, __LINE__, "call_missing_f64 failed: " + zero_call.err_ref().message());
  if (zero_call) {
    const std::vector<Val> &zero_results = zero_call.ok_ref();
    CHECK(zero_results.size() == 2 && zero_results[0].kind() == ValKind::F64 && zero_results[1].kind() == ValKind::I64);
    if (zero_results.size() == 2) CHECK(zero_results[0].f64() == 0.0 && zero_results[1].i64() == 0);
  }

  // An import of the wrong type is an error, not a trap.
  Linker wrong(engine);
  CHECK(wrong.func_wrap("env", "missing", [](int64_t x) { return x; }));
  CHECK(wrong.func_wrap("env", "missing_f64", [](int32_t) { return std::make_tuple(0.0, int64_t(0)); }));
  auto mismatch = wrong.instantiate(store, needs);
  CHECK(!mismatch);
  if (!mismatch) CHECK(std::holds_alternative<Error>(mismatch.err_ref().data));

  // A start function that traps: the trap comes back from instantiation.
  Module starts = must(Module::compile(engine, "(module (func $s (unreachable)) (start $s))"));
  auto started = empty.instantiate(store, starts);
  CHECK(!started);
  if (!started) {
    CHECK(std::holds_alternative<Trap>(started.err_ref().data));
    CHECK_CONTAINS(started.err_ref().message(), "wasm `unreachable` instruction executed");
  }
}

static void check_standalone_functions(Engine &engine) {
  // Func::wrap and Func(cx, type, lambda) without a linker, passed as imports in order.
  Store store(engine);
  int calls = 0;
  Func twice = Func::wrap(store, [&calls](int64_t x) {
    calls++;
    return x * 2;
  });
  FuncType log_type({ValType::i32()}, {});
  std::vector<int32_t> logged;
  Func log(store, log_type, [&logged](Caller caller, Span<const Val> params, Span<Val>) -> Result<std::monostate, Trap> {
    logged.push_back(params[0].i32());
    // The caller's store can create objects and call functions.
    Global scratch = must(Global::create(caller, GlobalType(ValType::i32(), true), Val(int32_t(1))));
    CHECK_EQ(scratch.get(caller).i32(), 1);
    return std::monostate();
  });
  Module module = must(Module::compile(engine, R"wat(
    (module
      (import "" "twice" (func $twice (param i64) (result i64)))
      (import "" "log" (func $log (param i32)))
      (func (export "run") (param i64) (result i64)
        (call $log (i32.const 7))
        (call $twice (call $twice (local.get 0)))))
  )wat"));
  Instance instance = must(Instance::create(store, module, {twice, log}));
  CHECK_EQ(must(std::get<Func>(*instance.get(store, "run")).call(store, {Val(int64_t(5))}))[0].i64(), 20);
  CHECK_EQ(calls, 2);
  CHECK(logged == std::vector<int32_t>({7}));
  // Host functions called directly.
  CHECK_EQ(must(twice.call(store, {Val(int64_t(21))}))[0].i64(), 42);
  auto typed = must((twice.typed<int64_t, int64_t>(store)));
  CHECK_EQ(must(typed.call(store, 4)), 8);
  // Imports of the wrong number or type.
  CHECK(!Instance::create(store, module, {twice}));
  CHECK(!Instance::create(store, module, {log, twice}));
}

static void check_errors() {
  Error error("something went wrong");
  CHECK_EQ(error.message(), std::string("something went wrong"));
  CHECK(!error.i32_exit());
  std::ostringstream out;
  out << error;
  CHECK_EQ(out.str(), std::string("something went wrong"));
  Result<int> good(5);
  CHECK(good && good.ok() == 5);
  Result<int> bad(Error("nope"));
  CHECK(!bad);
  CHECK_EQ(bad.err().message(), std::string("nope"));
}

int main() {
  Engine engine;
  Counters counters;
  {
    Store store(engine);
    store.context().set_data(int32_t(0));
    Linker linker(engine);
    define_host(linker, store, counters);
    Module module = must(Module::compile(engine, kModule));
    Instance instance = must(linker.instantiate(store, module));
    check_host_calls(store, instance, counters);
    check_wasm_traps(store, instance);
  }
  check_traps_from_codes();
  check_linker(engine, counters);
  check_standalone_functions(engine);
  check_errors();
  // Every copy of the counting host function was finalized once its linkers and stores went away.
  CHECK_EQ(counters.alive.use_count(), 1L);
  return check::report("test_cxx_host");
}
