// wasmtime/profiling.h: the guest profiler (Runtime/GuestProfiler.swift). A
// `wasmtime_guestprofiler_t *` is a heap cell holding a `GuestProfiler`.

/// The layout of `wasmtime_guestprofiler_modules_t`.
private struct GuestProfilerModuleEntry {
    var name: UnsafePointer<RawVector>?
    var module: OpaquePointer?
}

private func profilerPointer(_ pointer: OpaquePointer) -> UnsafeMutablePointer<GuestProfiler> { UnsafeMutablePointer(pointer) }

private func nameBytes(_ name: UnsafePointer<RawVector>) -> UnsafeRawBufferPointer? {
    guard name.pointee.size == 0 || name.pointee.data != nil else { return nil }
    return UnsafeRawBufferPointer(start: name.pointee.data, count: name.pointee.size)
}

@_cdecl("wasmtime_guestprofiler_new")
public func wasmtime_guestprofiler_new(_ engine: OpaquePointer?, _ moduleName: UnsafeRawPointer?, _ intervalNanos: UInt64,
                                       _ modules: UnsafeRawPointer?, _ modulesLength: Int) -> OpaquePointer? {
    guard let engine, let moduleName, let name = nameBytes(moduleName.assumingMemoryBound(to: RawVector.self)), modules != nil || modulesLength == 0 else { return nil }
    let entries = modules?.assumingMemoryBound(to: GuestProfilerModuleEntry.self)
    do throws(SwasmError) {
        let profiler = try GuestProfiler.create(engine: EngineHandle.from(engine), name: name, intervalNanoseconds: intervalNanos,
                                                moduleCount: modulesLength)
        for index in 0..<modulesLength {
            let entry = entries!.advanced(by: index).pointee
            guard let module = entry.module, let entryName = entry.name, let bytes = nameBytes(entryName) else {
                Heap.destroy(profiler)
                return nil
            }
            do {
                try profiler.pointee.addModule(ModuleHandle.from(module), name: bytes)
            } catch {
                Heap.destroy(profiler)
                return nil
            }
        }
        return OpaquePointer(profiler)
    } catch {
        return nil
    }
}

@_cdecl("wasmtime_guestprofiler_delete")
public func wasmtime_guestprofiler_delete(_ profiler: OpaquePointer?) {
    profiler.map { Heap.destroy(profilerPointer($0)) }
}

@_cdecl("wasmtime_guestprofiler_sample")
public func wasmtime_guestprofiler_sample(_ profiler: OpaquePointer?, _ store: OpaquePointer?, _ deltaNanos: UInt64) {
    guard let profiler, let store else { return }
    profilerPointer(profiler).pointee.sample(storePointer(store), cpuDelta: deltaNanos)
}

@_cdecl("wasmtime_guestprofiler_finish")
public func wasmtime_guestprofiler_finish(_ profiler: OpaquePointer?, _ out: UnsafeMutableRawPointer?) -> OpaquePointer? {
    guard let profiler else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_guestprofiler_finish: profiler is NULL"))
    }
    let cell = profilerPointer(profiler)
    defer { Heap.destroy(cell) } // consumed whatever the outcome
    guard let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_guestprofiler_finish: out is NULL"))
    }
    do throws(SwasmError) {
        var json = try cell.pointee.finish()
        let (data, count) = json.takeBytes()
        CVector.raw(out).pointee = RawVector(size: count, data: data.map { UnsafeMutableRawPointer($0) })
        return nil
    } catch {
        CVector.setEmpty(out)
        return OpaquePointer(ErrorReport.make(error, "failed to write the guest profile"))
    }
}
