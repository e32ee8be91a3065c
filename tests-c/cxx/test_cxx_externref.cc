// wasmtime's C++ API over swasm: externrefs (ExternRef holding std::any host data) through Val
// calls, typed calls, host functions, globals and tables, and Store::gc running the finalizers of
// the ones nothing references any more (globals, tables and host-held values keep theirs alive).
#include <any>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <wasmtime.hh>

#include "check.hh"

using namespace wasmtime;

static const char *const kModule = R"wat(
(module
  (import "host" "inspect" (func $inspect (param externref) (result externref)))
  (global $kept (export "kept") (mut externref) (ref.null extern))
  (table $slots (export "slots") 4 externref)
  (func (export "identity") (param externref) (result externref) (local.get 0))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "store") (param i32 externref) (table.set $slots (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result externref) (table.get $slots (local.get 0)))
  (func (export "keep") (param externref) (global.set $kept (local.get 0)))
  (func (export "forget") (global.set $kept (ref.null extern)))
  (func (export "through_host") (param externref) (result externref) (call $inspect (local.get 0)))
  (func (export "pick") (param externref externref i32) (result externref)
    (select (result externref) (local.get 0) (local.get 1) (local.get 2))))
)wat";

// Host data whose destruction is counted: an ExternRef's finalizer destroys its std::any, and with
// it the last reference to a Payload.
struct Payload {
  std::string text;
  int *destroyed;
  Payload(std::string text, int *destroyed) : text(std::move(text)), destroyed(destroyed) {}
  ~Payload() { (*destroyed)++; }
};

static ExternRef make_ref(Store &store, const std::string &text, int *destroyed) {
  return ExternRef(store, std::make_shared<Payload>(text, destroyed));
}

static std::string text_of(Store::Context cx, std::optional<ExternRef> ref) {
  if (!ref) return "<null>";
  std::any &data = ref->data(cx);
  if (auto *payload = std::any_cast<std::shared_ptr<Payload>>(&data)) return (*payload)->text;
  if (auto *text = std::any_cast<std::string>(&data)) return *text;
  return "<other>";
}

int main() {
  Config config;
  config.wasm_reference_types(true);
  Engine engine(std::move(config));
  int destroyed = 0;
  std::vector<std::string> inspected;
  {
    Store store(engine);
    Linker linker(engine);
    // A host function over typed externrefs: records what it sees, returns a new reference.
    CHECK(linker.func_wrap("host", "inspect", [&inspected](Caller caller, std::optional<ExternRef> ref) {
      inspected.push_back(text_of(caller.context(), ref));
      return std::optional<ExternRef>(ExternRef(caller.context(), std::string("from host")));
    }));
    Module module = must(Module::compile(engine, kModule));
    Instance instance = must(linker.instantiate(store, module));
    Func identity = std::get<Func>(*instance.get(store, "identity"));
    Func is_null = std::get<Func>(*instance.get(store, "is_null"));

    // Host data goes in and comes back as the same object.
    {
      ExternRef hello = make_ref(store, "hello", &destroyed);
      CHECK_EQ(text_of(store, hello), std::string("hello"));
      std::vector<Val> results = must(identity.call(store, {Val(hello)}));
      CHECK(results.size() == 1 && results[0].kind() == ValKind::ExternRef);
      std::optional<ExternRef> back = results[0].externref();
      CHECK(back.has_value());
      CHECK_EQ(text_of(store, back), std::string("hello"));
      if (back) {
        // Both handles share the data: a change through one is seen through the other.
        std::any_cast<std::shared_ptr<Payload>>(back->data(store))->text = "changed";
        CHECK_EQ(text_of(store, hello), std::string("changed"));
      }
      CHECK_EQ(must(is_null.call(store, {Val(hello)}))[0].i32(), 0);
      // A null externref.
      results = must(identity.call(store, {Val(std::optional<ExternRef>())}));
      CHECK(results[0].kind() == ValKind::ExternRef && !results[0].externref());
      CHECK_EQ(must(is_null.call(store, {Val(std::optional<ExternRef>())}))[0].i32(), 1);
    }

    // Typed calls pass externrefs as raw values.
    auto typed_identity = must((identity.typed<std::optional<ExternRef>, std::optional<ExternRef>>(store)));
    std::optional<ExternRef> typed_back = must(typed_identity.call(store, make_ref(store, "typed", &destroyed)));
    CHECK_EQ(text_of(store, typed_back), std::string("typed"));
    CHECK(!must(typed_identity.call(store, std::nullopt)));
    auto pick = must((std::get<Func>(*instance.get(store, "pick"))
                          .typed<std::tuple<std::optional<ExternRef>, std::optional<ExternRef>, int32_t>,
                                 std::optional<ExternRef>>(store)));
    ExternRef left = make_ref(store, "left", &destroyed);
    ExternRef right = make_ref(store, "right", &destroyed);
    CHECK_EQ(text_of(store, must(pick.call(store, {left, right, 1}))), std::string("left"));
    CHECK_EQ(text_of(store, must(pick.call(store, {left, right, 0}))), std::string("right"));

    // Through a host function.
    Func through_host = std::get<Func>(*instance.get(store, "through_host"));
    std::vector<Val> results = must(through_host.call(store, {Val(make_ref(store, "to host", &destroyed))}));
    CHECK_EQ(text_of(store, results[0].externref()), std::string("from host"));
    results = must(through_host.call(store, {Val(std::optional<ExternRef>())}));
    CHECK(inspected == std::vector<std::string>({"to host", "<null>"}));

    // Globals and tables hold externrefs, from Wasm and from the host.
    Global kept = std::get<Global>(*instance.get(store, "kept"));
    Table slots = std::get<Table>(*instance.get(store, "slots"));
    CHECK(!kept.get(store).externref());
    CHECK(must(std::get<Func>(*instance.get(store, "keep")).call(store, {Val(make_ref(store, "global", &destroyed))}))
              .empty());
    CHECK_EQ(text_of(store, kept.get(store).externref()), std::string("global"));
    CHECK(kept.set(store, Val(make_ref(store, "set by host", &destroyed))));
    CHECK_EQ(text_of(store, kept.get(store).externref()), std::string("set by host"));
    CHECK(must(std::get<Func>(*instance.get(store, "store")).call(
        store, {Val(int32_t(2)), Val(make_ref(store, "slot 2", &destroyed))})).empty());
    CHECK(slots.set(store, 3, Val(make_ref(store, "slot 3", &destroyed))));
    Func load = std::get<Func>(*instance.get(store, "load"));
    CHECK_EQ(text_of(store, must(load.call(store, {Val(int32_t(2))}))[0].externref()), std::string("slot 2"));
    CHECK_EQ(text_of(store, must(load.call(store, {Val(int32_t(3))}))[0].externref()), std::string("slot 3"));
    CHECK(slots.get(store, 0) && !slots.get(store, 0)->externref());
    CHECK_EQ(must(slots.grow(store, 2, Val(make_ref(store, "grown", &destroyed)))), uint64_t(4));
    CHECK_EQ(text_of(store, slots.get(store, 5)->externref()), std::string("grown"));
    // A host table of externrefs.
    Table host_table = must(Table::create(store, TableType(ValType::externref(), 2), Val(std::optional<ExternRef>())));
    CHECK(host_table.set(store, 1, Val(make_ref(store, "host table", &destroyed))));
    CHECK_EQ(text_of(store, host_table.get(store, 1)->externref()), std::string("host table"));
    // Values of the wrong kind are refused.
    CHECK(!slots.set(store, 0, Val(int32_t(1))));
    CHECK(!kept.set(store, Val(std::optional<Func>())));

    // Collection: what nothing references is finalized, the rest stays.
    results.clear();
    typed_back.reset();
    must(store.gc());
    // Still alive: "left" and "right" (held here), the global's, the tables' (slot 2, slot 3,
    // grown, host table). Gone: hello/changed, typed, to host, from host, the global's first.
    CHECK_EQ(destroyed, 4);
    CHECK_EQ(text_of(store, left), std::string("left"));
    CHECK_EQ(text_of(store, kept.get(store).externref()), std::string("set by host"));
    CHECK_EQ(text_of(store, slots.get(store, 4)->externref()), std::string("grown"));
    // Dropping the last references: the global, the table slots, the host handles.
    CHECK(must(std::get<Func>(*instance.get(store, "forget")).call(store, {})).empty());
    CHECK(slots.set(store, 2, Val(std::optional<ExternRef>())));
    must(store.gc());
    CHECK_EQ(destroyed, 6);
    {
      ExternRef moved = std::move(left);
      CHECK_EQ(text_of(store, moved), std::string("left"));
    }
    must(store.gc());
    CHECK_EQ(destroyed, 7);
    CHECK_EQ(text_of(store, right), std::string("right"));
  }
  // Deleting the store finalizes everything still referenced from it: right, slot 3, grown, host table.
  CHECK_EQ(destroyed, 11);
  return check::report("test_cxx_externref");
}
