import Foundation
import Testing
import CSwasm
@testable import Swasm

// The runtime layer below the C API: `Store.call`, host functions (native trampolines working on
// slots), import resolution and command modules, driven directly from Swift.

/// Compiles WebAssembly text with a fresh default engine.
private func compile(_ text: String, engine: Shared<Engine>) throws -> Shared<CompiledModule> {
    var diagnostic = Diagnostic()
    let source = Array(text.utf8)
    return try source.withUnsafeBytes { (raw) throws -> Shared<CompiledModule> in
        var binary = try TextAssembler.assemble(raw, diagnostic: &diagnostic)
        let taken = binary.takeBytes()
        defer { Heap.freeRaw(taken.bytes.map { UnsafeMutableRawPointer($0) }) }
        return try CompiledModule.compile(engine: engine, bytes: UnsafeRawBufferPointer(start: taken.bytes, count: taken.count), diagnostic: &diagnostic)
    }
}

/// Call values held in Swift arrays.
private struct ArrayValues: CallValues {
    var arguments: [HostValue]
    var results: [HostValue] = []

    func argument(_ index: Int, as type: ValueType, in store: UnsafeMutablePointer<Store>) -> HostValue { arguments[index] }

    mutating func setResult(_ index: Int, from slots: UnsafePointer<UInt64>, as type: ValueType, in store: UnsafeMutablePointer<Store>) {
        results.append(store.pointee.hostValue(slots, as: type, rooting: false))
    }
}

/// What a call's outcome says, in a form the test macros can compare.
private func describe(_ outcome: consuming CallOutcome) -> String {
    switch consume outcome {
    case .returned: return "returned"
    case .trapped(let code): return "trapped: \(code.message)"
    case .failed(let cell):
        let failure = Failure.take(cell)
        var text = ByteBuffer()
        try? failure.render(into: &text)
        return "failed(\(failure.kind)): " + string(text)
    }
}

private func i32(_ value: HostValue) -> UInt32? {
    if case .i32(let bits) = value { return bits }
    return nil
}

/// A native host function: its argument plus one.
private let addOne: HostTrampoline = { raw in
    let call = HostCall.from(raw)
    guard case .i32(let value) = call.pointee.takeArgument() else { return }
    _ = call.pointee.giveResult(.i32(value &+ 1))
}

/// A native host function that returns a value of the wrong type.
private let wrongResult: HostTrampoline = { raw in
    _ = HostCall.from(raw).pointee.giveResult(.i64(7))
}

/// A native host function that traps.
private let failing: HostTrampoline = { raw in
    HostCall.from(raw).pointee.fail(Failure.trap(.integerDivisionByZero))
}

private func definition(_ trampoline: HostTrampoline, parameters: [ValueType], results: [ValueType]) throws -> HostFunctionDefinition {
    var function = try HostFunctionDefinition(trampoline: trampoline, callback: nil, environment: nil, finalizer: nil)
    for type in parameters { try function.parameters.append(type) }
    for type in results { try function.results.append(type) }
    return function
}

/// Bytes of `text` in memory that outlives closures (freed by the caller).
private func rawBytes(_ text: String) -> UnsafeMutableRawBufferPointer {
    let bytes = Array(text.utf8)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
    buffer.copyBytes(from: bytes)
    return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count])
}

private func define(_ linker: inout Linker, _ module: String, _ name: String, _ function: consuming HostFunctionDefinition) throws {
    var diagnostic = Diagnostic()
    let moduleBytes = rawBytes(module), nameBytes = rawBytes(name)
    defer { moduleBytes.deallocate(); nameBytes.deallocate() }
    try linker.define(module: moduleBytes.baseAddress, moduleBytes.count, name: nameBytes.baseAddress, nameBytes.count,
                      .function(function), diagnostic: &diagnostic)
}

/// Instantiates through `linker` and returns the export `name` as a function.
private func instantiateAndExport(_ linker: borrowing Linker, _ module: Shared<CompiledModule>, _ store: UnsafeMutablePointer<Store>,
                         export name: String) throws -> (String, UnsafeMutablePointer<swasm_function>?) {
    var diagnostic = Diagnostic()
    var index = 0
    let outcome = try linker.instantiate(module, in: store, index: &index, diagnostic: &diagnostic)
    let described = describe(outcome)
    let nameBytes = Array(name.utf8)
    let value = nameBytes.withUnsafeBytes { store.pointee.instances[index].pointee.export(named: $0.baseAddress, count: $0.count) }
    guard case .function(let function) = value else { return (described, nil) }
    return (described, function)
}

@Suite struct RuntimeLayerTests {
    @Test func callChecksArityAndValuesAndLaysOutSlots() throws {
        let engine = try Engine.create(config: EngineConfig())
        defer { engine.release() }
        let module = try compile("""
            (module (func (export "mix") (param i32 v128 i64) (result i64 i32)
              local.get 2 local.get 0 i32.const 1 i32.add))
            """, engine: engine)
        defer { module.release() }
        let store = try Store.create(engine: engine, hostData: nil, hostFinalizer: nil)
        defer { Heap.destroy(store) }
        let linker = Linker(engine: engine)
        let (started, function) = try instantiateAndExport(linker, module, store, export: "mix")
        #expect(started == "returned")
        let callee = try #require(function)

        var values = ArrayValues(arguments: [.i32(41), .v128(1, 2), .i64(9)])
        #expect(describe(store.pointee.call(callee, &values, argumentCount: 3, resultCount: 2)) == "returned")
        guard case .i64(let first) = values.results[0] else { Issue.record("first result is not an i64"); return }
        #expect(first == 9)
        #expect(i32(values.results[1]) == 42)

        var short = ArrayValues(arguments: [.i32(1)])
        #expect(describe(store.pointee.call(callee, &short, argumentCount: 1, resultCount: 2)) == "failed(invalidArgument): expected 3 arguments, got 1")
        var fewResults = ArrayValues(arguments: [.i32(1), .v128(0, 0), .i64(0)])
        #expect(describe(store.pointee.call(callee, &fewResults, argumentCount: 3, resultCount: 1)) == "failed(invalidArgument): expected 2 results, got 1")
        var wrongKind = ArrayValues(arguments: [.i64(1), .v128(0, 0), .i64(0)])
        #expect(describe(store.pointee.call(callee, &wrongKind, argumentCount: 3, resultCount: 2))
                == "failed(invalidArgument): argument type mismatch\n\nCaused by:\n    type mismatch: expected i32, found i64\n")
        #expect(wrongKind.results.isEmpty)
    }

    @Test func callRefusesReferencesOfOtherStoresAndForgedOnes() throws {
        let engine = try Engine.create(config: EngineConfig())
        defer { engine.release() }
        let module = try compile("(module (func (export \"f\") (param funcref)))", engine: engine)
        defer { module.release() }
        let store = try Store.create(engine: engine, hostData: nil, hostFinalizer: nil)
        defer { Heap.destroy(store) }
        let (_, function) = try instantiateAndExport(Linker(engine: engine), module, store, export: "f")
        let callee = try #require(function)
        var forged = ArrayValues(arguments: [.funcref(storeID: store.pointee.id, function: UnsafeMutableRawPointer(bitPattern: 0x1000))])
        #expect(describe(store.pointee.call(callee, &forged, argumentCount: 1, resultCount: 0))
                == "failed(invalidArgument): argument type mismatch\n\nCaused by:\n    value used with wrong store\n")
        var own = ArrayValues(arguments: [.funcref(storeID: store.pointee.id, function: UnsafeMutableRawPointer(callee))])
        #expect(describe(store.pointee.call(callee, &own, argumentCount: 1, resultCount: 0)) == "returned")
        var null = ArrayValues(arguments: [.funcref(storeID: 0, function: nil)])
        #expect(describe(store.pointee.call(callee, &null, argumentCount: 1, resultCount: 0)) == "returned")
    }

    @Test func nativeHostFunctionsWorkOnSlots() throws {
        let engine = try Engine.create(config: EngineConfig())
        defer { engine.release() }
        let module = try compile("""
            (module
              (import "host" "add_one" (func $add_one (param i32) (result i32)))
              (import "host" "wrong" (func $wrong (result i32)))
              (import "host" "fail" (func $fail))
              (func (export "twice") (param i32) (result i32) local.get 0 call $add_one call $add_one)
              (func (export "wrong") (result i32) call $wrong)
              (func (export "fail") call $fail))
            """, engine: engine)
        defer { module.release() }
        let store = try Store.create(engine: engine, hostData: nil, hostFinalizer: nil)
        defer { Heap.destroy(store) }
        var linker = Linker(engine: engine)
        try define(&linker, "host", "add_one", definition(addOne, parameters: [.i32], results: [.i32]))
        try define(&linker, "host", "wrong", definition(wrongResult, parameters: [], results: [.i32]))
        try define(&linker, "host", "fail", definition(failing, parameters: [], results: []))

        let (_, twice) = try instantiateAndExport(linker, module, store, export: "twice")
        var values = ArrayValues(arguments: [.i32(40)])
        #expect(describe(store.pointee.call(try #require(twice), &values, argumentCount: 1, resultCount: 1)) == "returned")
        #expect(i32(values.results[0]) == 42)

        let (_, wrong) = try instantiateAndExport(linker, module, store, export: "wrong")
        var none = ArrayValues(arguments: [])
        let refused = describe(store.pointee.call(try #require(wrong), &none, argumentCount: 0, resultCount: 1))
        #expect(refused.hasPrefix("failed(invalidArgument): error while executing at wasm backtrace:"))
        #expect(refused.contains("function attempted to return an incompatible value"))
        #expect(refused.contains("type mismatch: expected i32, found i64"))

        let (_, fail) = try instantiateAndExport(linker, module, store, export: "fail")
        let trapped = describe(store.pointee.call(try #require(fail), &none, argumentCount: 0, resultCount: 0))
        #expect(trapped.hasPrefix("failed(trap): error while executing at wasm backtrace:"))
        #expect(trapped.contains("wasm trap: integer divide by zero"))
    }

    @Test func importResolutionNamesTheMissingImport() throws {
        let engine = try Engine.create(config: EngineConfig())
        defer { engine.release() }
        let module = try compile("(module (import \"env\" \"missing\" (func)))", engine: engine)
        defer { module.release() }
        let store = try Store.create(engine: engine, hostData: nil, hostFinalizer: nil)
        defer { Heap.destroy(store) }
        let linker = Linker(engine: engine)
        var diagnostic = Diagnostic()
        var failure: SwasmError?
        do { _ = try linker.resolveImports(of: module, in: store, diagnostic: &diagnostic) } catch { failure = error }
        #expect(failure == .unlinkable)
        #expect(string(diagnostic.message) == "unknown import: `env::missing` has not been defined")
        var checked = Diagnostic()
        failure = nil
        do { try linker.checkDefined(module, diagnostic: &checked) } catch { failure = error }
        #expect(failure == .unlinkable)
    }

    @Test func unknownImportsBecomeTrappingOrDefaultFunctions() throws {
        let engine = try Engine.create(config: EngineConfig())
        defer { engine.release() }
        let module = try compile("""
            (module (import "env" "f" (func $f (result i64 f32)))
              (func (export "run") (result i64 f32) call $f))
            """, engine: engine)
        defer { module.release() }
        let store = try Store.create(engine: engine, hostData: nil, hostFinalizer: nil)
        defer { Heap.destroy(store) }
        var defaults = Linker(engine: engine)
        try defaults.defineUnknownFunctions(of: module, traps: false)
        let (_, run) = try instantiateAndExport(defaults, module, store, export: "run")
        var values = ArrayValues(arguments: [])
        #expect(describe(store.pointee.call(try #require(run), &values, argumentCount: 0, resultCount: 2)) == "returned")
        guard case .i64(0) = values.results[0], case .f32(0) = values.results[1] else { Issue.record("defaults are not zero"); return }

        var traps = Linker(engine: engine)
        try traps.defineUnknownFunctions(of: module, traps: true)
        let (_, trapping) = try instantiateAndExport(traps, module, store, export: "run")
        let outcome = describe(store.pointee.call(try #require(trapping), &values, argumentCount: 0, resultCount: 2))
        #expect(outcome.contains("unknown import: `env::f` has not been defined"))
    }

    @Test func commandModulesRunEachCallInAFreshInstance() throws {
        let engine = try Engine.create(config: EngineConfig())
        defer { engine.release() }
        let command = try compile("""
            (module (global $count (mut i32) (i32.const 0))
              (func (export "_start"))
              (func (export "bump") (result i32)
                global.get $count i32.const 1 i32.add global.set $count global.get $count))
            """, engine: engine)
        defer { command.release() }
        let user = try compile("""
            (module (import "cmd" "bump" (func $bump (result i32)))
              (func (export "run") (result i32) call $bump drop call $bump))
            """, engine: engine)
        defer { user.release() }
        let store = try Store.create(engine: engine, hostData: nil, hostFinalizer: nil)
        defer { Heap.destroy(store) }
        var linker = Linker(engine: engine)
        var diagnostic = Diagnostic()
        let name = Array("cmd".utf8)
        let defined = try name.withUnsafeBytes { (raw) throws -> String in
            describe(try linker.defineModule(raw.baseAddress, raw.count, command, in: store, diagnostic: &diagnostic))
        }
        #expect(defined == "returned")
        let (_, run) = try instantiateAndExport(linker, user, store, export: "run")
        var values = ArrayValues(arguments: [])
        #expect(describe(store.pointee.call(try #require(run), &values, argumentCount: 0, resultCount: 1)) == "returned")
        // Each call instantiated the command afresh, so its counter started at zero both times.
        #expect(i32(values.results[0]) == 1)
    }
}

/// Compiled code reads a `LinearMemory` as a C `swasm_memory` (base, then size in bytes): the
/// leading stored properties must stay in that order and place.
@Test func linearMemoryLeadsWithTheFieldsCompiledCodeReads() throws {
    let memory = try LinearMemory.create(MemoryType(limits: Limits(minimum: 2, maximum: nil)), limits: StoreLimits())
    defer { Heap.destroy(memory) }
    let view = UnsafeMutableRawPointer(memory).assumingMemoryBound(to: swasm_memory.self)
    #expect(view.pointee.base == memory.pointee.base)
    #expect(view.pointee.size == memory.pointee.byteCount)
    #expect(view.pointee.size == 2 * 65536)
    #expect(LinearMemory.owning(view) == memory)
}

/// A mutator for the collector: `run(seed, steps)` keeps 64 slots of references and, driven by a
/// xorshift generator, allocates structs linked to older objects, byte arrays of random lengths
/// (up to 400 bytes), arrays of references and i31s into random slots, drops slots and reads
/// them back, returning a checksum of what it read.
private let mutatorText = """
    (module
      (type $pair (struct (field $v i32) (field $next anyref)))
      (type $bytes (array (mut i8)))
      (type $refs (array (mut anyref)))
      (global $slots (mut (ref null $refs)) (ref.null $refs))
      (global $r (mut i32) (i32.const 1))
      (func $next (result i32)
        (global.set $r (i32.xor (global.get $r) (i32.shl (global.get $r) (i32.const 13))))
        (global.set $r (i32.xor (global.get $r) (i32.shr_u (global.get $r) (i32.const 17))))
        (global.set $r (i32.xor (global.get $r) (i32.shl (global.get $r) (i32.const 5))))
        (global.get $r))
      (func $slot (param $r i32) (result i32) (i32.and (local.get $r) (i32.const 63)))
      (func $look (param $x anyref) (result i32)
        (if (ref.test (ref $pair) (local.get $x))
          (then (return (struct.get $pair $v (ref.cast (ref $pair) (local.get $x))))))
        (if (ref.test (ref $bytes) (local.get $x)) (then (return (i32.add (i32.const 1000)
          (array.len (ref.cast (ref $bytes) (local.get $x)))))))
        (if (ref.test (ref $refs) (local.get $x)) (then (return (i32.add (i32.const 2000)
          (array.len (ref.cast (ref $refs) (local.get $x)))))))
        (if (ref.test (ref i31) (local.get $x)) (then (return (i31.get_u (ref.cast (ref i31) (local.get $x))))))
        (i32.const 7))
      (func (export "run") (param $seed i32) (param $steps i32) (result i32) (local $r i32) (local $sum i32) (local $i i32)
        (global.set $r (i32.or (local.get $seed) (i32.const 1)))
        (global.set $slots (array.new_default $refs (i32.const 64)))
        (loop $l
          (local.set $r (call $next))
          (block $done
            (block $look (block $b3 (block $b2 (block $b1 (block $b0
              (br_table $b0 $b1 $b2 $b3 $look $look (i32.rem_u (local.get $r) (i32.const 6))))
              (array.set $refs (global.get $slots) (call $slot (local.get $r))
                (struct.new $pair (local.get $r)
                  (array.get $refs (global.get $slots) (call $slot (i32.shr_u (local.get $r) (i32.const 8))))))
              (br $done))
              (array.set $refs (global.get $slots) (call $slot (local.get $r))
                (array.new $bytes (local.get $r) (i32.rem_u (i32.shr_u (local.get $r) (i32.const 4)) (i32.const 400))))
              (br $done))
              (array.set $refs (global.get $slots) (call $slot (local.get $r))
                (if (result anyref) (i32.and (local.get $r) (i32.const 64)) (then (ref.null any)) (else (ref.i31 (local.get $r)))))
              (br $done))
              (array.set $refs (global.get $slots) (call $slot (local.get $r))
                (array.new $refs (array.get $refs (global.get $slots) (call $slot (i32.shr_u (local.get $r) (i32.const 8))))
                  (i32.rem_u (local.get $r) (i32.const 17))))
              (br $done))
            (local.set $sum (i32.add (local.get $sum)
              (call $look (array.get $refs (global.get $slots) (call $slot (local.get $r)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $steps))))
        (local.get $sum)))
    """

@Suite struct GCStressTests {
    /// Random mutators under a tight store limit: the heap never holds more than the limit, the
    /// collector runs, every run either gives the checksum of the same run without a limit or
    /// ends with the out-of-memory error, and the store stays usable afterwards.
    @Test func randomMutatorsStayWithinTheLimit() throws {
        let engine = try Engine.create(config: EngineConfig())
        defer { engine.release() }
        let module = try compile(mutatorText, engine: engine)
        defer { module.release() }
        let seeds = Int(ProcessInfo.processInfo.environment["SWASM_GC_STRESS_SEEDS"] ?? "") ?? 40
        var completed = 0, outOfMemory = 0, collections = 0
        for seed in 1...seeds {
            // Every fourth run gets a limit below what the mutator keeps alive at times.
            let limit: UInt64 = seed % 4 == 0 ? 12 * 1024 : 48 * 1024
            var checksums: [UInt32?] = []
            for limited in [false, true] {
                let store = try Store.create(engine: engine, hostData: nil, hostFinalizer: nil)
                defer { Heap.destroy(store) }
                if limited { store.pointee.limits.memorySize = limit }
                let linker = Linker(engine: engine)
                let (started, function) = try instantiateAndExport(linker, module, store, export: "run")
                #expect(started == "returned")
                let run = try #require(function)
                var values = ArrayValues(arguments: [.i32(UInt32(seed) &* 2_654_435_761), .i32(20000)])
                let outcome = describe(store.pointee.call(run, &values, argumentCount: 2, resultCount: 1))
                if limited {
                    #expect(store.pointee.gc.byteCount <= Int(limit), "seed \(seed): \(store.pointee.gc.byteCount) bytes")
                    collections += store.pointee.gc.collections
                    if outcome == "returned" {
                        completed += 1
                        #expect(i32(values.results[0]) == checksums[0], "seed \(seed): another checksum under the limit")
                    } else {
                        outOfMemory += 1
                        #expect(outcome.hasPrefix("failed(outOfMemory)"), "seed \(seed): \(outcome)")
                    }
                    store.pointee.collectGarbage()
                    #expect(store.pointee.gc.byteCount <= Int(limit))
                    // Usable afterwards (with room again): a short run completes.
                    store.pointee.limits.memorySize = nil
                    var again = ArrayValues(arguments: [.i32(7), .i32(100)])
                    #expect(describe(store.pointee.call(run, &again, argumentCount: 2, resultCount: 1)) == "returned")
                } else {
                    #expect(outcome == "returned", "seed \(seed) without a limit: \(outcome)")
                    checksums.append(values.results.first.flatMap(i32))
                }
            }
        }
        #expect(completed > 0 && outOfMemory > 0)
        #expect(collections > seeds)
        print("gc stress: \(seeds) seeds, \(completed) completed, \(outOfMemory) out of memory, \(collections) collections")
    }

    /// Frames are scanned through their stack maps, not word by word: a number that equals an
    /// object's address does not keep the object alive, and a reference in a parameter does.
    @Test func stackMapsArePrecise() throws {
        let engine = try Engine.create(config: EngineConfig())
        defer { engine.release() }
        let module = try compile("""
            (module
              (type $box (struct (field i32)))
              (type $bytes (array i8))
              (func (export "make") (result (ref $box)) (struct.new $box (i32.const 42)))
              ;; Allocates an object of another size, so that it cannot take the freed box's place.
              (func (export "number") (param $address i64) (result i64)
                (drop (array.new_default $bytes (i32.const 256)))
                (local.get $address))
              (func (export "reference") (param $box (ref $box)) (result i32)
                (drop (struct.new $box (i32.const 0)))
                (struct.get $box 0 (local.get $box))))
            """, engine: engine)
        defer { module.release() }
        let store = try Store.create(engine: engine, hostData: nil, hostFinalizer: nil)
        defer { Heap.destroy(store) }
        let linker = Linker(engine: engine)
        var diagnostic = Diagnostic()
        var index = 0
        #expect(describe(try linker.instantiate(module, in: store, index: &index, diagnostic: &diagnostic)) == "returned")
        func export(_ name: String) throws -> UnsafeMutablePointer<swasm_function> {
            let value = Array(name.utf8).withUnsafeBytes { store.pointee.instances[index].pointee.export(named: $0.baseAddress, count: $0.count) }
            guard case .function(let function) = value else { throw SwasmError.invalidArgument }
            return function
        }
        func make() throws -> UInt64 {
            var values = ArrayValues(arguments: [])
            #expect(describe(store.pointee.call(try export("make"), &values, argumentCount: 0, resultCount: 1)) == "returned")
            guard case .anyref(_, let word) = values.results[0] else { throw SwasmError.invalidArgument }
            return word
        }
        // Every allocation collects from here on.
        store.pointee.gc.stress = true
        let unreferenced = try make()
        let made = store.pointee.isObject(unreferenced)
        #expect(made)
        var number = ArrayValues(arguments: [.i64(unreferenced)])
        #expect(describe(store.pointee.call(try export("number"), &number, argumentCount: 1, resultCount: 1)) == "returned")
        let kept = store.pointee.isObject(unreferenced)
        #expect(!kept, "an i64 holding an object's address kept it alive")
        let referenced = try make()
        var reference = ArrayValues(arguments: [.anyref(storeID: store.pointee.id, word: referenced)])
        #expect(describe(store.pointee.call(try export("reference"), &reference, argumentCount: 1, resultCount: 1)) == "returned")
        #expect(reference.results.first.flatMap(i32) == 42)
        let collections = store.pointee.gc.collections
        #expect(collections >= 2)
    }
}
