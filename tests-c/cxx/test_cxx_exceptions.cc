// wasmtime's C++ API over swasm: exceptions. A Tag made by the host and imported by a module;
// ExnRef::create with its fields read back (tag, field count, fields); a host function throwing
// through Store::Context::throw_exception into the module's try_table; an exception escaping a
// call, taken from the store with take_exception and thrown again by the module.
#include <optional>
#include <vector>

#include <wasmtime.hh>

#include "check.hh"

using namespace wasmtime;

static const char *const kModule = R"wat(
(module
  (import "host" "tag" (tag $t (param i32)))
  (import "host" "throw" (func $throw (param i32)))
  (func (export "caught") (param i32) (result i32)
    (block $h (result i32) (try_table (catch $t $h) (call $throw (local.get 0))) (i32.const -1)))
  (func (export "escape") (param i32) (throw $t (local.get 0)))
  (func (export "rethrow") (param exnref) (result i32)
    (block $h (result i32) (try_table (catch $t $h) (throw_ref (local.get 0))) (i32.const -1))))
)wat";

int main() {
  Engine engine;
  Store store(engine);
  Module module = must(Module::compile(engine, kModule));

  FuncType tag_signature({ValType::i32()}, {});
  Tag tag = must(Tag::create(store, TagType(tag_signature)));
  Tag other = must(Tag::create(store, TagType(tag_signature)));
  CHECK(tag.eq(store, tag));
  CHECK(!tag.eq(store, other));

  // An exception made by the host: its tag and fields.
  ExnRef made = must(ExnRef::create(store, tag, {Val(int32_t(41))}));
  CHECK_EQ(made.field_count(store), size_t(1));
  CHECK_EQ(must(made.field(store, 0)).i32(), 41);
  CHECK(must(made.tag(store)).eq(store, tag));
  CHECK(!made.field(store, 1)); // no such field
  CHECK(!ExnRef::create(store, tag, {})); // one field expected
  CHECK(!ExnRef::create(store, tag, {Val(int64_t(1))})); // of type i32

  Linker linker(engine);
  CHECK(linker.define(store, "host", "tag", tag));
  Func thrower(store, FuncType({ValType::i32()}, {}),
               [tag](Caller caller, Span<const Val> params, Span<Val>) -> Result<std::monostate, Trap> {
                 auto exception = ExnRef::create(caller.context(), tag, {Val(int32_t(params[0].i32() * 2))});
                 if (!exception) return Trap("cannot make the exception");
                 return caller.context().throw_exception(exception.ok());
               });
  CHECK(linker.define(store, "host", "throw", thrower));
  Instance instance = must(linker.instantiate(store, module));

  // Thrown by the host function, caught by its caller.
  Func caught = std::get<Func>(*instance.get(store, "caught"));
  std::vector<Val> results = must(caught.call(store, {Val(int32_t(21))}));
  CHECK_EQ(results.size(), size_t(1));
  CHECK_EQ(results[0].i32(), 42);
  CHECK(!store.context().has_exception());

  // Escaping a call: a trap, the exception pending until taken.
  Func escape = std::get<Func>(*instance.get(store, "escape"));
  auto escaped = escape.call(store, {Val(int32_t(7))});
  CHECK(!escaped);
  CHECK(store.context().has_exception());
  std::optional<ExnRef> pending = store.context().take_exception();
  CHECK(pending.has_value());
  CHECK(!store.context().has_exception());
  if (pending) {
    CHECK_EQ(must(pending->field(store, 0)).i32(), 7);
    // Thrown again by the module, which catches it.
    Func rethrow = std::get<Func>(*instance.get(store, "rethrow"));
    std::vector<Val> again = must(rethrow.call(store, {Val(*pending)}));
    CHECK_EQ(again[0].i32(), 7);
    std::vector<Val> host_made = must(rethrow.call(store, {Val(made)}));
    CHECK_EQ(host_made[0].i32(), 41);
  }
  return check::report("test_cxx_exceptions");
}
