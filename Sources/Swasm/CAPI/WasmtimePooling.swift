// wasmtime/config.h: the pooling allocation strategy's settings (Runtime/PoolingConfig.swift).
import CSwasm

@inline(__always)
private func update(_ settings: OpaquePointer?, _ body: (inout PoolingConfig) -> Void) {
    guard let settings else { return }
    body(&UnsafeMutablePointer<PoolingConfig>(settings).pointee)
}

@_cdecl("wasmtime_pooling_allocation_config_new")
public func wasmtime_pooling_allocation_config_new() -> OpaquePointer? {
    (try? Heap.create(PoolingConfig())).map { OpaquePointer($0) }
}

@_cdecl("wasmtime_pooling_allocation_config_delete")
public func wasmtime_pooling_allocation_config_delete(_ settings: OpaquePointer?) {
    guard let settings else { return }
    Heap.destroy(UnsafeMutablePointer<PoolingConfig>(settings))
}

@_cdecl("wasmtime_pooling_allocation_strategy_set")
public func wasmtime_pooling_allocation_strategy_set(_ config: OpaquePointer?, _ settings: OpaquePointer?) {
    guard let config, let settings else { return }
    UnsafeMutablePointer<EngineConfig>(config).pointee.pooling = UnsafePointer<PoolingConfig>(settings).pointee
}

@_cdecl("wasmtime_pooling_allocation_config_max_unused_warm_slots_set") public func wasmtime_pooling_allocation_config_max_unused_warm_slots_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.maxUnusedWarmSlots = v } }
@_cdecl("wasmtime_pooling_allocation_config_decommit_batch_size_set") public func wasmtime_pooling_allocation_config_decommit_batch_size_set(_ c: OpaquePointer?, _ v: UInt) { update(c) { $0.decommitBatchSize = v } }
@_cdecl("wasmtime_pooling_allocation_config_async_stack_keep_resident_set") public func wasmtime_pooling_allocation_config_async_stack_keep_resident_set(_ c: OpaquePointer?, _ v: UInt) { update(c) { $0.asyncStackKeepResident = v } }
@_cdecl("wasmtime_pooling_allocation_config_linear_memory_keep_resident_set") public func wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(_ c: OpaquePointer?, _ v: UInt) { update(c) { $0.linearMemoryKeepResident = v } }
@_cdecl("wasmtime_pooling_allocation_config_table_keep_resident_set") public func wasmtime_pooling_allocation_config_table_keep_resident_set(_ c: OpaquePointer?, _ v: UInt) { update(c) { $0.tableKeepResident = v } }
@_cdecl("wasmtime_pooling_allocation_config_total_component_instances_set") public func wasmtime_pooling_allocation_config_total_component_instances_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.totalComponentInstances = v } }
@_cdecl("wasmtime_pooling_allocation_config_max_component_instance_size_set") public func wasmtime_pooling_allocation_config_max_component_instance_size_set(_ c: OpaquePointer?, _ v: UInt) { update(c) { $0.maxComponentInstanceSize = v } }
@_cdecl("wasmtime_pooling_allocation_config_max_core_instances_per_component_set") public func wasmtime_pooling_allocation_config_max_core_instances_per_component_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.maxCoreInstancesPerComponent = v } }
@_cdecl("wasmtime_pooling_allocation_config_max_memories_per_component_set") public func wasmtime_pooling_allocation_config_max_memories_per_component_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.maxMemoriesPerComponent = v } }
@_cdecl("wasmtime_pooling_allocation_config_max_tables_per_component_set") public func wasmtime_pooling_allocation_config_max_tables_per_component_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.maxTablesPerComponent = v } }
@_cdecl("wasmtime_pooling_allocation_config_total_memories_set") public func wasmtime_pooling_allocation_config_total_memories_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.totalMemories = v } }
@_cdecl("wasmtime_pooling_allocation_config_total_tables_set") public func wasmtime_pooling_allocation_config_total_tables_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.totalTables = v } }
@_cdecl("wasmtime_pooling_allocation_config_total_stacks_set") public func wasmtime_pooling_allocation_config_total_stacks_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.totalStacks = v } }
@_cdecl("wasmtime_pooling_allocation_config_total_core_instances_set") public func wasmtime_pooling_allocation_config_total_core_instances_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.totalCoreInstances = v } }
@_cdecl("wasmtime_pooling_allocation_config_max_core_instance_size_set") public func wasmtime_pooling_allocation_config_max_core_instance_size_set(_ c: OpaquePointer?, _ v: UInt) { update(c) { $0.maxCoreInstanceSize = v } }
@_cdecl("wasmtime_pooling_allocation_config_max_tables_per_module_set") public func wasmtime_pooling_allocation_config_max_tables_per_module_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.maxTablesPerModule = v } }
@_cdecl("wasmtime_pooling_allocation_config_table_elements_set") public func wasmtime_pooling_allocation_config_table_elements_set(_ c: OpaquePointer?, _ v: UInt) { update(c) { $0.tableElements = v } }
@_cdecl("wasmtime_pooling_allocation_config_max_memories_per_module_set") public func wasmtime_pooling_allocation_config_max_memories_per_module_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.maxMemoriesPerModule = v } }
@_cdecl("wasmtime_pooling_allocation_config_max_memory_size_set") public func wasmtime_pooling_allocation_config_max_memory_size_set(_ c: OpaquePointer?, _ v: UInt) { update(c) { $0.maxMemorySize = v } }
@_cdecl("wasmtime_pooling_allocation_config_total_gc_heaps_set") public func wasmtime_pooling_allocation_config_total_gc_heaps_set(_ c: OpaquePointer?, _ v: UInt32) { update(c) { $0.totalGCHeaps = v } }
