import CSwasm

/// The type objects of wasm.h (`wasm_valtype_t`, `wasm_functype_t`, ...), as handed to C.
///
/// Every extern type starts with its `ExternKind` byte, so a `wasm_externtype_t *` is a pointer
/// to any of them and the `wasm_*type_as_externtype` casts are free. Objects own what they
/// point to (value types, names) and free it in `deinit`.

/// `wasm_valtype_t`.
public struct ValTypeObject: ~Copyable {
    public var type: ValueType

    public static func make(_ type: ValueType) throws(SwasmError) -> OpaquePointer {
        OpaquePointer(try Heap.create(ValTypeObject(type: type)))
    }

    public static func get(_ object: OpaquePointer) -> ValueType {
        UnsafeMutablePointer<ValTypeObject>(object).pointee.type
    }

    public static func delete(_ object: OpaquePointer) {
        Heap.destroy(UnsafeMutablePointer<ValTypeObject>(object))
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        try? make(get(object))
    }

    public static func deleteVector(_ vector: UnsafeMutableRawPointer?) {
        CVector.delete(vector, deleteElement: delete)
    }

    /// A new vector of value-type objects for `types`; false (and `out` empty) on failure.
    /// A vector of new objects for `types`, each as `convert` gives it.
    public static func makeVector(_ out: UnsafeMutableRawPointer, _ types: UnsafeBufferPointer<ValueType>,
                                  convert: (ValueType) -> ValueType = { $0 }) -> Bool {
        guard CVector.makeZeroed(out, count: types.count, elementSize: MemoryLayout<OpaquePointer?>.stride) else { return false }
        guard let data = CVector.raw(out).pointee.data else { return true }
        let elements = data.assumingMemoryBound(to: OpaquePointer?.self)
        for (index, type) in types.enumerated() {
            guard let object = try? make(convert(type)) else {
                deleteVector(out)
                return false
            }
            elements[index] = object
        }
        return true
    }
}

/// `wasm_functype_t`: owns its parameter and result vectors of `wasm_valtype_t`.
public struct FuncTypeObject: ~Copyable {
    public let kindByte: UInt8 = ExternKind.function.rawValue // first: read through wasm_externtype_t
    public var params = RawVector()
    public var results = RawVector()
    /// The engine type this signature was taken from (a module's function type, or a function's),
    /// if any: a host function made from it gets that type (its recursion group, finality and
    /// supertype), as in wasmtime. Checked against the signature where it is used.
    public var engineTypeID: UInt32? = nil

    deinit {
        CVector.release(params, deleteElement: ValTypeObject.delete)
        CVector.release(results, deleteElement: ValTypeObject.delete)
    }

    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<FuncTypeObject> {
        UnsafeMutablePointer(object)
    }

    /// Takes ownership of both vectors (their contents; the vector structs are left empty).
    /// A NULL element (a value type whose creation failed) makes the function type invalid.
    public static func make(takingParams params: UnsafeMutableRawPointer?, results: UnsafeMutableRawPointer?) throws(SwasmError) -> OpaquePointer {
        if CVector.containsNull(params) || CVector.containsNull(results) { throw .invalidArgument }
        let cell = try Heap.create(FuncTypeObject())
        if let params { cell.pointee.params = CVector.raw(params).pointee; CVector.setEmpty(params) }
        if let results { cell.pointee.results = CVector.raw(results).pointee; CVector.setEmpty(results) }
        return OpaquePointer(cell)
    }

    public static func paramsVector(_ object: OpaquePointer) -> UnsafeMutablePointer<RawVector> {
        withUnsafeMutablePointer(to: &pointer(object).pointee.params) { $0 }
    }

    public static func resultsVector(_ object: OpaquePointer) -> UnsafeMutablePointer<RawVector> {
        withUnsafeMutablePointer(to: &pointer(object).pointee.results) { $0 }
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        var params = RawVector()
        var results = RawVector()
        CVector.copyPointers(&params, from: paramsVector(object), copyElement: ValTypeObject.copy, deleteElement: ValTypeObject.delete)
        if params.size != paramsVector(object).pointee.size { return nil }
        CVector.copyPointers(&results, from: resultsVector(object), copyElement: ValTypeObject.copy, deleteElement: ValTypeObject.delete)
        if results.size != resultsVector(object).pointee.size {
            ValTypeObject.deleteVector(&params)
            return nil
        }
        guard let copy = try? make(takingParams: &params, results: &results) else {
            ValTypeObject.deleteVector(&params)
            ValTypeObject.deleteVector(&results)
            return nil
        }
        pointer(copy).pointee.engineTypeID = pointer(object).pointee.engineTypeID
        return copy
    }
}

/// `wasm_globaltype_t`: owns its content `wasm_valtype_t`.
public struct GlobalTypeObject: ~Copyable {
    public let kindByte: UInt8 = ExternKind.global.rawValue // first: read through wasm_externtype_t
    public var content: OpaquePointer
    public var mutability: UInt8

    deinit { ValTypeObject.delete(content) }

    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<GlobalTypeObject> {
        UnsafeMutablePointer(object)
    }

    /// Takes ownership of `content` only on success.
    public static func make(takingContent content: OpaquePointer, mutability: UInt8) throws(SwasmError) -> OpaquePointer {
        OpaquePointer(try Heap.emplace { GlobalTypeObject(content: content, mutability: mutability) })
    }

    public static func type(_ object: OpaquePointer) -> GlobalType {
        let cell = pointer(object)
        return GlobalType(content: ValTypeObject.get(cell.pointee.content), isMutable: cell.pointee.mutability != 0)
    }

    public static func make(_ type: GlobalType) throws(SwasmError) -> OpaquePointer {
        let content = try ValTypeObject.make(type.content)
        do {
            return try make(takingContent: content, mutability: type.isMutable ? 1 : 0)
        } catch {
            ValTypeObject.delete(content)
            throw error
        }
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? { try? make(type(object)) }
}

/// `wasm_limits_t`.
public typealias CLimits = wasm_limits_t

extension wasm_limits_t {
    /// The 32-bit view of limits; values beyond 32 bits are clamped.
    public init(_ limits: Limits) {
        self.init(min: UInt32(clamping: limits.minimum),
                  max: limits.maximum.map { UInt32(clamping: $0) } ?? UInt32.max)
    }

    public var limits: Limits {
        Limits(minimum: UInt64(min), maximum: max == UInt32.max ? nil : UInt64(max))
    }
}

/// `wasm_tabletype_t`: owns its element `wasm_valtype_t`.
public struct TableTypeObject: ~Copyable {
    public let kindByte: UInt8 = ExternKind.table.rawValue // first: read through wasm_externtype_t
    public var element: OpaquePointer
    public var limits: CLimits
    public var type: TableType

    deinit { ValTypeObject.delete(element) }

    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<TableTypeObject> {
        UnsafeMutablePointer(object)
    }

    /// Takes ownership of `element` only on success.
    public static func make(takingElement element: OpaquePointer, type: TableType) throws(SwasmError) -> OpaquePointer {
        OpaquePointer(try Heap.emplace { TableTypeObject(element: element, limits: CLimits(type.limits), type: type) })
    }

    public static func make(_ type: TableType) throws(SwasmError) -> OpaquePointer {
        let element = try ValTypeObject.make(type.element)
        do {
            return try make(takingElement: element, type: type)
        } catch {
            ValTypeObject.delete(element)
            throw error
        }
    }

    public static func limitsPointer(_ object: OpaquePointer) -> UnsafeMutablePointer<CLimits> {
        withUnsafeMutablePointer(to: &pointer(object).pointee.limits) { $0 }
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? { try? make(pointer(object).pointee.type) }
}

/// `wasm_memorytype_t`.
public struct MemoryTypeObject: ~Copyable {
    public let kindByte: UInt8 = ExternKind.memory.rawValue // first: read through wasm_externtype_t
    public var limits: CLimits
    public var type: MemoryType

    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<MemoryTypeObject> {
        UnsafeMutablePointer(object)
    }

    public static func make(_ type: MemoryType) throws(SwasmError) -> OpaquePointer {
        OpaquePointer(try Heap.create(MemoryTypeObject(limits: CLimits(type.limits), type: type)))
    }

    public static func limitsPointer(_ object: OpaquePointer) -> UnsafeMutablePointer<CLimits> {
        withUnsafeMutablePointer(to: &pointer(object).pointee.limits) { $0 }
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? { try? make(pointer(object).pointee.type) }
}

/// `wasm_externtype_t`: any of the extern type objects above, told apart by the leading kind byte.
/// `wasm_tagtype_t`: a tag's function type (`wasm_functype_t`, owned; its parameters are the
/// exception's payload).
public struct TagTypeObject: ~Copyable {
    public let kindByte: UInt8 = ExternKind.tag.rawValue // first: read through wasm_externtype_t
    public let functionType: OpaquePointer

    deinit { Heap.destroy(FuncTypeObject.pointer(functionType)) }

    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<TagTypeObject> {
        UnsafeMutablePointer(object)
    }

    /// Takes `functionType` (deleting it on failure).
    public static func make(taking functionType: OpaquePointer) throws(SwasmError) -> OpaquePointer {
        OpaquePointer(try Heap.create(TagTypeObject(functionType: functionType)))
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        guard let function = FuncTypeObject.copy(pointer(object).pointee.functionType) else { return nil }
        return try? make(taking: function)
    }
}

public enum ExternTypeObject {
    public static func kind(_ object: OpaquePointer) -> ExternKind {
        ExternKind(rawValue: UnsafeRawPointer(object).load(as: UInt8.self)) ?? .function
    }

    public static func delete(_ object: OpaquePointer) {
        switch kind(object) {
        case .function: Heap.destroy(FuncTypeObject.pointer(object))
        case .global: Heap.destroy(GlobalTypeObject.pointer(object))
        case .table: Heap.destroy(TableTypeObject.pointer(object))
        case .memory: Heap.destroy(MemoryTypeObject.pointer(object))
        case .tag: Heap.destroy(TagTypeObject.pointer(object))
        }
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        switch kind(object) {
        case .function: return FuncTypeObject.copy(object)
        case .global: return GlobalTypeObject.copy(object)
        case .table: return TableTypeObject.copy(object)
        case .memory: return MemoryTypeObject.copy(object)
        case .tag: return TagTypeObject.copy(object)
        }
    }

    /// The object as the given kind, or nil when it is another kind.
    public static func cast(_ object: OpaquePointer?, to wanted: ExternKind) -> OpaquePointer? {
        guard let object, kind(object) == wanted else { return nil }
        return object
    }
}

/// `wasm_importtype_t`: module name, field name and extern type, all owned.
public struct ImportTypeObject: ~Copyable {
    public var module: RawVector
    public var name: RawVector
    public var type: OpaquePointer

    deinit {
        CVector.release(module)
        CVector.release(name)
        ExternTypeObject.delete(type)
    }

    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<ImportTypeObject> {
        UnsafeMutablePointer(object)
    }

    /// Takes ownership of the names' bytes and the type only on success.
    public static func make(module: RawVector, name: RawVector, type: OpaquePointer) throws(SwasmError) -> OpaquePointer {
        OpaquePointer(try Heap.emplace { ImportTypeObject(module: module, name: name, type: type) })
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        let source = pointer(object)
        var module = RawVector()
        var name = RawVector()
        guard CVector.makeBytes(&module, source.pointee.module.data, count: source.pointee.module.size) else { return nil }
        guard CVector.makeBytes(&name, source.pointee.name.data, count: source.pointee.name.size) else {
            CVector.delete(&module)
            return nil
        }
        guard let type = ExternTypeObject.copy(source.pointee.type) else {
            CVector.delete(&module)
            CVector.delete(&name)
            return nil
        }
        guard let copy = try? make(module: module, name: name, type: type) else {
            CVector.delete(&module)
            CVector.delete(&name)
            ExternTypeObject.delete(type)
            return nil
        }
        return copy
    }

    public static func delete(_ object: OpaquePointer) { Heap.destroy(pointer(object)) }
}

/// `wasm_exporttype_t`: name and extern type, both owned.
public struct ExportTypeObject: ~Copyable {
    public var name: RawVector
    public var type: OpaquePointer

    deinit {
        CVector.release(name)
        ExternTypeObject.delete(type)
    }

    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<ExportTypeObject> {
        UnsafeMutablePointer(object)
    }

    public static func make(name: RawVector, type: OpaquePointer) throws(SwasmError) -> OpaquePointer {
        OpaquePointer(try Heap.emplace { ExportTypeObject(name: name, type: type) })
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        let source = pointer(object)
        var name = RawVector()
        guard CVector.makeBytes(&name, source.pointee.name.data, count: source.pointee.name.size) else { return nil }
        guard let type = ExternTypeObject.copy(source.pointee.type) else {
            CVector.delete(&name)
            return nil
        }
        guard let copy = try? make(name: name, type: type) else {
            CVector.delete(&name)
            ExternTypeObject.delete(type)
            return nil
        }
        return copy
    }

    public static func delete(_ object: OpaquePointer) { Heap.destroy(pointer(object)) }
}
