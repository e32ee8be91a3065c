// wasm.h: runtime objects (instances, functions, globals, tables, memories, externs, foreign
// objects) and values. The object layouts are in CObjects/RuntimeObjects.swift; the reference
// functions (`_delete`, `_copy`, `_same`, host info, `_as_ref`, `_as_extern`) in WasmRefs.swift.
import CSwasm

// MARK: Traps as results

/// A trap owned by the caller for a static message (the out-of-memory trap if it cannot be made).
func messageTrap(_ text: StaticString) -> OpaquePointer {
    OpaquePointer(TrapReport.make(message: UnsafeRawPointer(text.utf8Start), count: text.utf8CodeUnitCount))
}

/// A trap carrying an error's message and frames; consumes the error.
func errorTrap(_ error: OpaquePointer) -> OpaquePointer {
    OpaquePointer(TrapReport.converting(ErrorReport.Handle(error)))
}

/// A trap owned by the caller whose message `compose` writes (the out-of-memory trap if it cannot).
func composedTrap(_ compose: (inout ByteBuffer) throws(SwasmError) -> Void) -> OpaquePointer {
    var text = ByteBuffer()
    do throws(SwasmError) { try compose(&text) } catch { return OpaquePointer(TrapReport.outOfMemory) }
    return OpaquePointer(TrapReport.make(message: text.bytes.map { UnsafeRawPointer($0) }, count: text.count))
}

/// wasmtime's "expected N WHAT, got M" for a count the host got wrong.
func countTrap(expected: Int, _ what: StaticString, got: Int, verb: StaticString = "got") -> OpaquePointer {
    OpaquePointer(TrapReport.make(Failure.arity(expected: expected, what, got: got, verb: verb)))
}

/// Hands `trap` to an optional out-parameter, deleting it when there is none.
func storeTrap(_ out: UnsafeMutablePointer<OpaquePointer?>?, _ trap: OpaquePointer) {
    if let out { out.pointee = trap } else { TrapReport.destroy(trapHandle(trap)) }
}

// MARK: Values

/// Conversions between `wasm_val_t` and frame slots / `wasmtime_val_t`.
enum WasmValues {
    /// The value as a host value, before any check: a reference of the wrong kind of object or
    /// of another store reads as one of another store, which `Store.admit` refuses. Any wasm.h
    /// object passed as an externref is boxed in a new externref (which needs memory).
    static func hostValue(_ value: UnsafePointer<wasm_val_t>, store: UnsafeMutablePointer<Store>) throws(SwasmError) -> HostValue {
        switch UInt32(value.pointee.kind) {
        case WASM_I32.rawValue: return .i32(UInt32(bitPattern: value.pointee.of.i32))
        case WASM_I64.rawValue: return .i64(UInt64(bitPattern: value.pointee.of.i64))
        case WASM_F32.rawValue: return .f32(value.pointee.of.f32.bitPattern)
        case WASM_F64.rawValue: return .f64(value.pointee.of.f64.bitPattern)
        case WASM_FUNCREF.rawValue:
            guard let reference = value.pointee.of.ref else { return .funcref(storeID: 0, function: nil) }
            guard let word = try referenceSlot(reference, type: .funcref, store: store) else {
                return .funcref(storeID: 0, function: UnsafeMutableRawPointer(reference))
            }
            return .funcref(storeID: store.pointee.id, function: UnsafeMutableRawPointer(bitPattern: UInt(word)))
        case WASM_EXTERNREF.rawValue:
            guard let reference = value.pointee.of.ref else { return .externref(storeID: 0, box: nil) }
            guard let word = try referenceSlot(reference, type: .externref, store: store) else {
                return .externref(storeID: 0, box: UnsafeMutableRawPointer(reference))
            }
            return .externref(storeID: store.pointee.id, box: UnsafeMutableRawPointer(bitPattern: UInt(word)))
        default:
            return .unknown
        }
    }

    /// The slot word for `value` of `type`; nil when the kinds differ, for v128, or for a
    /// reference that cannot be passed (another store's function or externref).
    static func slot(_ value: UnsafePointer<wasm_val_t>, type: ValueType, store: UnsafeMutablePointer<Store>) throws(SwasmError) -> UInt64? {
        guard type != .v128, value.pointee.kind == type.wasmKind else { return nil }
        switch type {
        case .i32: return UInt64(UInt32(bitPattern: value.pointee.of.i32))
        case .i64: return UInt64(bitPattern: value.pointee.of.i64)
        case .f32: return UInt64(value.pointee.of.f32.bitPattern)
        case .f64: return value.pointee.of.f64.bitPattern
        default: return try referenceSlot(value.pointee.of.ref, type: type, store: store)
        }
    }

    /// The slot word for a reference (NULL is the null reference). Any wasm.h object can be passed
    /// as an externref: the store keeps a copy of it in a new externref box.
    static func referenceSlot(_ reference: OpaquePointer?, type: ValueType, store: UnsafeMutablePointer<Store>) throws(SwasmError) -> UInt64? {
        guard let reference else { return 0 }
        let kind = RefObjects.kind(reference)
        switch type.hierarchy {
        case .funcref:
            guard kind == .function else { return nil }
            let object = ExternObject.pointer(reference)
            guard object.pointee.store == store, case .function(let function) = object.pointee.value else { return nil }
            return UInt64(UInt(bitPattern: function))
        case .externref where kind == .externref:
            let object = ExternRefObject.pointer(reference)
            guard object.pointee.store == store else { return nil }
            return UInt64(UInt(bitPattern: object.pointee.box))
        case .externref:
            guard let copy = RefObjects.copy(reference) else { throw .outOfMemory }
            let deleteCopy: HostFinalizer = { $0.map { RefObjects.delete(OpaquePointer($0)) } }
            // On failure the box is destroyed, which deletes the copy.
            let box = try Heap.create(ExternRefBox(data: UnsafeMutableRawPointer(copy), finalizer: deleteCopy, holdsWasmReference: true))
            try store.pointee.adoptExternRef(box, hostRoots: 0)
            return UInt64(UInt(bitPattern: box))
        default:
            return nil
        }
    }

    /// The reference a slot word holds as a new object (a function object, a copy of the wasm.h
    /// object an externref was made from, or an externref object), or NULL for null. False on
    /// allocation failure.
    static func reference(_ word: UInt64, type: ValueType, store: UnsafeMutablePointer<Store>, into out: inout OpaquePointer?) -> Bool {
        out = nil
        guard word != 0, let address = UnsafeMutableRawPointer(bitPattern: UInt(word)) else { return true }
        switch type.hierarchy {
        case .funcref:
            out = ExternObject.make(.function(address.assumingMemoryBound(to: swasm_function.self)), store: store)
        case .externref:
            // wasm.h has no way to hold a value of the any hierarchy made external (an i31 or
            // a GC object, docs/gc.md): such a value reads as null there.
            guard word & 7 == 0 else { return true }
            let box = address.assumingMemoryBound(to: ExternRefBox.self)
            if box.pointee.holdsWasmReference, let object = box.pointee.data {
                out = RefObjects.copy(OpaquePointer(object))
            } else {
                out = ExternRefObject.make(store: store, box: box)
            }
        default:
            return true
        }
        return out != nil
    }

    /// Writes the value in `word` of `type` into `out`; false on allocation failure (then `out`
    /// holds a null reference).
    static func read(_ word: UInt64, type: ValueType, store: UnsafeMutablePointer<Store>, into out: UnsafeMutablePointer<wasm_val_t>) -> Bool {
        out.pointee.kind = type.wasmKind
        switch type.hierarchy {
        case .i32: out.pointee.of.i32 = Int32(bitPattern: UInt32(truncatingIfNeeded: word))
        case .i64: out.pointee.of.i64 = Int64(bitPattern: word)
        case .f32: out.pointee.of.f32 = Float(bitPattern: UInt32(truncatingIfNeeded: word))
        case .f64: out.pointee.of.f64 = Double(bitPattern: word)
        default:
            var object: OpaquePointer? = nil
            let made = reference(word, type: type, store: store, into: &object)
            out.pointee.of.ref = object
            return made
        }
        return true
    }

    /// Writes a host value (of `store`; not v128) into `out`, references as new objects; false on
    /// allocation failure.
    static func write(_ value: HostValue, store: UnsafeMutablePointer<Store>, into out: UnsafeMutablePointer<wasm_val_t>) -> Bool {
        switch value {
        case .i32(let bits): return read(UInt64(bits), type: .i32, store: store, into: out)
        case .i64(let bits): return read(bits, type: .i64, store: store, into: out)
        case .f32(let bits): return read(UInt64(bits), type: .f32, store: store, into: out)
        case .f64(let bits): return read(bits, type: .f64, store: store, into: out)
        case .funcref(_, let function): return read(UInt64(UInt(bitPattern: function)), type: .funcref, store: store, into: out)
        case .externref(_, let box): return read(UInt64(UInt(bitPattern: box)), type: .externref, store: store, into: out)
        // wasm.h has no exnref or anyref kind (nor wasmtime's): such a value reads as a null reference.
        case .exnref, .anyref: return read(0, type: .funcref, store: store, into: out)
        case .v128, .unknown: return read(0, type: .i32, store: store, into: out)
        }
    }

    static func delete(_ value: UnsafeMutablePointer<wasm_val_t>) {
        guard WasmValues.isReference(value.pointee.kind), let reference = value.pointee.of.ref else { return }
        RefObjects.delete(reference)
        value.pointee.of.ref = nil
    }

    /// Deletes a `wasm_val_vec_t`'s values (their references) and storage.
    static func deleteVector(_ vector: UnsafeMutableRawPointer) {
        let (values, count) = elements(UnsafePointer(vector.assumingMemoryBound(to: wasm_val_vec_t.self)))
        for index in 0..<count { delete(values!.advanced(by: index)) }
        CVector.delete(vector)
    }

    static func isReference(_ kind: UInt8) -> Bool {
        kind == UInt8(WASM_EXTERNREF.rawValue) || kind == UInt8(WASM_FUNCREF.rawValue)
    }

    static func elements(_ vector: UnsafePointer<wasm_val_vec_t>?) -> (UnsafeMutablePointer<wasm_val_t>?, Int) {
        guard let vector, let data = vector.pointee.data else { return (nil, 0) }
        return (data, vector.pointee.size)
    }
}

@_cdecl("wasm_val_delete")
public func wasm_val_delete(_ value: UnsafeMutablePointer<wasm_val_t>?) {
    value.map(WasmValues.delete)
}

@_cdecl("wasm_val_copy")
public func wasm_val_copy(_ out: UnsafeMutablePointer<wasm_val_t>?, _ value: UnsafePointer<wasm_val_t>?) {
    guard let out, let value else { return }
    out.pointee = value.pointee
    if WasmValues.isReference(value.pointee.kind), let reference = value.pointee.of.ref { out.pointee.of.ref = RefObjects.copy(reference) }
}

@_cdecl("wasm_val_vec_new_empty")
public func wasm_val_vec_new_empty(_ out: UnsafeMutableRawPointer?) { CVector.setEmpty(out) }

@_cdecl("wasm_val_vec_new_uninitialized")
public func wasm_val_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) {
    _ = CVector.makeZeroed(out, count: size, elementSize: MemoryLayout<wasm_val_t>.stride)
}

/// Takes over the references the values hold.
@_cdecl("wasm_val_vec_new")
public func wasm_val_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafeRawPointer?) {
    _ = CVector.makeCopy(out, count: size, elementSize: MemoryLayout<wasm_val_t>.stride, from: data)
}

@_cdecl("wasm_val_vec_delete")
public func wasm_val_vec_delete(_ vector: UnsafeMutableRawPointer?) {
    vector.map(WasmValues.deleteVector)
}

@_cdecl("wasm_val_vec_copy")
public func wasm_val_vec_copy(_ out: UnsafeMutableRawPointer?, _ source: UnsafeRawPointer?) {
    guard let out else { return }
    let (values, count) = WasmValues.elements(source?.assumingMemoryBound(to: wasm_val_vec_t.self))
    guard CVector.makeCopy(out, count: count, elementSize: MemoryLayout<wasm_val_t>.stride, from: values.map { UnsafeRawPointer($0) }) else { return }
    guard count > 0, let copies = CVector.raw(out).pointee.data?.assumingMemoryBound(to: wasm_val_t.self) else { return }
    // Copies hold their own references: clear them, then copy one by one.
    for index in 0..<count where WasmValues.isReference(copies[index].kind) { copies[index].of.ref = nil }
    for index in 0..<count where WasmValues.isReference(values![index].kind) {
        guard let reference = values![index].of.ref else { continue }
        guard let copy = RefObjects.copy(reference) else {
            WasmValues.deleteVector(out)
            return
        }
        copies[index].of.ref = copy
    }
}

// MARK: Foreign objects, traps and frames

@_cdecl("wasm_foreign_new")
public func wasm_foreign_new(_ store: OpaquePointer?) -> OpaquePointer? {
    guard store != nil else { return nil }
    return (try? Heap.create(RefObject(kind: .foreign, identity: cswasm_next_store_id()))).map { OpaquePointer($0) }
}

/// Traps are the same when they are one object (copies are distinct).
@_cdecl("wasm_trap_same")
public func wasm_trap_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { a == b }

@_cdecl("wasm_trap_get_host_info")
public func wasm_trap_get_host_info(_ trap: OpaquePointer?) -> UnsafeMutableRawPointer? { RefObjects.hostInfo(trap) }

@_cdecl("wasm_trap_set_host_info")
public func wasm_trap_set_host_info(_ trap: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { RefObjects.setHostInfo(trap, info, nil) }

/// The shared out-of-memory trap keeps no host info: its finalizer runs at once.
@_cdecl("wasm_trap_set_host_info_with_finalizer")
public func wasm_trap_set_host_info_with_finalizer(_ trap: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    RefObjects.setHostInfo(trap, info, finalizer)
}

/// Frames do not record their instance yet.
@_cdecl("wasm_frame_instance")
public func wasm_frame_instance(_ frame: OpaquePointer?) -> OpaquePointer? { nil }

// MARK: Externs

@_cdecl("wasm_extern_kind")
public func wasm_extern_kind(_ item: OpaquePointer?) -> UInt8 {
    guard let item else { return 0 }
    return RefObjects.kind(item).rawValue
}

@_cdecl("wasm_extern_type")
public func wasm_extern_type(_ item: OpaquePointer?) -> OpaquePointer? {
    guard let item = RefObjects.castExtern(item) else { return nil }
    switch ExternObject.pointer(item).pointee.value {
    case .function(let function):
        return try? ModuleTypeObjects.makeFunctionType(of: function)
    case .global(let global):
        return try? GlobalTypeObject.make(global.pointee.type)
    case .table(let table):
        let type = table.pointee.type
        return try? TableTypeObject.make(type)
    case .memory(let memory):
        let type = memory.pointee.type
        return try? MemoryTypeObject.make(type)
    case .tag(let tag):
        let parameters = UnsafeBufferPointer(start: tag.pointee.parameters.base, count: tag.pointee.parameters.count)
        guard let function = try? ModuleTypeObjects.makeFunctionType(parameters: parameters, results: UnsafeBufferPointer(start: nil, count: 0)) else { return nil }
        return try? TagTypeObject.make(taking: function)
    }
}

@_cdecl("wasm_extern_vec_new_empty")
public func wasm_extern_vec_new_empty(_ out: UnsafeMutableRawPointer?) { CVector.setEmpty(out) }

@_cdecl("wasm_extern_vec_new_uninitialized")
public func wasm_extern_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) {
    _ = CVector.makeZeroed(out, count: size, elementSize: MemoryLayout<OpaquePointer?>.stride)
}

/// Takes over the objects.
@_cdecl("wasm_extern_vec_new")
public func wasm_extern_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafeRawPointer?) {
    _ = CVector.makeCopy(out, count: size, elementSize: MemoryLayout<OpaquePointer?>.stride, from: data)
}

@_cdecl("wasm_extern_vec_copy")
public func wasm_extern_vec_copy(_ out: UnsafeMutableRawPointer?, _ source: UnsafeRawPointer?) {
    CVector.copyPointers(out, from: source, copyElement: RefObjects.copy, deleteElement: RefObjects.delete)
}

@_cdecl("wasm_extern_vec_delete")
public func wasm_extern_vec_delete(_ vector: UnsafeMutableRawPointer?) {
    CVector.delete(vector, deleteElement: RefObjects.delete)
}

/// The extern object `object` if it is of `kind`.
@inline(__always)
func externObject(_ object: OpaquePointer?, _ kind: RefKind) -> UnsafeMutablePointer<ExternObject>? {
    RefObjects.cast(object, to: kind).map(ExternObject.pointer)
}

// MARK: Instances

@_cdecl("wasm_instance_new")
public func wasm_instance_new(_ store: OpaquePointer?, _ module: OpaquePointer?, _ imports: UnsafePointer<wasm_extern_vec_t>?,
                              _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    guard let store, let module else {
        storeTrap(trap, messageTrap("wasm_instance_new: store and module must not be NULL"))
        return nil
    }
    let target = storePointer(store)
    let compiled = moduleReference(module).pointee.module
    guard compiled.pointer.pointee.engine.cell == target.pointee.engine.cell else {
        storeTrap(trap, messageTrap("cross-`Engine` instantiation is not currently supported"))
        return nil
    }
    let provided = imports.map { $0.pointee.data == nil ? 0 : $0.pointee.size } ?? 0
    guard provided == compiled.pointer.pointee.description.imports.count else {
        storeTrap(trap, countTrap(expected: compiled.pointer.pointee.description.imports.count, "imports", got: provided, verb: "found"))
        return nil
    }
    var values = FallibleVector<ExternValue>()
    do throws(SwasmError) {
        try values.reserve(max(provided, 1))
        for index in 0..<provided {
            guard let item = RefObjects.castExtern(imports!.pointee.data![index]).map(ExternObject.pointer), item.pointee.store == target else {
                storeTrap(trap, messageTrap("import belongs to another store or is not a valid item"))
                return nil
            }
            try values.append(item.pointee.value)
        }
    } catch {
        storeTrap(trap, OpaquePointer(TrapReport.outOfMemory))
        return nil
    }
    var handle = wasmtime_instance_t()
    var startTrap: OpaquePointer? = nil
    if let error = instantiate(target, compiled, imports: UnsafePointer(values.base), out: &handle, trap: &startTrap) {
        storeTrap(trap, errorTrap(error))
        return nil
    }
    if let startTrap {
        storeTrap(trap, startTrap)
        return nil
    }
    guard let object = try? Heap.create(InstanceObject(store: target, index: handle.__private)) else {
        storeTrap(trap, OpaquePointer(TrapReport.outOfMemory))
        return nil
    }
    return OpaquePointer(object)
}

@_cdecl("wasm_instance_exports")
public func wasm_instance_exports(_ instance: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let out else { return }
    guard let instance = RefObjects.cast(instance, to: .instance).map(InstanceObject.pointer),
          instance.pointee.index < instance.pointee.store.pointee.instances.count else { CVector.setEmpty(out); return }
    let store = instance.pointee.store
    let target = store.pointee.instances[instance.pointee.index]
    let count = target.pointee.module.pointer.pointee.description.exports.count
    guard CVector.makeZeroed(out, count: count, elementSize: MemoryLayout<OpaquePointer?>.stride) else { return }
    guard count > 0, let elements = CVector.raw(out).pointee.data?.assumingMemoryBound(to: OpaquePointer?.self) else { return }
    for index in 0..<count {
        guard let value = target.pointee.exportValue(index) else { continue } // no wasm.h form (tags)
        guard let object = ExternObject.make(value, store: store) else {
            CVector.delete(out, deleteElement: RefObjects.delete)
            return
        }
        elements[index] = object
    }
}

// MARK: Functions

/// What a function made by `wasm_func_new(_with_env)` calls: the wasm.h callback, its
/// environment and finalizer (run when the function's store goes away).
struct WasmCallbackEnvironment: ~Copyable {
    let callback: OpaquePointer
    let environment: UnsafeMutableRawPointer?
    let finalizer: HostFinalizer?
    let withEnvironment: Bool

    deinit { finalizer?(environment) }
}

typealias WasmCallback = @convention(c) (UnsafePointer<wasm_val_vec_t>?, UnsafeMutablePointer<wasm_val_vec_t>?) -> OpaquePointer?
typealias WasmCallbackWithEnvironment = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<wasm_val_vec_t>?, UnsafeMutablePointer<wasm_val_vec_t>?) -> OpaquePointer?

enum WasmCallbacks {
    /// Runs a wasm.h callback: the arguments as `wasm_val_t`s (references as new objects the
    /// call owns), the results checked as they come back.
    static let trampoline: HostTrampoline = { raw in
        let call = HostCall.from(raw)
        let store = call.pointee.store
        let function = call.pointee.function
        let cell = function.pointee.environment!.assumingMemoryBound(to: WasmCallbackEnvironment.self)
        let argumentCount = function.pointee.parameters.count
        let resultCount = function.pointee.results.count
        guard let values = try? Heap.allocateZeroed(wasm_val_t.self, count: max(argumentCount &+ resultCount, 1)) else {
            return call.pointee.fail(.outOfMemory)
        }
        defer {
            for index in 0..<(argumentCount &+ resultCount) { WasmValues.delete(values.advanced(by: index)) }
            Heap.free(values)
        }
        for index in 0..<argumentCount where function.pointee.parameters[index] == .v128 {
            return call.pointee.fail(Failure.make(.trap, "host function called with a value of unknown kind")) // wasm.h has no v128
        }
        for index in 0..<argumentCount {
            guard WasmValues.write(call.pointee.takeArgument(), store: store, into: values.advanced(by: index)) else {
                return call.pointee.fail(.outOfMemory)
            }
        }
        var argumentVector = wasm_val_vec_t(size: argumentCount, data: argumentCount > 0 ? values : nil)
        var resultVector = wasm_val_vec_t(size: resultCount, data: resultCount > 0 ? values.advanced(by: argumentCount) : nil)
        let trap: OpaquePointer?
        if cell.pointee.withEnvironment {
            trap = unsafeBitCast(cell.pointee.callback, to: WasmCallbackWithEnvironment.self)(cell.pointee.environment, &argumentVector, &resultVector)
        } else {
            trap = unsafeBitCast(cell.pointee.callback, to: WasmCallback.self)(&argumentVector, &resultVector)
        }
        if let trap { return call.pointee.fail(TrapReport.take(trapHandle(trap))) }
        for index in 0..<resultCount {
            let value: HostValue
            do throws(SwasmError) {
                value = try WasmValues.hostValue(values.advanced(by: argumentCount &+ index), store: store)
            } catch {
                return call.pointee.fail(.outOfMemory)
            }
            guard call.pointee.giveResult(value) else { return }
        }
    }

    static func make(_ store: OpaquePointer?, _ type: OpaquePointer?, _ callback: OpaquePointer?, _ environment: UnsafeMutableRawPointer?,
                     _ finalizer: HostFinalizer?, withEnvironment: Bool) -> OpaquePointer? {
        guard let store, let type, let callback else { finalizer?(environment); return nil }
        // On failure the cell is destroyed, which runs the finalizer.
        guard let cell = try? Heap.create(WasmCallbackEnvironment(callback: callback, environment: environment, finalizer: finalizer,
                                                                  withEnvironment: withEnvironment)) else { return nil }
        let release: HostFinalizer = { $0.map { Heap.destroy($0.assumingMemoryBound(to: WasmCallbackEnvironment.self)) } }
        let target = storePointer(store)
        // On failure `release` has run.
        guard let record = try? makeHostFunction(target, type: type, trampoline: trampoline, callback: callback,
                                                 environment: UnsafeMutableRawPointer(cell), finalizer: release) else { return nil }
        // The function itself lives in the store (its environment is finalized with it).
        return ExternObject.make(.function(record), store: target)
    }
}

/// The values of a `wasm_func_call`: `wasm_val_t`s; results receive owned references.
struct WasmCallValues: CallValues {
    let arguments: UnsafeMutablePointer<wasm_val_t>?
    let results: UnsafeMutablePointer<wasm_val_t>?

    func argument(_ index: Int, as type: ValueType, in store: UnsafeMutablePointer<Store>) throws(SwasmError) -> HostValue {
        try WasmValues.hostValue(arguments!.advanced(by: index), store: store)
    }

    /// On failure the results made so far are deleted again.
    func setResult(_ index: Int, from slots: UnsafePointer<UInt64>, as type: ValueType, in store: UnsafeMutablePointer<Store>) throws(SwasmError) {
        guard WasmValues.read(slots[0], type: type, store: store, into: results!.advanced(by: index)) else {
            for earlier in 0...index { WasmValues.delete(results!.advanced(by: earlier)) }
            throw .outOfMemory
        }
    }
}

@_cdecl("wasm_func_new")
public func wasm_func_new(_ store: OpaquePointer?, _ type: OpaquePointer?, _ callback: OpaquePointer?) -> OpaquePointer? {
    WasmCallbacks.make(store, type, callback, nil, nil, withEnvironment: false)
}

@_cdecl("wasm_func_new_with_env")
public func wasm_func_new_with_env(_ store: OpaquePointer?, _ type: OpaquePointer?, _ callback: OpaquePointer?,
                                   _ environment: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) -> OpaquePointer? {
    WasmCallbacks.make(store, type, callback, environment, finalizer, withEnvironment: true)
}

@inline(__always)
func functionOf(_ object: OpaquePointer?) -> (UnsafeMutablePointer<Store>, UnsafeMutablePointer<swasm_function>)? {
    guard let item = externObject(object, .function), case .function(let function) = item.pointee.value else { return nil }
    return (item.pointee.store, function)
}

@_cdecl("wasm_func_type")
public func wasm_func_type(_ function: OpaquePointer?) -> OpaquePointer? {
    guard let (_, callee) = functionOf(function) else { return nil }
    return try? ModuleTypeObjects.makeFunctionType(of: callee)
}

@_cdecl("wasm_func_param_arity")
public func wasm_func_param_arity(_ function: OpaquePointer?) -> Int {
    guard let (_, callee) = functionOf(function) else { return 0 }
    return ImportMatching.signature(of: callee).parameters.count
}

@_cdecl("wasm_func_result_arity")
public func wasm_func_result_arity(_ function: OpaquePointer?) -> Int {
    guard let (_, callee) = functionOf(function) else { return 0 }
    return ImportMatching.signature(of: callee).results.count
}

/// Calls `function`; NULL on success, else the trap (out of memory is the shared out-of-memory
/// trap). `results` must have the function's result arity; it receives owned values.
@_cdecl("wasm_func_call")
public func wasm_func_call(_ function: OpaquePointer?, _ arguments: UnsafePointer<wasm_val_vec_t>?,
                           _ results: UnsafeMutablePointer<wasm_val_vec_t>?) -> OpaquePointer? {
    guard let (store, callee) = functionOf(function) else { return messageTrap("wasm_func_call: not a function") }
    let (argumentValues, argumentCount) = WasmValues.elements(arguments)
    let (resultValues, resultCount) = WasmValues.elements(UnsafePointer(results))
    for type in ImportMatching.signature(of: callee).results where type == .v128 {
        return messageTrap("wasm_func_call: v128 results have no wasm.h form")
    }
    var values = WasmCallValues(arguments: argumentValues, results: resultValues)
    let outcome = store.pointee.call(callee, &values, argumentCount: argumentCount, resultCount: resultCount)
    switch consume outcome {
    case .returned: return nil
    case .trapped(let code): return OpaquePointer(TrapReport.make(code, backtraceOf: store))
    case .failed(let cell): return OpaquePointer(TrapReport.make(Failure.take(cell)))
    }
}

// MARK: Globals

@_cdecl("wasm_global_new")
public func wasm_global_new(_ store: OpaquePointer?, _ type: OpaquePointer?, _ value: UnsafePointer<wasm_val_t>?) -> OpaquePointer? {
    guard let store, let type, let value else { return nil }
    let target = storePointer(store)
    let globalType = GlobalTypeObject.type(type)
    guard let word = try? WasmValues.slot(value, type: globalType.content, store: target) else { return nil }
    do throws(SwasmError) {
        let global = try HostGlobal.create(globalType, value: (word, 0))
        try target.pointee.adoptHostGlobal(global)
        return ExternObject.make(.global(withUnsafeMutablePointer(to: &global.pointee.object) { $0 }), store: target)
    } catch {
        return nil
    }
}

@inline(__always)
func globalOf(_ object: OpaquePointer?) -> (UnsafeMutablePointer<Store>, UnsafeMutablePointer<GlobalObject>)? {
    guard let item = externObject(object, .global), case .global(let global) = item.pointee.value else { return nil }
    return (item.pointee.store, global)
}

@_cdecl("wasm_global_type")
public func wasm_global_type(_ global: OpaquePointer?) -> OpaquePointer? {
    guard let (_, object) = globalOf(global) else { return nil }
    return try? GlobalTypeObject.make(object.pointee.type)
}

/// A reference-typed value is NULL when its object cannot be made.
@_cdecl("wasm_global_get")
public func wasm_global_get(_ global: OpaquePointer?, _ out: UnsafeMutablePointer<wasm_val_t>?) {
    guard let out, let (store, object) = globalOf(global), object.pointee.type.content != .v128 else { return }
    _ = WasmValues.read(object.pointee.cell[0], type: object.pointee.type.content, store: store, into: out)
}

/// Ignored for an immutable global or a value of another type.
@_cdecl("wasm_global_set")
public func wasm_global_set(_ global: OpaquePointer?, _ value: UnsafePointer<wasm_val_t>?) {
    guard let value, let (store, object) = globalOf(global), object.pointee.type.isMutable,
          let word = try? WasmValues.slot(value, type: object.pointee.type.content, store: store) else { return }
    object.pointee.cell[0] = word
}

// MARK: Tables

@inline(__always)
func tableOf(_ object: OpaquePointer?) -> (UnsafeMutablePointer<Store>, UnsafeMutablePointer<TableObject>)? {
    guard let item = externObject(object, .table), case .table(let table) = item.pointee.value else { return nil }
    return (item.pointee.store, table)
}

@_cdecl("wasm_table_new")
public func wasm_table_new(_ store: OpaquePointer?, _ type: OpaquePointer?, _ initial: OpaquePointer?) -> OpaquePointer? {
    guard let store, let type else { return nil }
    let target = storePointer(store)
    let tableType = TableTypeObject.pointer(type).pointee.type
    // A maximum below the minimum is refused (wasmtime aborts).
    guard tableType.limits.maximum.map({ $0 >= tableType.limits.minimum }) ?? true,
          let word = try? WasmValues.referenceSlot(initial, type: tableType.element, store: target) else { return nil }
    do throws(SwasmError) {
        let table = try HostTable.create(tableType, initial: word)
        try target.pointee.adoptHostTable(table)
        return ExternObject.make(.table(withUnsafeMutablePointer(to: &table.pointee.object) { $0 }), store: target)
    } catch {
        return nil
    }
}

@_cdecl("wasm_table_type")
public func wasm_table_type(_ table: OpaquePointer?) -> OpaquePointer? {
    guard let (_, object) = tableOf(table) else { return nil }
    let type = object.pointee.type
    return try? TableTypeObject.make(type)
}

/// The element as a new reference (NULL for null, out of range, or allocation failure).
@_cdecl("wasm_table_get")
public func wasm_table_get(_ table: OpaquePointer?, _ index: UInt32) -> OpaquePointer? {
    guard let (store, object) = tableOf(table), UInt64(index) < object.pointee.table.pointee.size else { return nil }
    var reference: OpaquePointer? = nil
    _ = WasmValues.reference(object.pointee.table.pointee.elements![Int(index)], type: object.pointee.type.element, store: store, into: &reference)
    return reference
}

@_cdecl("wasm_table_set")
public func wasm_table_set(_ table: OpaquePointer?, _ index: UInt32, _ reference: OpaquePointer?) -> Bool {
    guard let (store, object) = tableOf(table), UInt64(index) < object.pointee.table.pointee.size,
          let word = try? WasmValues.referenceSlot(reference, type: object.pointee.type.element, store: store) else { return false }
    object.pointee.table.pointee.elements![Int(index)] = word
    return true
}

@_cdecl("wasm_table_size")
public func wasm_table_size(_ table: OpaquePointer?) -> UInt32 {
    guard let (_, object) = tableOf(table) else { return 0 }
    return UInt32(truncatingIfNeeded: object.pointee.table.pointee.size)
}

@_cdecl("wasm_table_grow")
public func wasm_table_grow(_ table: OpaquePointer?, _ delta: UInt32, _ initial: OpaquePointer?) -> Bool {
    guard let (store, object) = tableOf(table),
          let word = try? WasmValues.referenceSlot(initial, type: object.pointee.type.element, store: store) else { return false }
    return store.pointee.growTable(object.pointee.table, by: UInt64(delta), fill: word) != nil
}

// MARK: Memories

@inline(__always)
func memoryOf(_ object: OpaquePointer?) -> (UnsafeMutablePointer<Store>, UnsafeMutablePointer<LinearMemory>)? {
    guard let item = externObject(object, .memory), case .memory(let memory) = item.pointee.value else { return nil }
    return (item.pointee.store, memory)
}

@_cdecl("wasm_memory_new")
public func wasm_memory_new(_ store: OpaquePointer?, _ type: OpaquePointer?) -> OpaquePointer? {
    guard let store, let type else { return nil }
    let target = storePointer(store)
    do throws(SwasmError) {
        let memory = try LinearMemory.create(MemoryTypeObject.pointer(type).pointee.type, limits: target.pointee.limits)
        try target.pointee.adoptHostMemory(memory)
        return ExternObject.make(.memory(memory), store: target)
    } catch {
        return nil
    }
}

@_cdecl("wasm_memory_type")
public func wasm_memory_type(_ memory: OpaquePointer?) -> OpaquePointer? {
    guard let (_, target) = memoryOf(memory) else { return nil }
    let type = target.pointee.type
    return try? MemoryTypeObject.make(type)
}

@_cdecl("wasm_memory_data")
public func wasm_memory_data(_ memory: OpaquePointer?) -> UnsafeMutablePointer<UInt8>? {
    memoryOf(memory)?.1.pointee.base
}

@_cdecl("wasm_memory_data_size")
public func wasm_memory_data_size(_ memory: OpaquePointer?) -> Int {
    guard let (_, target) = memoryOf(memory) else { return 0 }
    return Int(truncatingIfNeeded: target.pointee.byteCount)
}

@_cdecl("wasm_memory_size")
public func wasm_memory_size(_ memory: OpaquePointer?) -> UInt32 {
    guard let (_, target) = memoryOf(memory) else { return 0 }
    return UInt32(truncatingIfNeeded: target.pointee.pageCount)
}

@_cdecl("wasm_memory_grow")
public func wasm_memory_grow(_ memory: OpaquePointer?, _ delta: UInt32) -> Bool {
    guard let (store, target) = memoryOf(memory) else { return false }
    return (try? store.pointee.growMemory(target, by: UInt64(delta))) != nil
}
