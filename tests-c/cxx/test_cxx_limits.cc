// wasmtime's C++ API over swasm: fuel, epoch interruption with and without a deadline callback,
// the store limiter and the Wasm stack limit, as an embedder bounds the guest.
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <wasmtime.hh>

#include "check.hh"

using namespace wasmtime;

static const char *const kModule = R"wat(
(module
  (import "host" "tick" (func $tick))
  (memory (export "memory") 1)
  (func (export "count") (param i32) (result i32)
    (local i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $again)))
    (local.get 1))
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "tick_loop") (param i32)
    (loop $again
      (call $tick)
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $again (local.get 0))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1))))))))
)wat";

static std::optional<wasmtime_trap_code_t> trap_code(const TrapResult<std::vector<Val>> &result) {
  if (result) return std::nullopt;
  if (auto *trap = std::get_if<Trap>(&result.err_ref().data)) return trap->code();
  return std::nullopt;
}

static void check_fuel() {
  Config config;
  config.consume_fuel(true);
  Engine engine(std::move(config));
  Store store(engine);
  Linker linker(engine);
  CHECK(linker.func_wrap("host", "tick", []() {}));
  Module module = must(Module::compile(engine, kModule));

  // A new store has no fuel: instantiation works (no code runs), a call runs out at once.
  CHECK_EQ(must(store.context().get_fuel()), uint64_t(0));
  Instance instance = must(linker.instantiate(store, module));
  Func count = std::get<Func>(*instance.get(store, "count"));
  CHECK(trap_code(count.call(store, {Val(int32_t(1))})) ==
        std::optional<wasmtime_trap_code_t>(WASMTIME_TRAP_CODE_OUT_OF_FUEL));

  // With fuel, the call runs and consumes some; consumption grows with the work done.
  CHECK(store.context().set_fuel(1000000));
  CHECK_EQ(must(store.context().get_fuel()), uint64_t(1000000));
  CHECK_EQ(must(count.call(store, {Val(int32_t(10))}))[0].i32(), 10);
  uint64_t after_ten = must(store.context().get_fuel());
  CHECK(after_ten < 1000000);
  CHECK_EQ(must(count.call(store, {Val(int32_t(1000))}))[0].i32(), 1000);
  uint64_t after_thousand = must(store.context().get_fuel());
  CHECK(1000000 - after_ten < after_ten - after_thousand);
  // Each loop iteration costs the same, so 2000 iterations cost about twice 1000.
  uint64_t before = must(store.context().get_fuel());
  CHECK(must(count.call(store, {Val(int32_t(2000))})).size() == 1);
  uint64_t used_2000 = before - must(store.context().get_fuel());
  uint64_t used_1000 = after_ten - after_thousand;
  CHECK(used_2000 > used_1000 * 19 / 10 && used_2000 < used_1000 * 21 / 10);

  // Running out in the middle: a trap with the out-of-fuel code and wasmtime's message.
  CHECK(store.context().set_fuel(500));
  auto result = std::get<Func>(*instance.get(store, "spin")).call(store, {});
  CHECK(trap_code(result) == std::optional<wasmtime_trap_code_t>(WASMTIME_TRAP_CODE_OUT_OF_FUEL));
  if (!result) CHECK_CONTAINS(result.err_ref().message(), "all fuel consumed by WebAssembly");
  CHECK_EQ(must(store.context().get_fuel()), uint64_t(0));
  // Refuelled, the same store goes on.
  CHECK(store.context().set_fuel(1000000));
  CHECK_EQ(must(count.call(store, {Val(int32_t(5))}))[0].i32(), 5);

  // Without fuel consumption configured, fuel cannot be set or read.
  Engine plain;
  Store unmetered(plain);
  CHECK(!error_message(unmetered.context().set_fuel(10)).empty());
  CHECK(!error_message(unmetered.context().get_fuel()).empty());
}

static void check_epochs() {
  Config config;
  config.epoch_interruption(true);
  Engine engine(std::move(config));
  Module module = must(Module::compile(engine, kModule));

  {
    // A deadline already reached interrupts the next check.
    Store store(engine);
    Linker linker(engine);
    CHECK(linker.func_wrap("host", "tick", []() {}));
    store.context().set_epoch_deadline(1);
    Instance instance = must(linker.instantiate(store, module));
    engine.increment_epoch();
    auto result = std::get<Func>(*instance.get(store, "spin")).call(store, {});
    CHECK(trap_code(result) == std::optional<wasmtime_trap_code_t>(WASMTIME_TRAP_CODE_INTERRUPT));
    if (!result) CHECK_CONTAINS(result.err_ref().message(), "interrupt");
  }

  {
    // Another thread increments the epoch while Wasm spins.
    Store store(engine);
    Linker linker(engine);
    CHECK(linker.func_wrap("host", "tick", []() {}));
    store.context().set_epoch_deadline(1);
    Instance instance = must(linker.instantiate(store, module));
    Engine shared = engine;
    std::thread ticker([shared]() {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      shared.increment_epoch();
    });
    auto result = std::get<Func>(*instance.get(store, "spin")).call(store, {});
    ticker.join();
    CHECK(trap_code(result) == std::optional<wasmtime_trap_code_t>(WASMTIME_TRAP_CODE_INTERRUPT));
  }

  {
    // A deadline callback: it extends the deadline (Continue) a number of times, then fails the
    // call with its own error. The host function moves the epoch on every iteration.
    Store store(engine);
    Linker linker(engine);
    Engine shared = engine;
    CHECK(linker.func_wrap("host", "tick", [shared]() { shared.increment_epoch(); }));
    int calls = 0;
    store.epoch_deadline_callback([&calls](Store::Context, uint64_t &delta) -> Result<DeadlineKind> {
      calls++;
      if (calls > 5) return Error("enough ticks");
      delta = 1;
      return DeadlineKind::Continue;
    });
    store.context().set_epoch_deadline(1);
    Instance instance = must(linker.instantiate(store, module));
    Func tick_loop = std::get<Func>(*instance.get(store, "tick_loop"));
    // Three iterations: each reaches the deadline once and the callback extends it.
    CHECK(tick_loop.call(store, {Val(int32_t(3))}));
    CHECK(calls >= 2 && calls <= 3);
    auto result = tick_loop.call(store, {Val(int32_t(100))});
    CHECK(!result);
    if (!result) {
      CHECK(std::holds_alternative<Error>(result.err_ref().data));
      CHECK_CONTAINS(result.err_ref().message(), "enough ticks");
    }
    CHECK_EQ(calls, 6);
  }
}

static void check_limiter() {
  Engine engine;
  Module module = must(Module::compile(engine, R"wat(
    (module
      (memory (export "memory") 1)
      (table 1 funcref)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "grow_table") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))
  )wat"));
  Store store(engine);
  // At most 3 pages of memory, 10 table elements, 2 instances (-1: no limit).
  store.limiter(3 * 65536, 10, 2, -1, -1);
  Instance instance = must(Instance::create(store, module, {}));
  Func grow = std::get<Func>(*instance.get(store, "grow"));
  Func grow_table = std::get<Func>(*instance.get(store, "grow_table"));
  CHECK_EQ(must(grow.call(store, {Val(int32_t(2))}))[0].i32(), 1);
  CHECK_EQ(must(grow.call(store, {Val(int32_t(1))}))[0].i32(), -1);
  CHECK(!std::get<Memory>(*instance.get(store, "memory")).grow(store, 1));
  CHECK_EQ(must(grow_table.call(store, {Val(int32_t(9))}))[0].i32(), 1);
  CHECK_EQ(must(grow_table.call(store, {Val(int32_t(1))}))[0].i32(), -1);
  // A second instance fits, a third does not.
  CHECK(Instance::create(store, module, {}));
  CHECK(!Instance::create(store, module, {}));
}

static void check_stack_limit() {
  Config config;
  config.max_wasm_stack(256 * 1024);
  Engine engine(std::move(config));
  Module module = must(Module::compile(engine, kModule));
  Store store(engine);
  Linker linker(engine);
  CHECK(linker.func_wrap("host", "tick", []() {}));
  Instance instance = must(linker.instantiate(store, module));
  Func deep = std::get<Func>(*instance.get(store, "deep"));
  CHECK_EQ(must(deep.call(store, {Val(int32_t(100))}))[0].i32(), 100);
  CHECK(trap_code(deep.call(store, {Val(int32_t(100000000))})) ==
        std::optional<wasmtime_trap_code_t>(WASMTIME_TRAP_CODE_STACK_OVERFLOW));
  // The store is usable after the overflow.
  CHECK_EQ(must(deep.call(store, {Val(int32_t(1000))}))[0].i32(), 1000);
}

int main() {
  check_fuel();
  check_epochs();
  check_limiter();
  check_stack_limit();
  return check::report("test_cxx_limits");
}
