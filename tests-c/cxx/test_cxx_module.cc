// wasmtime's C++ API over swasm: engines and configurations, modules from text and binary (with
// their import and export types), instances, calls with Val and typed arguments, globals, tables,
// memories, and precompiled modules. Written as an embedder of wasmtime writes it.
#include <cmath>
#include <cstring>
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
  (type $binop (func (param i32 i32) (result i32)))
  (memory (export "memory") 1 4)
  (data (i32.const 16) "hello")
  (global $counter (export "counter") (mut i32) (i32.const 7))
  (global (export "pi") f64 (f64.const 3.25))
  (table $table (export "table") 2 10 funcref)
  (elem (i32.const 0) $add)
  (func $add (export "add") (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func (export "sub64") (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))
  (func (export "mix") (param i32 i64 f32 f64) (result f64)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
      (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))
  (func (export "halve") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5)))
  (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "apply") (param i32 i32 i32) (result i32)
    (call_indirect (type $binop) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "double_lanes") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
  (func (export "nothing")))
)wat";

// The exports of kModule in order, with the kind ExternType::from_export gives each.
static void check_export_types(const Module &module) {
  ExportType::List exports = module.exports();
  CHECK_EQ(exports.size(), size_t(15));
  std::vector<std::string> names;
  for (const ExportType::Ref &item : exports) names.emplace_back(item.name());
  CHECK(names.size() == 15 && names[0] == "memory" && names[1] == "counter" && names[2] == "pi" &&
        names[3] == "table" && names[4] == "add" && names[14] == "nothing");

  auto it = exports.begin();
  ExternType::Ref memory = ExternType::from_export(*it++);
  if (auto *type = std::get_if<MemoryType::Ref>(&memory)) {
    CHECK_EQ(type->min(), uint64_t(1));
    CHECK(type->max() == std::optional<uint64_t>(4));
    CHECK(!type->is_64());
    CHECK(!type->is_shared());
    CHECK_EQ(type->page_size(), uint64_t(65536));
  } else {
    CHECK(!"memory export is a memory type");
  }
  ExternType::Ref counter = ExternType::from_export(*it++);
  if (auto *type = std::get_if<GlobalType::Ref>(&counter)) {
    CHECK(type->is_mutable());
    CHECK(type->content() == ValType::i32());
  } else {
    CHECK(!"counter export is a global type");
  }
  ExternType::Ref pi = ExternType::from_export(*it++);
  if (auto *type = std::get_if<GlobalType::Ref>(&pi)) {
    CHECK(!type->is_mutable());
    CHECK(type->content() == ValType::f64());
  } else {
    CHECK(!"pi export is a global type");
  }
  ExternType::Ref table = ExternType::from_export(*it++);
  if (auto *type = std::get_if<TableType::Ref>(&table)) {
    CHECK_EQ(type->min(), uint32_t(2));
    CHECK(type->max() == std::optional<uint32_t>(10));
    CHECK(type->element() == ValType::funcref());
  } else {
    CHECK(!"table export is a table type");
  }
  ExternType::Ref add = ExternType::from_export(*it++);
  if (auto *type = std::get_if<FuncType::Ref>(&add)) {
    CHECK_EQ(type->params().size(), size_t(2));
    CHECK_EQ(type->results().size(), size_t(1));
    for (const ValType::Ref &param : type->params()) CHECK(param == ValType::i32());
  } else {
    CHECK(!"add export is a function type");
  }
}

static void check_import_types(Engine &engine) {
  Module module = must(Module::compile(engine, R"wat(
    (module
      (import "env" "f" (func (param i64) (result f32)))
      (import "env" "g" (global (mut i64)))
      (import "env" "t" (table 1 externref))
      (import "other" "m" (memory 2 3)))
  )wat"));
  ImportType::List imports = module.imports();
  CHECK_EQ(imports.size(), size_t(4));
  std::vector<std::string> seen;
  for (const ImportType::Ref &item : imports) {
    std::string name = std::string(item.module()) + "::" + std::string(item.name()) + ":";
    ExternType::Ref type = ExternType::from_import(item);
    if (auto *func = std::get_if<FuncType::Ref>(&type)) {
      name += "func";
      CHECK(func->params().size() == 1 && *func->params().begin() == ValType::i64());
      CHECK(func->results().size() == 1 && *func->results().begin() == ValType::f32());
    } else if (auto *global = std::get_if<GlobalType::Ref>(&type)) {
      name += "global";
      CHECK(global->is_mutable() && global->content() == ValType::i64());
    } else if (auto *table = std::get_if<TableType::Ref>(&type)) {
      name += "table";
      CHECK(table->min() == 1 && !table->max() && table->element() == ValType::externref());
    } else if (auto *memory = std::get_if<MemoryType::Ref>(&type)) {
      name += "memory";
      CHECK(memory->min() == 2 && memory->max() == std::optional<uint64_t>(3));
    }
    seen.push_back(name);
  }
  CHECK(seen == std::vector<std::string>({"env::f:func", "env::g:global", "env::t:table", "other::m:memory"}));
}

static void check_compile_errors(Engine &engine) {
  // Text that is not WebAssembly, a binary that is not valid, and validation.
  CHECK(!error_message(Module::compile(engine, "(module (func (result i32) (i32.const 1) (i32.add)))")).empty());
  CHECK(!error_message(Module::compile(engine, "(module (fnuc))")).empty());
  std::vector<uint8_t> junk = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
  CHECK(!error_message(Module::compile(engine, Span<uint8_t>(junk.data(), junk.size()))).empty());
  std::vector<uint8_t> binary = must(wat2wasm("(module (func (export \"f\") (result i32) (i32.const 1)))"));
  CHECK(Module::validate(engine, Span<uint8_t>(binary.data(), binary.size())));
  CHECK(!Module::validate(engine, Span<uint8_t>(junk.data(), junk.size())));
  // An invalid body: the message says what is wrong.
  std::vector<uint8_t> invalid = must(wat2wasm("(module (func (result i32) (i64.const 1)))"));
  CHECK_CONTAINS(error_message(Module::validate(engine, Span<uint8_t>(invalid.data(), invalid.size()))),
                 "type mismatch");
}

static void check_calls(Store &store, Instance &instance) {
  Func add = std::get<Func>(*instance.get(store, "add"));
  // Val arguments.
  std::vector<Val> results = must(add.call(store, {Val(int32_t(40)), Val(int32_t(2))}));
  CHECK_EQ(results.size(), size_t(1));
  CHECK(results[0].kind() == ValKind::I32);
  CHECK_EQ(results[0].i32(), 42);
  results = must(add.call(store, {Val(int32_t(INT32_MAX)), Val(int32_t(1))}));
  CHECK_EQ(results[0].i32(), INT32_MIN);
  std::vector<Val> arguments = {Val(int32_t(-5)), Val(int32_t(3))};
  CHECK_EQ(must(add.call(store, arguments))[0].i32(), -2);

  Func sub64 = std::get<Func>(*instance.get(store, "sub64"));
  CHECK_EQ(must(sub64.call(store, {Val(int64_t(1) << 40), Val(int64_t(1))}))[0].i64(), (int64_t(1) << 40) - 1);
  Func mix = std::get<Func>(*instance.get(store, "mix"));
  results = must(mix.call(store, {Val(int32_t(1)), Val(int64_t(2)), Val(3.5f), Val(4.25)}));
  CHECK(results[0].kind() == ValKind::F64);
  CHECK_EQ(results[0].f64(), 10.75);
  Func halve = std::get<Func>(*instance.get(store, "halve"));
  CHECK_EQ(must(halve.call(store, {Val(3.0f)}))[0].f32(), 1.5f);
  CHECK(std::isnan(must(halve.call(store, {Val(std::nanf(""))}))[0].f32()));

  // Multiple results.
  Func swap = std::get<Func>(*instance.get(store, "swap"));
  results = must(swap.call(store, {Val(int32_t(9)), Val(int64_t(-8))}));
  CHECK(results.size() == 2 && results[0].kind() == ValKind::I64 && results[1].kind() == ValKind::I32);
  CHECK(results[0].i64() == -8 && results[1].i32() == 9);
  Func nothing = std::get<Func>(*instance.get(store, "nothing"));
  CHECK(must(nothing.call(store, {})).empty());

  // v128.
  wasmtime_v128 lanes;
  for (int i = 0; i < 16; i++) lanes[i] = uint8_t(i);
  Func double_lanes = std::get<Func>(*instance.get(store, "double_lanes"));
  results = must(double_lanes.call(store, {Val(V128(lanes))}));
  CHECK(results[0].kind() == ValKind::V128);
  V128 doubled = results[0].v128();
  int32_t first_lane, last_lane;
  std::memcpy(&first_lane, &doubled.v128[0], 4);
  std::memcpy(&last_lane, &doubled.v128[12], 4);
  CHECK_EQ(first_lane, 2 * 0x03020100);
  CHECK_EQ(last_lane, 2 * 0x0f0e0d0c);

  // Typed calls.
  auto typed_add = must((add.typed<std::tuple<int32_t, int32_t>, int32_t>(store)));
  CHECK_EQ(must(typed_add.call(store, {20, 22})), 42);
  auto typed_unsigned = must((add.typed<std::tuple<uint32_t, uint32_t>, uint32_t>(store)));
  CHECK_EQ(must(typed_unsigned.call(store, {0xffffffffu, 2u})), 1u);
  auto typed_swap = must((swap.typed<std::tuple<int32_t, int64_t>, std::tuple<int64_t, int32_t>>(store)));
  CHECK(must(typed_swap.call(store, {1, 2})) == std::make_tuple(int64_t(2), int32_t(1)));
  auto typed_mix = must((mix.typed<std::tuple<int32_t, int64_t, float, double>, double>(store)));
  CHECK_EQ(must(typed_mix.call(store, {1, 2, 0.5f, 0.25})), 3.75);
  auto typed_nothing = must((nothing.typed<std::monostate, std::monostate>(store)));
  CHECK(typed_nothing.call(store, std::monostate()));
  // A typed view that does not match the function's type is refused.
  CHECK_CONTAINS(error_message((add.typed<std::tuple<int64_t, int64_t>, int64_t>(store))),
                 "static type for this function does not match actual type");
  CHECK(!(add.typed<std::tuple<int32_t>, int32_t>(store)));
  CHECK(!(add.typed<std::tuple<int32_t, int32_t>, std::monostate>(store)));

  // Wrong argument count or types: errors, not traps.
  auto too_few = add.call(store, {Val(int32_t(1))});
  CHECK(!too_few);
  if (!too_few) CHECK(std::holds_alternative<Error>(too_few.err_ref().data));
  CHECK(!add.call(store, {Val(int32_t(1)), Val(int32_t(2)), Val(int32_t(3))}));
  auto wrong_type = add.call(store, {Val(int64_t(1)), Val(int32_t(2))});
  CHECK(!wrong_type);
  if (!wrong_type) CHECK(std::holds_alternative<Error>(wrong_type.err_ref().data));

  // The function's type.
  FuncType type = mix.type(store);
  CHECK_EQ(type->params().size(), size_t(4));
  CHECK_EQ(type->results().size(), size_t(1));
  std::vector<ValType> expected = {ValType::i32(), ValType::i64(), ValType::f32(), ValType::f64()};
  size_t index = 0;
  for (const ValType::Ref &param : type->params()) CHECK(expected[index++] == param);
}

static void check_globals(Store &store, Instance &instance) {
  Global counter = std::get<Global>(*instance.get(store, "counter"));
  Func bump = std::get<Func>(*instance.get(store, "bump"));
  CHECK_EQ(counter.get(store).i32(), 7);
  CHECK_EQ(must(bump.call(store, {}))[0].i32(), 8);
  CHECK_EQ(counter.get(store).i32(), 8);
  CHECK(counter.set(store, Val(int32_t(100))));
  CHECK_EQ(must(bump.call(store, {}))[0].i32(), 101);
  GlobalType counter_type = counter.type(store);
  CHECK(counter_type->is_mutable());
  CHECK(counter_type->content() == ValType::i32());
  // Setting with the wrong type, or an immutable global, fails and changes nothing.
  CHECK(!error_message(counter.set(store, Val(int64_t(5)))).empty());
  CHECK_EQ(counter.get(store).i32(), 101);
  Global pi = std::get<Global>(*instance.get(store, "pi"));
  CHECK_EQ(pi.get(store).f64(), 3.25);
  CHECK(!error_message(pi.set(store, Val(1.0))).empty());
  CHECK_EQ(pi.get(store).f64(), 3.25);

  // Host globals.
  Global host = must(Global::create(store, GlobalType(ValType::i64(), true), Val(int64_t(-3))));
  CHECK_EQ(host.get(store).i64(), -3);
  CHECK(host.set(store, Val(int64_t(1) << 50)));
  CHECK_EQ(host.get(store).i64(), int64_t(1) << 50);
  Global constant = must(Global::create(store, GlobalType(ValType::f32(), false), Val(2.5f)));
  CHECK_EQ(constant.get(store).f32(), 2.5f);
  CHECK(!constant.type(store)->is_mutable());
  CHECK(!constant.set(store, Val(1.0f)));
  // An initial value of the wrong type.
  CHECK(!Global::create(store, GlobalType(ValType::i32(), true), Val(1.0)));
}

static void check_tables(Store &store, Instance &instance) {
  Table table = std::get<Table>(*instance.get(store, "table"));
  Func add = std::get<Func>(*instance.get(store, "add"));
  Func apply = std::get<Func>(*instance.get(store, "apply"));
  CHECK_EQ(table.size(store), uint64_t(2));
  TableType type = table.type(store);
  CHECK(type->min() == 2 && type->max() == std::optional<uint32_t>(10));
  CHECK(type->element() == ValType::funcref());

  // Element 0 is `add`; calling through the table and through the function read from it.
  std::optional<Val> first = table.get(store, 0);
  CHECK(first.has_value());
  if (first) {
    CHECK(first->kind() == ValKind::FuncRef);
    std::optional<Func> func = first->funcref();
    CHECK(func.has_value());
    if (func) CHECK_EQ(must(func->call(store, {Val(int32_t(2)), Val(int32_t(3))}))[0].i32(), 5);
  }
  CHECK_EQ(must(apply.call(store, {Val(int32_t(0)), Val(int32_t(6)), Val(int32_t(7))}))[0].i32(), 13);
  // Element 1 is null; out of range is nothing.
  std::optional<Val> second = table.get(store, 1);
  CHECK(second.has_value() && second->kind() == ValKind::FuncRef && !second->funcref());
  CHECK(!table.get(store, 2).has_value());
  CHECK(!table.get(store, UINT64_MAX).has_value());

  // Set, grow (returning the previous size), and their failures.
  CHECK(table.set(store, 1, Val(std::optional<Func>(add))));
  CHECK_EQ(must(apply.call(store, {Val(int32_t(1)), Val(int32_t(1)), Val(int32_t(1))}))[0].i32(), 2);
  CHECK(!table.set(store, 2, Val(std::optional<Func>(add))));
  CHECK(!table.set(store, 0, Val(int32_t(0))));
  CHECK_EQ(must(table.grow(store, 3, Val(std::optional<Func>()))), uint64_t(2));
  CHECK_EQ(table.size(store), uint64_t(5));
  CHECK(table.get(store, 4).has_value() && !table.get(store, 4)->funcref());
  CHECK_EQ(must(table.grow(store, 0, Val(std::optional<Func>()))), uint64_t(5));
  CHECK(!table.grow(store, 6, Val(std::optional<Func>())));
  CHECK_EQ(table.size(store), uint64_t(5));
  // The declared minimum stays in the type.
  CHECK_EQ(table.type(store)->min(), uint32_t(2));

  // Host tables, initialised with a function.
  Table host = must(Table::create(store, TableType(ValType::funcref(), 3, 4), Val(std::optional<Func>(add))));
  CHECK_EQ(host.size(store), uint64_t(3));
  std::optional<Val> element = host.get(store, 2);
  CHECK(element && element->funcref());
  if (element && element->funcref())
    CHECK_EQ(must(element->funcref()->call(store, {Val(int32_t(1)), Val(int32_t(2))}))[0].i32(), 3);
  CHECK_EQ(must(host.grow(store, 1, Val(std::optional<Func>()))), uint64_t(3));
  CHECK(!host.grow(store, 1, Val(std::optional<Func>())));
}

static void check_memories(Store &store, Instance &instance) {
  Memory memory = std::get<Memory>(*instance.get(store, "memory"));
  Func load8 = std::get<Func>(*instance.get(store, "load8"));
  Func grow = std::get<Func>(*instance.get(store, "grow"));
  CHECK_EQ(memory.size(store), uint64_t(1));
  CHECK_EQ(memory.page_size(store), uint64_t(65536));
  CHECK_EQ(memory.page_size_log2(store), uint8_t(16));
  Span<uint8_t> data = memory.data(store);
  CHECK_EQ(data.size(), size_t(65536));
  CHECK(std::memcmp(data.data() + 16, "hello", 5) == 0);
  // The host writes, the module reads, and the other way round.
  data[100] = 0xab;
  CHECK_EQ(must(load8.call(store, {Val(int32_t(100))}))[0].i32(), 0xab);
  CHECK_EQ(must(load8.call(store, {Val(int32_t(17))}))[0].i32(), int('e'));

  // Growth from the host and from the module; beyond the maximum it fails.
  CHECK_EQ(must(memory.grow(store, 1)), uint64_t(1));
  CHECK_EQ(memory.size(store), uint64_t(2));
  CHECK_EQ(memory.data(store).size(), size_t(2 * 65536));
  CHECK_EQ(memory.data(store)[100], uint8_t(0xab));
  CHECK_EQ(must(grow.call(store, {Val(int32_t(2))}))[0].i32(), 2);
  CHECK_EQ(memory.size(store), uint64_t(4));
  CHECK_EQ(must(grow.call(store, {Val(int32_t(1))}))[0].i32(), -1);
  CHECK(!memory.grow(store, 1));
  CHECK_EQ(memory.size(store), uint64_t(4));
  CHECK_EQ(memory.type(store)->min(), uint64_t(1));
  CHECK(memory.type(store)->max() == std::optional<uint64_t>(4));

  // Host memories.
  Memory host = must(Memory::create(store, MemoryType(1, 2)));
  CHECK_EQ(host.size(store), uint64_t(1));
  CHECK(host.data(store)[65535] == 0);
  CHECK_EQ(must(host.grow(store, 1)), uint64_t(1));
  CHECK(!host.grow(store, 1));
  MemoryType built = must(MemoryType::Builder().min(3).max(5).build());
  CHECK(built->min() == 3 && built->max() == std::optional<uint64_t>(5));
  Memory from_builder = must(Memory::create(store, built));
  CHECK_EQ(from_builder.size(store), uint64_t(3));
  CHECK(!MemoryType::Builder().min(2).max(1).build());
}

static void check_exports_by_index(Store &store, Instance &instance) {
  auto first = instance.get(store, size_t(0));
  CHECK(first && first->first == "memory" && std::holds_alternative<Memory>(first->second));
  auto fifth = instance.get(store, size_t(4));
  CHECK(fifth && fifth->first == "add" && std::holds_alternative<Func>(fifth->second));
  CHECK(!instance.get(store, size_t(15)));
  CHECK(!instance.get(store, "missing"));
}

static void check_serialization(Engine &engine) {
  Module module = must(Module::compile(engine, "(module (func (export \"seven\") (result i32) (i32.const 7)))"));
  std::vector<uint8_t> artifact = must(module.serialize());
  CHECK(!artifact.empty());
  Module loaded = must(Module::deserialize(engine, Span<uint8_t>(artifact.data(), artifact.size())));
  Store store(engine);
  Instance instance = must(Instance::create(store, loaded, {}));
  CHECK_EQ(must(std::get<Func>(*instance.get(store, "seven")).call(store, {}))[0].i32(), 7);
  // A damaged artifact is refused.
  std::vector<uint8_t> damaged(artifact.begin(), artifact.begin() + artifact.size() / 2);
  CHECK(!Module::deserialize(engine, Span<uint8_t>(damaged.data(), damaged.size())));
  // An artifact for another engine configuration is refused.
  Config fuel_config;
  fuel_config.consume_fuel(true);
  Engine fuel_engine(std::move(fuel_config));
  CHECK(!Module::deserialize(fuel_engine, Span<uint8_t>(artifact.data(), artifact.size())));
}

int main() {
  Config config;
  config.wasm_simd(true);
  config.wasm_bulk_memory(true);
  config.wasm_multi_value(true);
  config.wasm_reference_types(true);
  config.max_wasm_stack(512 * 1024);
  Engine engine(std::move(config));
  Engine copy = engine; // engines are shared by reference

  Module module = must(Module::compile(engine, kModule));
  Module module_copy = module;
  check_export_types(module_copy);
  check_import_types(engine);
  check_compile_errors(engine);

  Store store(copy);
  Instance instance = must(Instance::create(store, module, {}));
  check_calls(store, instance);
  check_globals(store, instance);
  check_tables(store, instance);
  check_memories(store, instance);
  check_exports_by_index(store, instance);
  check_serialization(engine);

  // A default engine and a second store are independent of the first.
  Engine plain;
  Store other(plain);
  Module again = must(Module::compile(plain, kModule));
  Instance fresh = must(Instance::create(other, again, {}));
  CHECK_EQ(std::get<Global>(*fresh.get(other, "counter")).get(other).i32(), 7);
  CHECK_EQ(std::get<Global>(*instance.get(store, "counter")).get(store).i32(), 101);
  return check::report("test_cxx_module");
}
