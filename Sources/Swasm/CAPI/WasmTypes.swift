// wasm.h: type objects and their vectors.

// MARK: wasm_valtype_t

@_cdecl("wasm_valtype_new")
public func wasm_valtype_new(_ kind: UInt8) -> OpaquePointer? {
    guard let type = ValueType(wasmKind: kind) else { return nil }
    return try? ValTypeObject.make(type)
}

@_cdecl("wasm_valtype_kind")
public func wasm_valtype_kind(_ type: OpaquePointer?) -> UInt8 {
    guard let type else { return 0 }
    return ValTypeObject.get(type).wasmKind
}

@_cdecl("wasm_valtype_copy")
public func wasm_valtype_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(ValTypeObject.copy)
}

@_cdecl("wasm_valtype_delete")
public func wasm_valtype_delete(_ type: OpaquePointer?) {
    type.map(ValTypeObject.delete)
}

// MARK: wasm_functype_t

@_cdecl("wasm_functype_new")
public func wasm_functype_new(_ params: UnsafeMutableRawPointer?, _ results: UnsafeMutableRawPointer?) -> OpaquePointer? {
    // Ownership of both vectors passes to the new object, even when creation fails.
    guard let type = try? FuncTypeObject.make(takingParams: params, results: results) else {
        ValTypeObject.deleteVector(params)
        ValTypeObject.deleteVector(results)
        return nil
    }
    return type
}

@_cdecl("wasm_functype_params")
public func wasm_functype_params(_ type: OpaquePointer?) -> UnsafeRawPointer? {
    type.map { UnsafeRawPointer(FuncTypeObject.paramsVector($0)) }
}

@_cdecl("wasm_functype_results")
public func wasm_functype_results(_ type: OpaquePointer?) -> UnsafeRawPointer? {
    type.map { UnsafeRawPointer(FuncTypeObject.resultsVector($0)) }
}

@_cdecl("wasm_functype_copy")
public func wasm_functype_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(FuncTypeObject.copy)
}

@_cdecl("wasm_functype_delete")
public func wasm_functype_delete(_ type: OpaquePointer?) {
    type.map(ExternTypeObject.delete)
}

// MARK: wasm_globaltype_t

@_cdecl("wasm_globaltype_new")
public func wasm_globaltype_new(_ content: OpaquePointer?, _ mutability: UInt8) -> OpaquePointer? {
    guard let content else { return nil }
    guard mutability <= 1, let type = try? GlobalTypeObject.make(takingContent: content, mutability: mutability) else {
        ValTypeObject.delete(content)
        return nil
    }
    return type
}

@_cdecl("wasm_globaltype_content")
public func wasm_globaltype_content(_ type: OpaquePointer?) -> OpaquePointer? {
    type.map { GlobalTypeObject.pointer($0).pointee.content }
}

@_cdecl("wasm_globaltype_mutability")
public func wasm_globaltype_mutability(_ type: OpaquePointer?) -> UInt8 {
    type.map { GlobalTypeObject.pointer($0).pointee.mutability } ?? 0
}

@_cdecl("wasm_globaltype_copy")
public func wasm_globaltype_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(GlobalTypeObject.copy)
}

@_cdecl("wasm_globaltype_delete")
public func wasm_globaltype_delete(_ type: OpaquePointer?) {
    type.map(ExternTypeObject.delete)
}

// MARK: wasm_tabletype_t

@_cdecl("wasm_tabletype_new")
public func wasm_tabletype_new(_ element: OpaquePointer?, _ limits: UnsafePointer<CLimits>?) -> OpaquePointer? {
    guard let element else { return nil }
    let elementType = ValTypeObject.get(element)
    guard let limits, elementType.isReference,
          let type = try? TableTypeObject.make(takingElement: element, type: TableType(element: elementType, limits: limits.pointee.limits)) else {
        ValTypeObject.delete(element)
        return nil
    }
    return type
}

@_cdecl("wasm_tabletype_element")
public func wasm_tabletype_element(_ type: OpaquePointer?) -> OpaquePointer? {
    type.map { TableTypeObject.pointer($0).pointee.element }
}

@_cdecl("wasm_tabletype_limits")
public func wasm_tabletype_limits(_ type: OpaquePointer?) -> UnsafePointer<CLimits>? {
    type.map { UnsafePointer(TableTypeObject.limitsPointer($0)) }
}

@_cdecl("wasm_tabletype_copy")
public func wasm_tabletype_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(TableTypeObject.copy)
}

@_cdecl("wasm_tabletype_delete")
public func wasm_tabletype_delete(_ type: OpaquePointer?) {
    type.map(ExternTypeObject.delete)
}

// MARK: wasm_memorytype_t

@_cdecl("wasm_memorytype_new")
public func wasm_memorytype_new(_ limits: UnsafePointer<CLimits>?) -> OpaquePointer? {
    guard let limits else { return nil }
    return try? MemoryTypeObject.make(MemoryType(limits: limits.pointee.limits))
}

@_cdecl("wasm_memorytype_limits")
public func wasm_memorytype_limits(_ type: OpaquePointer?) -> UnsafePointer<CLimits>? {
    type.map { UnsafePointer(MemoryTypeObject.limitsPointer($0)) }
}

@_cdecl("wasm_memorytype_copy")
public func wasm_memorytype_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(MemoryTypeObject.copy)
}

@_cdecl("wasm_memorytype_delete")
public func wasm_memorytype_delete(_ type: OpaquePointer?) {
    type.map(ExternTypeObject.delete)
}

// MARK: wasm_externtype_t

@_cdecl("wasm_externtype_kind")
public func wasm_externtype_kind(_ type: OpaquePointer?) -> UInt8 {
    type.map { ExternTypeObject.kind($0).rawValue } ?? 0
}

@_cdecl("wasm_externtype_copy")
public func wasm_externtype_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(ExternTypeObject.copy)
}

@_cdecl("wasm_externtype_delete")
public func wasm_externtype_delete(_ type: OpaquePointer?) {
    type.map(ExternTypeObject.delete)
}

@_cdecl("wasm_functype_as_externtype") public func wasm_functype_as_externtype(_ t: OpaquePointer?) -> OpaquePointer? { t }
@_cdecl("wasm_globaltype_as_externtype") public func wasm_globaltype_as_externtype(_ t: OpaquePointer?) -> OpaquePointer? { t }
@_cdecl("wasm_tabletype_as_externtype") public func wasm_tabletype_as_externtype(_ t: OpaquePointer?) -> OpaquePointer? { t }
@_cdecl("wasm_memorytype_as_externtype") public func wasm_memorytype_as_externtype(_ t: OpaquePointer?) -> OpaquePointer? { t }
@_cdecl("wasm_functype_as_externtype_const") public func wasm_functype_as_externtype_const(_ t: OpaquePointer?) -> OpaquePointer? { t }
@_cdecl("wasm_globaltype_as_externtype_const") public func wasm_globaltype_as_externtype_const(_ t: OpaquePointer?) -> OpaquePointer? { t }
@_cdecl("wasm_tabletype_as_externtype_const") public func wasm_tabletype_as_externtype_const(_ t: OpaquePointer?) -> OpaquePointer? { t }
@_cdecl("wasm_memorytype_as_externtype_const") public func wasm_memorytype_as_externtype_const(_ t: OpaquePointer?) -> OpaquePointer? { t }
@_cdecl("wasm_externtype_as_functype") public func wasm_externtype_as_functype(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .function) }
@_cdecl("wasm_externtype_as_globaltype") public func wasm_externtype_as_globaltype(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .global) }
@_cdecl("wasm_externtype_as_tabletype") public func wasm_externtype_as_tabletype(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .table) }
@_cdecl("wasm_externtype_as_memorytype") public func wasm_externtype_as_memorytype(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .memory) }
@_cdecl("wasm_externtype_as_functype_const") public func wasm_externtype_as_functype_const(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .function) }
@_cdecl("wasm_externtype_as_globaltype_const") public func wasm_externtype_as_globaltype_const(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .global) }
@_cdecl("wasm_externtype_as_tabletype_const") public func wasm_externtype_as_tabletype_const(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .table) }
@_cdecl("wasm_externtype_as_memorytype_const") public func wasm_externtype_as_memorytype_const(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .memory) }
@_cdecl("wasm_externtype_as_tagtype") public func wasm_externtype_as_tagtype(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .tag) }
@_cdecl("wasm_externtype_as_tagtype_const") public func wasm_externtype_as_tagtype_const(_ t: OpaquePointer?) -> OpaquePointer? { ExternTypeObject.cast(t, to: .tag) }
@_cdecl("wasm_tagtype_as_externtype") public func wasm_tagtype_as_externtype(_ t: OpaquePointer?) -> OpaquePointer? { t }
@_cdecl("wasm_tagtype_as_externtype_const") public func wasm_tagtype_as_externtype_const(_ t: OpaquePointer?) -> OpaquePointer? { t }

// MARK: wasm_tagtype_t

/// Takes `functype` (also when it fails): NULL for NULL, a function type with results, or lack
/// of memory.
@_cdecl("wasm_tagtype_new")
public func wasm_tagtype_new(_ functype: OpaquePointer?) -> OpaquePointer? {
    guard let functype = ExternTypeObject.cast(functype, to: .function) else { return nil }
    guard FuncTypeObject.resultsVector(functype).pointee.size == 0 else {
        Heap.destroy(FuncTypeObject.pointer(functype))
        return nil
    }
    return try? TagTypeObject.make(taking: functype)
}

@_cdecl("wasm_tagtype_functype")
public func wasm_tagtype_functype(_ type: OpaquePointer?) -> OpaquePointer? {
    ExternTypeObject.cast(type, to: .tag).map { TagTypeObject.pointer($0).pointee.functionType }
}

@_cdecl("wasm_tagtype_copy")
public func wasm_tagtype_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    ExternTypeObject.cast(type, to: .tag).flatMap(TagTypeObject.copy)
}

@_cdecl("wasm_tagtype_delete")
public func wasm_tagtype_delete(_ type: OpaquePointer?) {
    type.map(ExternTypeObject.delete)
}

// MARK: wasm_importtype_t and wasm_exporttype_t

/// Whether a `wasm_name_t` holds valid UTF-8.
private func isValidVectorName(_ name: UnsafeMutableRawPointer) -> Bool {
    let vector = CVector.raw(name).pointee
    return (try? Linker.checkName(vector.data.map { UnsafeRawPointer($0) }, vector.size)) != nil
}

@_cdecl("wasm_importtype_new")
public func wasm_importtype_new(_ module: UnsafeMutableRawPointer?, _ name: UnsafeMutableRawPointer?, _ type: OpaquePointer?) -> OpaquePointer? {
    // Takes ownership of both names and the type, even when creation fails.
    guard let module, let name, let type else {
        CVector.delete(module)
        CVector.delete(name)
        type.map(ExternTypeObject.delete)
        return nil
    }
    // Names are UTF-8, as in wasmtime (which returns NULL for others).
    guard isValidVectorName(module), isValidVectorName(name),
          let importType = try? ImportTypeObject.make(module: CVector.raw(module).pointee, name: CVector.raw(name).pointee, type: type) else {
        CVector.delete(module)
        CVector.delete(name)
        ExternTypeObject.delete(type)
        return nil
    }
    CVector.setEmpty(module)
    CVector.setEmpty(name)
    return importType
}

@_cdecl("wasm_importtype_module")
public func wasm_importtype_module(_ type: OpaquePointer?) -> UnsafeRawPointer? {
    type.map { UnsafeRawPointer(withUnsafeMutablePointer(to: &ImportTypeObject.pointer($0).pointee.module) { $0 }) }
}

@_cdecl("wasm_importtype_name")
public func wasm_importtype_name(_ type: OpaquePointer?) -> UnsafeRawPointer? {
    type.map { UnsafeRawPointer(withUnsafeMutablePointer(to: &ImportTypeObject.pointer($0).pointee.name) { $0 }) }
}

@_cdecl("wasm_importtype_type")
public func wasm_importtype_type(_ type: OpaquePointer?) -> OpaquePointer? {
    type.map { ImportTypeObject.pointer($0).pointee.type }
}

@_cdecl("wasm_importtype_copy")
public func wasm_importtype_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(ImportTypeObject.copy)
}

@_cdecl("wasm_importtype_delete")
public func wasm_importtype_delete(_ type: OpaquePointer?) {
    type.map(ImportTypeObject.delete)
}

@_cdecl("wasm_exporttype_new")
public func wasm_exporttype_new(_ name: UnsafeMutableRawPointer?, _ type: OpaquePointer?) -> OpaquePointer? {
    guard let name, let type else {
        CVector.delete(name)
        type.map(ExternTypeObject.delete)
        return nil
    }
    guard isValidVectorName(name), let exportType = try? ExportTypeObject.make(name: CVector.raw(name).pointee, type: type) else {
        CVector.delete(name)
        ExternTypeObject.delete(type)
        return nil
    }
    CVector.setEmpty(name)
    return exportType
}

@_cdecl("wasm_exporttype_name")
public func wasm_exporttype_name(_ type: OpaquePointer?) -> UnsafeRawPointer? {
    type.map { UnsafeRawPointer(withUnsafeMutablePointer(to: &ExportTypeObject.pointer($0).pointee.name) { $0 }) }
}

@_cdecl("wasm_exporttype_type")
public func wasm_exporttype_type(_ type: OpaquePointer?) -> OpaquePointer? {
    type.map { ExportTypeObject.pointer($0).pointee.type }
}

@_cdecl("wasm_exporttype_copy")
public func wasm_exporttype_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(ExportTypeObject.copy)
}

@_cdecl("wasm_exporttype_delete")
public func wasm_exporttype_delete(_ type: OpaquePointer?) {
    type.map(ExportTypeObject.delete)
}
