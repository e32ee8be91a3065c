import CSwasm

/// `wasmtime_struct_type_t` and `wasmtime_array_type_t`: a struct or array type of an engine's
/// type registry (its layout, which lives as long as the engine), holding the engine.
public struct GCTypeObject: ~Copyable {
    let engine: Shared<Engine>
    let layout: UnsafePointer<GCType>

    deinit { engine.release() }

    static func make(engine: Shared<Engine>, layout: UnsafePointer<GCType>) throws(SwasmError) -> OpaquePointer {
        OpaquePointer(try Heap.create(GCTypeObject(engine: engine.retain(), layout: layout)))
    }

    static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<GCTypeObject> { UnsafeMutablePointer(object) }

    static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        try? make(engine: pointer(object).pointee.engine, layout: pointer(object).pointee.layout)
    }

    static func delete(_ object: OpaquePointer) { Heap.destroy(pointer(object)) }

    /// The type's layout when the object is of `kind` and of `engine` (any engine when nil).
    static func layout(_ object: OpaquePointer?, _ kind: CompositeKind, engine: Shared<Engine>? = nil) -> UnsafePointer<GCType>? {
        guard let object else { return nil }
        let type = pointer(object)
        guard type.pointee.layout.pointee.kind == kind else { return nil }
        if let engine, engine.cell != type.pointee.engine.cell { return nil }
        return type.pointee.layout
    }
}

/// `wasmtime_struct_ref_pre_t` and `wasmtime_array_ref_pre_t`: a struct or array type ready for
/// allocation in one store.
public struct GCAllocatorObject: ~Copyable {
    let storeID: UInt64
    let engine: Shared<Engine>
    let layout: UnsafePointer<GCType>

    deinit { engine.release() }

    static func make(storeID: UInt64, engine: Shared<Engine>, layout: UnsafePointer<GCType>) throws(SwasmError) -> OpaquePointer {
        OpaquePointer(try Heap.create(GCAllocatorObject(storeID: storeID, engine: engine.retain(), layout: layout)))
    }

    static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<GCAllocatorObject> { UnsafeMutablePointer(object) }

    static func delete(_ object: OpaquePointer) { Heap.destroy(pointer(object)) }
}
