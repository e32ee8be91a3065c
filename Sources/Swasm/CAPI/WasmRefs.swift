// wasm.h: the reference functions of runtime objects (generated pattern; see Reflection/RuntimeObjects.swift).

@_cdecl("wasm_ref_delete")
public func wasm_ref_delete(_ object: OpaquePointer?) { object.map(RefObjects.delete) }

@_cdecl("wasm_ref_copy")
public func wasm_ref_copy(_ object: OpaquePointer?) -> OpaquePointer? { object.flatMap(RefObjects.copy) }

@_cdecl("wasm_ref_same")
public func wasm_ref_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { RefObjects.same(a, b) }

@_cdecl("wasm_ref_get_host_info")
public func wasm_ref_get_host_info(_ object: OpaquePointer?) -> UnsafeMutableRawPointer? {
    RefObjects.hostInfo(object)
}

@_cdecl("wasm_ref_set_host_info")
public func wasm_ref_set_host_info(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    RefObjects.setHostInfo(object, info, nil)
}

@_cdecl("wasm_ref_set_host_info_with_finalizer")
public func wasm_ref_set_host_info_with_finalizer(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    RefObjects.setHostInfo(object, info, finalizer)
}

@_cdecl("wasm_func_delete")
public func wasm_func_delete(_ object: OpaquePointer?) { object.map(RefObjects.delete) }

@_cdecl("wasm_func_copy")
public func wasm_func_copy(_ object: OpaquePointer?) -> OpaquePointer? { object.flatMap(RefObjects.copy) }

@_cdecl("wasm_func_same")
public func wasm_func_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { RefObjects.same(a, b) }

@_cdecl("wasm_func_get_host_info")
public func wasm_func_get_host_info(_ object: OpaquePointer?) -> UnsafeMutableRawPointer? {
    RefObjects.hostInfo(object)
}

@_cdecl("wasm_func_set_host_info")
public func wasm_func_set_host_info(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    RefObjects.setHostInfo(object, info, nil)
}

@_cdecl("wasm_func_set_host_info_with_finalizer")
public func wasm_func_set_host_info_with_finalizer(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    RefObjects.setHostInfo(object, info, finalizer)
}

@_cdecl("wasm_func_as_ref")
public func wasm_func_as_ref(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_func")
public func wasm_ref_as_func(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .function) }

@_cdecl("wasm_func_as_ref_const")
public func wasm_func_as_ref_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_func_const")
public func wasm_ref_as_func_const(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .function) }

@_cdecl("wasm_global_delete")
public func wasm_global_delete(_ object: OpaquePointer?) { object.map(RefObjects.delete) }

@_cdecl("wasm_global_copy")
public func wasm_global_copy(_ object: OpaquePointer?) -> OpaquePointer? { object.flatMap(RefObjects.copy) }

@_cdecl("wasm_global_same")
public func wasm_global_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { RefObjects.same(a, b) }

@_cdecl("wasm_global_get_host_info")
public func wasm_global_get_host_info(_ object: OpaquePointer?) -> UnsafeMutableRawPointer? {
    RefObjects.hostInfo(object)
}

@_cdecl("wasm_global_set_host_info")
public func wasm_global_set_host_info(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    RefObjects.setHostInfo(object, info, nil)
}

@_cdecl("wasm_global_set_host_info_with_finalizer")
public func wasm_global_set_host_info_with_finalizer(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    RefObjects.setHostInfo(object, info, finalizer)
}

@_cdecl("wasm_global_as_ref")
public func wasm_global_as_ref(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_global")
public func wasm_ref_as_global(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .global) }

@_cdecl("wasm_global_as_ref_const")
public func wasm_global_as_ref_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_global_const")
public func wasm_ref_as_global_const(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .global) }

@_cdecl("wasm_table_delete")
public func wasm_table_delete(_ object: OpaquePointer?) { object.map(RefObjects.delete) }

@_cdecl("wasm_table_copy")
public func wasm_table_copy(_ object: OpaquePointer?) -> OpaquePointer? { object.flatMap(RefObjects.copy) }

@_cdecl("wasm_table_same")
public func wasm_table_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { RefObjects.same(a, b) }

@_cdecl("wasm_table_get_host_info")
public func wasm_table_get_host_info(_ object: OpaquePointer?) -> UnsafeMutableRawPointer? {
    RefObjects.hostInfo(object)
}

@_cdecl("wasm_table_set_host_info")
public func wasm_table_set_host_info(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    RefObjects.setHostInfo(object, info, nil)
}

@_cdecl("wasm_table_set_host_info_with_finalizer")
public func wasm_table_set_host_info_with_finalizer(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    RefObjects.setHostInfo(object, info, finalizer)
}

@_cdecl("wasm_table_as_ref")
public func wasm_table_as_ref(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_table")
public func wasm_ref_as_table(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .table) }

@_cdecl("wasm_table_as_ref_const")
public func wasm_table_as_ref_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_table_const")
public func wasm_ref_as_table_const(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .table) }

@_cdecl("wasm_memory_delete")
public func wasm_memory_delete(_ object: OpaquePointer?) { object.map(RefObjects.delete) }

@_cdecl("wasm_memory_copy")
public func wasm_memory_copy(_ object: OpaquePointer?) -> OpaquePointer? { object.flatMap(RefObjects.copy) }

@_cdecl("wasm_memory_same")
public func wasm_memory_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { RefObjects.same(a, b) }

@_cdecl("wasm_memory_get_host_info")
public func wasm_memory_get_host_info(_ object: OpaquePointer?) -> UnsafeMutableRawPointer? {
    RefObjects.hostInfo(object)
}

@_cdecl("wasm_memory_set_host_info")
public func wasm_memory_set_host_info(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    RefObjects.setHostInfo(object, info, nil)
}

@_cdecl("wasm_memory_set_host_info_with_finalizer")
public func wasm_memory_set_host_info_with_finalizer(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    RefObjects.setHostInfo(object, info, finalizer)
}

@_cdecl("wasm_memory_as_ref")
public func wasm_memory_as_ref(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_memory")
public func wasm_ref_as_memory(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .memory) }

@_cdecl("wasm_memory_as_ref_const")
public func wasm_memory_as_ref_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_memory_const")
public func wasm_ref_as_memory_const(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .memory) }

@_cdecl("wasm_instance_delete")
public func wasm_instance_delete(_ object: OpaquePointer?) { object.map(RefObjects.delete) }

@_cdecl("wasm_instance_copy")
public func wasm_instance_copy(_ object: OpaquePointer?) -> OpaquePointer? { object.flatMap(RefObjects.copy) }

@_cdecl("wasm_instance_same")
public func wasm_instance_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { RefObjects.same(a, b) }

@_cdecl("wasm_instance_get_host_info")
public func wasm_instance_get_host_info(_ object: OpaquePointer?) -> UnsafeMutableRawPointer? {
    RefObjects.hostInfo(object)
}

@_cdecl("wasm_instance_set_host_info")
public func wasm_instance_set_host_info(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    RefObjects.setHostInfo(object, info, nil)
}

@_cdecl("wasm_instance_set_host_info_with_finalizer")
public func wasm_instance_set_host_info_with_finalizer(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    RefObjects.setHostInfo(object, info, finalizer)
}

@_cdecl("wasm_instance_as_ref")
public func wasm_instance_as_ref(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_instance")
public func wasm_ref_as_instance(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .instance) }

@_cdecl("wasm_instance_as_ref_const")
public func wasm_instance_as_ref_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_instance_const")
public func wasm_ref_as_instance_const(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .instance) }

@_cdecl("wasm_foreign_delete")
public func wasm_foreign_delete(_ object: OpaquePointer?) { object.map(RefObjects.delete) }

@_cdecl("wasm_foreign_copy")
public func wasm_foreign_copy(_ object: OpaquePointer?) -> OpaquePointer? { object.flatMap(RefObjects.copy) }

@_cdecl("wasm_foreign_same")
public func wasm_foreign_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { RefObjects.same(a, b) }

@_cdecl("wasm_foreign_get_host_info")
public func wasm_foreign_get_host_info(_ object: OpaquePointer?) -> UnsafeMutableRawPointer? {
    RefObjects.hostInfo(object)
}

@_cdecl("wasm_foreign_set_host_info")
public func wasm_foreign_set_host_info(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    RefObjects.setHostInfo(object, info, nil)
}

@_cdecl("wasm_foreign_set_host_info_with_finalizer")
public func wasm_foreign_set_host_info_with_finalizer(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    RefObjects.setHostInfo(object, info, finalizer)
}

@_cdecl("wasm_foreign_as_ref")
public func wasm_foreign_as_ref(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_foreign")
public func wasm_ref_as_foreign(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .foreign) }

@_cdecl("wasm_foreign_as_ref_const")
public func wasm_foreign_as_ref_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_foreign_const")
public func wasm_ref_as_foreign_const(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .foreign) }

@_cdecl("wasm_extern_delete")
public func wasm_extern_delete(_ object: OpaquePointer?) { object.map(RefObjects.delete) }

@_cdecl("wasm_extern_copy")
public func wasm_extern_copy(_ object: OpaquePointer?) -> OpaquePointer? { object.flatMap(RefObjects.copy) }

@_cdecl("wasm_extern_same")
public func wasm_extern_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { RefObjects.same(a, b) }

@_cdecl("wasm_extern_get_host_info")
public func wasm_extern_get_host_info(_ object: OpaquePointer?) -> UnsafeMutableRawPointer? {
    RefObjects.hostInfo(object)
}

@_cdecl("wasm_extern_set_host_info")
public func wasm_extern_set_host_info(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    RefObjects.setHostInfo(object, info, nil)
}

@_cdecl("wasm_extern_set_host_info_with_finalizer")
public func wasm_extern_set_host_info_with_finalizer(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    RefObjects.setHostInfo(object, info, finalizer)
}

@_cdecl("wasm_extern_as_ref")
public func wasm_extern_as_ref(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_extern")
public func wasm_ref_as_extern(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.castExtern(reference) }

@_cdecl("wasm_extern_as_ref_const")
public func wasm_extern_as_ref_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_extern_const")
public func wasm_ref_as_extern_const(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.castExtern(reference) }

@_cdecl("wasm_func_as_extern")
public func wasm_func_as_extern(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_extern_as_func")
public func wasm_extern_as_func(_ object: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(object, to: .function) }

@_cdecl("wasm_func_as_extern_const")
public func wasm_func_as_extern_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_extern_as_func_const")
public func wasm_extern_as_func_const(_ object: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(object, to: .function) }

@_cdecl("wasm_global_as_extern")
public func wasm_global_as_extern(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_extern_as_global")
public func wasm_extern_as_global(_ object: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(object, to: .global) }

@_cdecl("wasm_global_as_extern_const")
public func wasm_global_as_extern_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_extern_as_global_const")
public func wasm_extern_as_global_const(_ object: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(object, to: .global) }

@_cdecl("wasm_table_as_extern")
public func wasm_table_as_extern(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_extern_as_table")
public func wasm_extern_as_table(_ object: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(object, to: .table) }

@_cdecl("wasm_table_as_extern_const")
public func wasm_table_as_extern_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_extern_as_table_const")
public func wasm_extern_as_table_const(_ object: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(object, to: .table) }

@_cdecl("wasm_memory_as_extern")
public func wasm_memory_as_extern(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_extern_as_memory")
public func wasm_extern_as_memory(_ object: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(object, to: .memory) }

@_cdecl("wasm_memory_as_extern_const")
public func wasm_memory_as_extern_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_extern_as_memory_const")
public func wasm_extern_as_memory_const(_ object: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(object, to: .memory) }

@_cdecl("wasm_module_as_ref")
public func wasm_module_as_ref(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_module")
public func wasm_ref_as_module(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .module) }

@_cdecl("wasm_module_as_ref_const")
public func wasm_module_as_ref_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_module_const")
public func wasm_ref_as_module_const(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .module) }

@_cdecl("wasm_trap_as_ref")
public func wasm_trap_as_ref(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_trap")
public func wasm_ref_as_trap(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .trap) }

@_cdecl("wasm_trap_as_ref_const")
public func wasm_trap_as_ref_const(_ object: OpaquePointer?) -> OpaquePointer? { object }

@_cdecl("wasm_ref_as_trap_const")
public func wasm_ref_as_trap_const(_ reference: OpaquePointer?) -> OpaquePointer? { RefObjects.cast(reference, to: .trap) }
