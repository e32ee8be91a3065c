import CSwasm

/// The canonical types of an engine: each distinct recursion group of the modules compiled for
/// it, registered once, its types numbered with engine-wide type ids. Types of two modules are
/// the same type exactly when their ids are equal, and a type's registered supertype chain
/// decides subtyping between them. Types that leave their module (imports, exports, values the
/// host passes, functions called through a reference from another module) are compared here,
/// with concrete heap types in the engine's index space (`HeapType.IndexSpace.engine`).
///
/// Registration and lookups take a process-wide lock (`cswasm_type_registry_lock`): both happen
/// when modules are compiled or loaded and on the slow paths of cross-module checks. Registered
/// groups stay until the engine is deleted; modules with the same types share them.
public struct TypeRegistry: ~Copyable {
    struct Entry: BitwiseCopyable {
        var kind: CompositeKind
        var isFinal: Bool
        var supertype: UInt32
        /// A function type's parameters, then its results, in `signatures` (engine index space).
        var signatureStart: UInt32
        var parameterCount: UInt32
        var resultCount: UInt32
        /// A struct or array type's layout (owned; nil for function types).
        var layout: UnsafeMutablePointer<GCType>?
    }

    /// Each group's encoding (`TypeCanonicalizer.encode`, other groups by engine id) and its first id.
    private var groups = FallibleHashMap<ByteBuffer, UInt32>()
    private var entries = FallibleVector<Entry>()
    private var signatures = FallibleVector<ValueType>()

    public init() {}

    deinit {
        for index in 0..<entries.count { if let layout = entries[index].layout { Heap.destroy(layout) } }
    }

    /// The engine type id of each of the module's type indices, registering the groups not
    /// registered yet.
    mutating func register(_ module: borrowing ModuleDescription) throws(SwasmError) -> FallibleVector<UInt32> {
        var ids = FallibleVector<UInt32>()
        let count = module.typeDefinitions.count
        try ids.reserve(max(count, 1))
        cswasm_type_registry_lock()
        defer { cswasm_type_registry_unlock() }
        var start = 0
        while start < count {
            let groupCount = Int(module.typeDefinitions[start].groupCount)
            if Int(module.typeDefinitions[start].canonical) != start {
                // The same group as an earlier one of the module.
                for member in 0..<groupCount { try ids.append(ids[Int(module.typeDefinitions[start &+ member].canonical)]) }
            } else {
                var key = ByteBuffer()
                for member in 0..<groupCount {
                    try TypeCanonicalizer.encode(type: start &+ member, groupStart: start, module, into: &key) { (heap: HeapType) -> HeapType in
                        .concrete(ids[Int(heap.index)], kind: heap.concreteKind, in: .engine)
                    }
                }
                var first = groups.withValue(for: key) { $0 }
                if first == nil {
                    let next = UInt32(entries.count)
                    guard next &+ UInt32(groupCount) <= HeapType.maximumIndex else { throw .limitExceeded }
                    try entries.reserve(entries.count &+ groupCount)
                    var signatureCount = 0
                    for member in 0..<groupCount {
                        let function = module.functionType(UInt32(start &+ member))
                        signatureCount &+= function.pointee.parameters.count &+ function.pointee.results.count
                    }
                    try signatures.reserve(signatures.count &+ signatureCount)
                    let layouts = try makeLayouts(module, groupStart: start, count: groupCount, firstID: next, ids: UnsafePointer(ids.base))
                    defer { Heap.free(layouts) }
                    do {
                        _ = try groups.insert(key, next)
                    } catch {
                        for member in 0..<groupCount { if let layout = layouts[member] { Heap.destroy(layout) } }
                        throw error
                    }
                    // Nothing below fails: the storage is reserved.
                    for member in 0..<groupCount {
                        let definition = module.typeDefinitions[start &+ member]
                        var supertype = definition.supertype
                        if supertype != TypeDefinition.noSupertype {
                            supertype = Int(supertype) >= start ? next &+ (supertype &- UInt32(start)) : ids[Int(supertype)]
                        }
                        let function = module.functionType(UInt32(start &+ member))
                        let entry = Entry(kind: definition.kind, isFinal: definition.isFinal, supertype: supertype,
                                          signatureStart: UInt32(signatures.count), parameterCount: UInt32(function.pointee.parameters.count),
                                          resultCount: UInt32(function.pointee.results.count), layout: layouts[member])
                        for index in 0..<function.pointee.parameters.count {
                            try signatures.append(Self.engineType(function.pointee.parameters[index], ids, groupStart: start, firstID: next))
                        }
                        for index in 0..<function.pointee.results.count {
                            try signatures.append(Self.engineType(function.pointee.results[index], ids, groupStart: start, firstID: next))
                        }
                        try entries.append(entry)
                    }
                    first = next
                }
                for member in 0..<groupCount { try ids.append(first! &+ UInt32(member)) }
            }
            start &+= groupCount
        }
        return ids
    }

    /// The engine type id of a struct or array type the host defines (Runtime/HostGCTypes.swift):
    /// final, without supertype, alone in its recursion group, so that it is the same type as an
    /// identical definition of a module. Registered when new. Concrete heap types of `fields` must
    /// be engine ids of struct or array types of this registry.
    mutating func registerHostType(_ kind: CompositeKind, fields: UnsafeBufferPointer<FieldType>) throws(SwasmError) -> UInt32 {
        guard kind == .structure || (kind == .array && fields.count == 1), fields.count <= ImplementationLimits.structFields else {
            throw .invalidArgument
        }
        var key = ByteBuffer()
        try TypeCanonicalizer.encodeHostType(kind, fields: fields, into: &key)
        cswasm_type_registry_lock()
        defer { cswasm_type_registry_unlock() }
        for index in 0..<fields.count where fields[index].storage.isReference && fields[index].storage.heapType.isConcrete {
            let heap = fields[index].storage.heapType
            guard heap.space == .engine, Int(heap.index) < entries.count, entries[Int(heap.index)].kind == heap.concreteKind else { throw .invalidArgument }
        }
        if let id = groups.withValue(for: key, { $0 }) { return id }
        let id = UInt32(entries.count)
        guard id < HeapType.maximumIndex else { throw .limitExceeded }
        try entries.reserve(entries.count &+ 1)
        let layout = try GCType.make(kind, engineID: id, fields: fields)
        do {
            _ = try groups.insert(key, id)
        } catch {
            Heap.destroy(layout)
            throw error
        }
        // Cannot fail: reserved.
        try entries.append(Entry(kind: kind, isFinal: true, supertype: TypeDefinition.noSupertype, signatureStart: UInt32(signatures.count),
                                 parameterCount: 0, resultCount: 0, layout: layout))
        return id
    }

    /// The layouts of a group's struct and array types (nil for function types), before the
    /// group is registered, in a buffer the caller frees; on failure none is left.
    private func makeLayouts(_ module: borrowing ModuleDescription, groupStart start: Int, count: Int, firstID: UInt32,
                             ids: UnsafePointer<UInt32>?) throws(SwasmError) -> UnsafeMutablePointer<UnsafeMutablePointer<GCType>?> {
        let layouts = try Heap.allocateZeroed(UnsafeMutablePointer<GCType>?.self, count: max(count, 1))
        for member in 0..<count {
            let definition = module.typeDefinitions[start &+ member]
            guard definition.kind != .function else { continue }
            var chain: UnsafePointer<GCType>? = nil
            let supertype = definition.supertype
            if supertype != TypeDefinition.noSupertype {
                if Int(supertype) >= start {
                    chain = layouts[Int(supertype) &- start].map { UnsafePointer($0) }
                } else {
                    let id = Int(ids![Int(supertype)])
                    chain = id < entries.count ? entries[id].layout.map { UnsafePointer($0) } : nil
                }
            }
            do {
                layouts[member] = try GCType.make(module, type: start &+ member, engineID: firstID &+ UInt32(member), supertypeChain: chain,
                                                  earlierIDs: ids, groupStart: start, firstID: firstID)
            } catch {
                for index in 0..<member { if let layout = layouts[index] { Heap.destroy(layout) } }
                Heap.free(layouts)
                throw error
            }
        }
        return layouts
    }

    /// The layout of each of a module's type indices (nil for function types), from their
    /// engine ids.
    func layouts(of ids: borrowing FallibleVector<UInt32>) throws(SwasmError) -> FallibleVector<UnsafeRawPointer?> {
        var result = FallibleVector<UnsafeRawPointer?>()
        try result.reserve(max(ids.count, 1))
        cswasm_type_registry_lock()
        defer { cswasm_type_registry_unlock() }
        for index in 0..<ids.count {
            let id = Int(ids[index])
            try result.append(id < entries.count ? entries[id].layout.map { UnsafeRawPointer($0) } : nil)
        }
        return result
    }

    /// The layout of engine type `id` (nil for a function type or an unknown id).
    func layout(_ id: UInt32) -> UnsafePointer<GCType>? {
        cswasm_type_registry_lock()
        defer { cswasm_type_registry_unlock() }
        return Int(id) < entries.count ? entries[Int(id)].layout.map { UnsafePointer($0) } : nil
    }

    /// A value type of a module's group being registered (from `groupStart`, ids from `firstID`)
    /// in the engine's index space; `ids` holds the ids of the module's earlier types.
    private static func engineType(_ type: ValueType, _ ids: borrowing FallibleVector<UInt32>, groupStart: Int, firstID: UInt32) -> ValueType {
        engineType(type, UnsafePointer(ids.base), groupStart: groupStart, firstID: firstID)
    }

    /// `engineType` with the earlier types' ids at `ids`.
    static func engineType(_ type: ValueType, _ ids: UnsafePointer<UInt32>?, groupStart: Int, firstID: UInt32) -> ValueType {
        guard type.isReference, type.heapType.isConcrete else { return type }
        let index = type.heapType.index
        let id = Int(index) >= groupStart ? firstID &+ (index &- UInt32(groupStart)) : ids![Int(index)]
        return ValueType(heap: .concrete(id, kind: type.heapType.concreteKind, in: .engine), nullable: type.isNullable)
    }

    /// Whether engine type `a` is `b` or declares it as a supertype, directly or not.
    func isDeclaredSubtype(_ a: UInt32, of b: UInt32) -> Bool {
        if a == b { return true }
        cswasm_type_registry_lock()
        defer { cswasm_type_registry_unlock() }
        var current = a
        while Int(current) < entries.count {
            if current == b { return true }
            current = entries[Int(current)].supertype
        }
        return false
    }

    /// Whether engine type `id` is a final function type without supertype whose parameters and
    /// results are exactly these (the type a host function of this signature has).
    func isFunctionType(_ id: UInt32, parameters: UnsafeBufferPointer<ValueType>, results: UnsafeBufferPointer<ValueType>) -> Bool {
        cswasm_type_registry_lock()
        defer { cswasm_type_registry_unlock() }
        guard Int(id) < entries.count else { return false }
        let entry = entries[Int(id)]
        guard entry.kind == .function, entry.isFinal, entry.supertype == TypeDefinition.noSupertype,
              entry.parameterCount == UInt32(parameters.count), entry.resultCount == UInt32(results.count) else { return false }
        let start = Int(entry.signatureStart)
        for index in 0..<parameters.count where signatures[start &+ index] != parameters[index] { return false }
        for index in 0..<results.count where signatures[start &+ parameters.count &+ index] != results[index] { return false }
        return true
    }

    /// Whether engine type `id` is a function type whose parameters and results are exactly these
    /// (whatever its finality, supertype and group).
    func hasSignature(_ id: UInt32, parameters: UnsafeBufferPointer<ValueType>, results: UnsafeBufferPointer<ValueType>) -> Bool {
        cswasm_type_registry_lock()
        defer { cswasm_type_registry_unlock() }
        guard Int(id) < entries.count else { return false }
        let entry = entries[Int(id)]
        guard entry.kind == .function, entry.parameterCount == UInt32(parameters.count), entry.resultCount == UInt32(results.count) else { return false }
        let start = Int(entry.signatureStart)
        for index in 0..<parameters.count where signatures[start &+ index] != parameters[index] { return false }
        for index in 0..<results.count where signatures[start &+ parameters.count &+ index] != results[index] { return false }
        return true
    }

    /// Subtyping of value types in the engine's index space.
    func matches(_ a: ValueType, _ b: ValueType) -> Bool {
        a.matches(b) { (x: UInt32, y: UInt32) -> Bool in isDeclaredSubtype(x, of: y) }
    }
}

extension CompiledModule {
    /// `type` with its concrete heap type (a canonical index of this module) in the engine's
    /// index space.
    func engineType(_ type: ValueType) -> ValueType {
        guard type.isReference, type.heapType.isConcrete, type.heapType.space == .module else { return type }
        let heap = type.heapType
        return ValueType(heap: .concrete(engineTypeIDs[Int(heap.index)], kind: heap.concreteKind, in: .engine), nullable: type.isNullable)
    }
}

extension CompiledModule {
    func engineType(_ global: GlobalType) -> GlobalType {
        GlobalType(content: engineType(global.content), isMutable: global.isMutable)
    }

    func engineType(_ table: TableType) -> TableType {
        TableType(element: engineType(table.element), limits: table.limits, is64: table.is64)
    }
}
