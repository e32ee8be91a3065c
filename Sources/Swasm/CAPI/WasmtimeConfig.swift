// wasmtime/config.h: engine settings. Settings that only a JIT can use are recorded and have no
// effect (documented in the header); none of these functions aborts.
import CSwasm

@inline(__always)
private func update(_ config: OpaquePointer?, _ body: (inout EngineConfig) -> Void) {
    guard let config else { return }
    body(&UnsafeMutablePointer<EngineConfig>(config).pointee)
}

@_cdecl("wasmtime_config_debug_info_set") public func wasmtime_config_debug_info_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.debugInfo = v } }
@_cdecl("wasmtime_config_consume_fuel_set") public func wasmtime_config_consume_fuel_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.consumeFuel = v } }
@_cdecl("wasmtime_config_epoch_interruption_set") public func wasmtime_config_epoch_interruption_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.epochInterruption = v } }
@_cdecl("wasmtime_config_max_wasm_stack_set") public func wasmtime_config_max_wasm_stack_set(_ c: OpaquePointer?, _ v: Int) { update(c) { $0.maxWasmStack = v } }
@_cdecl("wasmtime_config_wasm_threads_set") public func wasmtime_config_wasm_threads_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.threads, v) } }
@_cdecl("wasmtime_config_shared_memory_set") public func wasmtime_config_shared_memory_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.sharedMemory = v } }
@_cdecl("wasmtime_config_wasm_tail_call_set") public func wasmtime_config_wasm_tail_call_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.tailCall, v) } }
@_cdecl("wasmtime_config_wasm_reference_types_set") public func wasmtime_config_wasm_reference_types_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.referenceTypes, v) } }
@_cdecl("wasmtime_config_wasm_function_references_set") public func wasmtime_config_wasm_function_references_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.functionReferences, v) } }
@_cdecl("wasmtime_config_wasm_gc_set") public func wasmtime_config_wasm_gc_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.gc, v) } }
@_cdecl("wasmtime_config_gc_support_set") public func wasmtime_config_gc_support_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.gcSupport = v } }
@_cdecl("wasmtime_config_wasm_simd_set") public func wasmtime_config_wasm_simd_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.simd, v) } }
@_cdecl("wasmtime_config_wasm_relaxed_simd_set") public func wasmtime_config_wasm_relaxed_simd_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.relaxedSimd, v) } }
@_cdecl("wasmtime_config_wasm_relaxed_simd_deterministic_set") public func wasmtime_config_wasm_relaxed_simd_deterministic_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.relaxedSimdDeterministic = v } }
@_cdecl("wasmtime_config_wasm_bulk_memory_set") public func wasmtime_config_wasm_bulk_memory_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.bulkMemory, v) } }
@_cdecl("wasmtime_config_wasm_multi_value_set") public func wasmtime_config_wasm_multi_value_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.multiValue, v) } }
@_cdecl("wasmtime_config_wasm_multi_memory_set") public func wasmtime_config_wasm_multi_memory_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.multiMemory, v) } }
@_cdecl("wasmtime_config_wasm_memory64_set") public func wasmtime_config_wasm_memory64_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.memory64, v) } }
@_cdecl("wasmtime_config_wasm_wide_arithmetic_set") public func wasmtime_config_wasm_wide_arithmetic_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.wideArithmetic, v) } }
@_cdecl("wasmtime_config_wasm_branch_hinting_set") public func wasmtime_config_wasm_branch_hinting_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.branchHinting, v) } }
@_cdecl("wasmtime_config_wasm_exceptions_set") public func wasmtime_config_wasm_exceptions_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.exceptions, v) } }
@_cdecl("wasmtime_config_wasm_custom_page_sizes_set") public func wasmtime_config_wasm_custom_page_sizes_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.customPageSizes, v) } }
@_cdecl("wasmtime_config_wasm_stack_switching_set") public func wasmtime_config_wasm_stack_switching_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.set(.stackSwitching, v) } }
@_cdecl("wasmtime_config_strategy_set") public func wasmtime_config_strategy_set(_ c: OpaquePointer?, _ v: UInt8) { update(c) { $0.strategy = v } }
@_cdecl("wasmtime_config_parallel_compilation_set") public func wasmtime_config_parallel_compilation_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.parallelCompilation = v } }
@_cdecl("wasmtime_config_cranelift_debug_verifier_set") public func wasmtime_config_cranelift_debug_verifier_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.craneliftDebugVerifier = v } }
@_cdecl("wasmtime_config_cranelift_nan_canonicalization_set") public func wasmtime_config_cranelift_nan_canonicalization_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.nanCanonicalization = v } }
@_cdecl("wasmtime_config_cranelift_opt_level_set") public func wasmtime_config_cranelift_opt_level_set(_ c: OpaquePointer?, _ v: UInt8) { update(c) { $0.optLevel = v } }
@_cdecl("wasmtime_config_cranelift_regalloc_algorithm_set") public func wasmtime_config_cranelift_regalloc_algorithm_set(_ c: OpaquePointer?, _ v: UInt8) { update(c) { $0.regallocAlgorithm = v } }
@_cdecl("wasmtime_config_profiler_set") public func wasmtime_config_profiler_set(_ c: OpaquePointer?, _ v: UInt8) { update(c) { $0.profiler = v } }
@_cdecl("wasmtime_config_memory_may_move_set") public func wasmtime_config_memory_may_move_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.memoryMayMove = v } }
@_cdecl("wasmtime_config_memory_reservation_set") public func wasmtime_config_memory_reservation_set(_ c: OpaquePointer?, _ v: UInt64) { update(c) { $0.memoryReservation = v } }
@_cdecl("wasmtime_config_memory_guard_size_set") public func wasmtime_config_memory_guard_size_set(_ c: OpaquePointer?, _ v: UInt64) { update(c) { $0.memoryGuardSize = v } }
@_cdecl("wasmtime_config_memory_reservation_for_growth_set") public func wasmtime_config_memory_reservation_for_growth_set(_ c: OpaquePointer?, _ v: UInt64) { update(c) { $0.memoryReservationForGrowth = v } }
@_cdecl("wasmtime_config_native_unwind_info_set") public func wasmtime_config_native_unwind_info_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.nativeUnwindInfo = v } }
@_cdecl("wasmtime_config_macos_use_mach_ports_set") public func wasmtime_config_macos_use_mach_ports_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.macosUseMachPorts = v } }
@_cdecl("wasmtime_config_signals_based_traps_set") public func wasmtime_config_signals_based_traps_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.signalsBasedTraps = v } }
@_cdecl("wasmtime_config_memory_init_cow_set") public func wasmtime_config_memory_init_cow_set(_ c: OpaquePointer?, _ v: Bool) { update(c) { $0.memoryInitCow = v } }

/// `wasmtime_new_memory_callback_t`.
typealias NewMemoryCallback = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, Int, Int, Int, Int,
                                              UnsafeMutableRawPointer?) -> OpaquePointer?

/// `wasmtime_memory_creator_t`, field for field (abi_layout checks the C side's size).
struct MemoryCreatorRecord {
    var environment: UnsafeMutableRawPointer?
    var newMemory: NewMemoryCallback?
    var finalizer: HostFinalizer?
}

/// The configuration takes the creator over (a creator it held before is finalized now, as
/// wasmtime drops it). Without a configuration or a `new_memory` callback nothing is taken:
/// nothing changes and the finalizer does not run.
@_cdecl("wasmtime_config_host_memory_creator_set")
public func wasmtime_config_host_memory_creator_set(_ c: OpaquePointer?, _ creator: UnsafeRawPointer?) {
    guard let c, let record = creator?.loadUnaligned(as: MemoryCreatorRecord.self), let newMemory = record.newMemory else { return }
    let config = UnsafeMutablePointer<EngineConfig>(c)
    config.pointee.memoryCreator?.finalize()
    config.pointee.memoryCreator = MemoryCreator(environment: record.environment, newMemory: unsafeBitCast(newMemory, to: UnsafeRawPointer.self),
                                                 finalizer: record.finalizer, trampoline: newMemoryTrampoline)
}

/// Calls the embedder's `new_memory` with a memory type object that lives for the call, no
/// reservation and no guard region (swasm checks every access; its memories may move).
private let newMemoryTrampoline: MemoryCreatorTrampoline = { creatorPointer, requestPointer, memory in
    let creator = creatorPointer.load(as: MemoryCreator.self)
    let request = requestPointer.load(as: HostMemoryRequest.self)
    let callback = unsafeBitCast(creator.newMemory, to: NewMemoryCallback.self)
    var type = MemoryTypeObject(limits: CLimits(request.type.limits), type: request.type)
    return withUnsafeMutablePointer(to: &type) {
        callback(creator.environment, OpaquePointer($0), Int(truncatingIfNeeded: request.minimum),
                 Int(truncatingIfNeeded: request.maximum), 0, 0, memory)
    }
}

/// swasm keeps no compilation cache: loading a cache configuration is accepted and ignored.
/// swasm compiles no native code, so there is nothing to cache: the file is only read, and a
/// file that cannot be read fails as in wasmtime ("failed to read config file: PATH"). NULL
/// (wasmtime's default location) succeeds.
@_cdecl("wasmtime_config_cache_config_load")
public func wasmtime_config_cache_config_load(_ c: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> OpaquePointer? {
    guard c != nil else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_config_cache_config_load: config is NULL")) }
    guard let path else { return nil }
    var file = cswasm_mapped_file()
    let failure = cswasm_map_file(path, &file)
    if failure == 0 {
        cswasm_unmap_file(&file)
        return nil
    }
    let report = ErrorReport.make(.invalidArgument) { (text: inout ByteBuffer) throws(SwasmError) in
        try text.append("failed to read config file: ")
        try text.append(UnsafeRawPointer(path), count: cswasm_strlen(path))
    }
    if ErrorReport.isOutOfMemory(report) { return OpaquePointer(report) }
    do throws(SwasmError) {
        let reason = cswasm_error_text(failure)!
        try report.pointee.cause.append(UnsafeRawPointer(reason), count: cswasm_strlen(reason))
        try report.pointee.cause.append(" (os error ")
        try report.pointee.cause.appendDecimal(Int64(failure))
        try report.pointee.cause.append(")")
    } catch {
        ErrorReport.destroy(report)
        return OpaquePointer(ErrorReport.outOfMemory)
    }
    return OpaquePointer(report)
}

/// The interpreter runs on any host, so every target is accepted (it changes nothing).
@_cdecl("wasmtime_config_target_set")
public func wasmtime_config_target_set(_ c: OpaquePointer?, _ target: UnsafePointer<CChar>?) -> OpaquePointer? {
    guard c != nil, target != nil else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_config_target_set: config and target must not be NULL"))
    }
    return nil
}

/// Cranelift flags are accepted and ignored: swasm has no code generator.
@_cdecl("wasmtime_config_cranelift_flag_enable")
public func wasmtime_config_cranelift_flag_enable(_ c: OpaquePointer?, _ flag: UnsafePointer<CChar>?) {}

@_cdecl("wasmtime_config_cranelift_flag_set")
public func wasmtime_config_cranelift_flag_set(_ c: OpaquePointer?, _ flag: UnsafePointer<CChar>?, _ value: UnsafePointer<CChar>?) {}
