// wasi.h and the WASI parts of wasmtime/linker.h and wasmtime/store.h: conversion to the
// runtime's WasiConfig, WasiContext and Linker.defineWasi (Sources/Swasm/WASI/).
import CSwasm

@inline(__always)
func wasiConfig(_ pointer: OpaquePointer) -> UnsafeMutablePointer<WasiConfig> { UnsafeMutablePointer(pointer) }

@_cdecl("wasi_config_new")
public func wasi_config_new() -> OpaquePointer? {
    (try? Heap.create(WasiConfig())).map { OpaquePointer($0) }
}

@_cdecl("wasi_config_delete")
public func wasi_config_delete(_ config: OpaquePointer?) {
    config.map { Heap.destroy(wasiConfig($0)) }
}

/// Sockets are used only when the embedder hands them over; there is nothing to switch on.
@_cdecl("wasi_config_inherit_network")
public func wasi_config_inherit_network(_ config: OpaquePointer?) {}

@_cdecl("wasi_config_allow_ip_name_lookup")
public func wasi_config_allow_ip_name_lookup(_ config: OpaquePointer?, _ enable: Bool) {}

@_cdecl("wasi_config_set_argv")
public func wasi_config_set_argv(_ config: OpaquePointer?, _ count: Int, _ argv: UnsafePointer<UnsafePointer<CChar>?>?) -> Bool {
    guard let config, let arguments = try? WasiConfig.strings(count, argv) else { return false }
    wasiConfig(config).pointee.arguments = arguments
    return true
}

@_cdecl("wasi_config_inherit_argv")
public func wasi_config_inherit_argv(_ config: OpaquePointer?) {
    guard let config, let arguments = try? WasiConfig.hostArguments() else { return }
    wasiConfig(config).pointee.arguments = arguments
}

@_cdecl("wasi_config_set_env")
public func wasi_config_set_env(_ config: OpaquePointer?, _ count: Int, _ names: UnsafePointer<UnsafePointer<CChar>?>?,
                                _ values: UnsafePointer<UnsafePointer<CChar>?>?) -> Bool {
    guard let config, count == 0 || values != nil, let environment = try? WasiConfig.strings(count, names, joinedWith: values) else { return false }
    wasiConfig(config).pointee.environment = environment
    return true
}

@_cdecl("wasi_config_inherit_env")
public func wasi_config_inherit_env(_ config: OpaquePointer?) {
    guard let config, let environment = try? WasiConfig.hostEnvironment() else { return }
    wasiConfig(config).pointee.environment = environment
}

/// A stream reading or writing host file `path`; nil if it cannot be opened.
private func fileStream(_ path: UnsafePointer<CChar>?, writing: Bool) -> WasiStream? {
    guard let path else { return nil }
    var fd: Int32 = -1
    let errno = writing ? cswasm_wasi_host_open_write(path, &fd) : cswasm_wasi_host_open_read(path, &fd)
    guard errno == 0 else { return nil }
    var stream = WasiStream()
    stream.kind = .file
    stream.hostFD = fd
    return stream
}

private func inherited() -> WasiStream {
    var stream = WasiStream()
    stream.kind = .inherit
    return stream
}

private func custom(_ callback: WasiStream.Callback?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) -> WasiStream {
    var stream = WasiStream()
    stream.kind = .custom
    stream.callback = callback
    stream.data = data
    stream.finalizer = finalizer
    return stream
}

@_cdecl("wasi_config_set_stdin_file")
public func wasi_config_set_stdin_file(_ config: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Bool {
    guard let config, let stream = fileStream(path, writing: false) else { return false }
    wasiConfig(config).pointee.stdin = stream
    return true
}

@_cdecl("wasi_config_set_stdin_bytes")
public func wasi_config_set_stdin_bytes(_ config: OpaquePointer?, _ binary: UnsafeMutableRawPointer?) {
    guard let config else { CVector.delete(binary); return }
    var stream = WasiStream()
    stream.kind = .bytes
    if let binary {
        // The vector's storage is taken over as it is (it came from Heap, like the buffer's).
        let vector = CVector.raw(binary).pointee
        stream.bytes = ByteBuffer(adopting: vector.data?.assumingMemoryBound(to: UInt8.self), count: vector.data == nil ? 0 : vector.size)
        CVector.raw(binary).pointee = RawVector()
    }
    wasiConfig(config).pointee.stdin = stream
}

@_cdecl("wasi_config_inherit_stdin")
public func wasi_config_inherit_stdin(_ config: OpaquePointer?) {
    config.map { wasiConfig($0).pointee.stdin = inherited() }
}

@_cdecl("wasi_config_set_stdout_file")
public func wasi_config_set_stdout_file(_ config: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Bool {
    guard let config, let stream = fileStream(path, writing: true) else { return false }
    wasiConfig(config).pointee.stdout = stream
    return true
}

@_cdecl("wasi_config_inherit_stdout")
public func wasi_config_inherit_stdout(_ config: OpaquePointer?) {
    config.map { wasiConfig($0).pointee.stdout = inherited() }
}

@_cdecl("wasi_config_set_stdout_custom")
public func wasi_config_set_stdout_custom(_ config: OpaquePointer?, _ callback: WasiStream.Callback?, _ data: UnsafeMutableRawPointer?,
                                          _ finalizer: HostFinalizer?) {
    guard let config else { finalizer?(data); return }
    wasiConfig(config).pointee.stdout = custom(callback, data, finalizer)
}

@_cdecl("wasi_config_set_stderr_file")
public func wasi_config_set_stderr_file(_ config: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Bool {
    guard let config, let stream = fileStream(path, writing: true) else { return false }
    wasiConfig(config).pointee.stderr = stream
    return true
}

@_cdecl("wasi_config_inherit_stderr")
public func wasi_config_inherit_stderr(_ config: OpaquePointer?) {
    config.map { wasiConfig($0).pointee.stderr = inherited() }
}

@_cdecl("wasi_config_set_stderr_custom")
public func wasi_config_set_stderr_custom(_ config: OpaquePointer?, _ callback: WasiStream.Callback?, _ data: UnsafeMutableRawPointer?,
                                          _ finalizer: HostFinalizer?) {
    guard let config else { finalizer?(data); return }
    wasiConfig(config).pointee.stderr = custom(callback, data, finalizer)
}

@_cdecl("wasi_config_preopen_dir")
public func wasi_config_preopen_dir(_ config: OpaquePointer?, _ hostPath: UnsafePointer<CChar>?, _ guestPath: UnsafePointer<CChar>?,
                                    _ mutable: Bool) -> Bool {
    guard let config, let hostPath, let guestPath else { return false }
    let guestLength = cswasm_strlen(guestPath)
    guard UTF8Validation.isValid(UnsafeRawPointer(guestPath).assumingMemoryBound(to: UInt8.self), count: guestLength),
          UTF8Validation.isValid(UnsafeRawPointer(hostPath).assumingMemoryBound(to: UInt8.self), count: cswasm_strlen(hostPath)) else { return false }
    var fd: Int32 = -1
    guard cswasm_wasi_host_open_directory(hostPath, &fd) == 0 else { return false }
    var name = ByteBuffer()
    do throws(SwasmError) {
        try name.append(UnsafeRawPointer(guestPath), count: guestLength)
        try wasiConfig(config).pointee.preopens.append(WasiPreopen(hostFD: fd, guestName: name, mutable: mutable))
        return true
    } catch {
        _ = cswasm_wasi_fd_close(fd)
        return false
    }
}

@_cdecl("wasmtime_linker_define_wasi")
public func wasmtime_linker_define_wasi(_ linker: OpaquePointer?) -> OpaquePointer? {
    guard let linker else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_define_wasi: the linker must not be NULL")) }
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        try linkerPointer(linker).pointee.defineWasi(diagnostic: &diagnostic)
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "failed to define WASI"))
    }
}

/// Takes ownership of `wasi` whatever happens (it is deleted if the state cannot be made).
@_cdecl("wasmtime_context_set_wasi")
public func wasmtime_context_set_wasi(_ context: OpaquePointer?, _ wasi: OpaquePointer?) -> OpaquePointer? {
    guard let wasi else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_context_set_wasi: the configuration must not be NULL")) }
    let config = wasiConfig(wasi)
    defer { Heap.destroy(config) }
    guard let context else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_context_set_wasi: the store must not be NULL")) }
    do throws(SwasmError) {
        let state = try WasiContext.create(from: &config.pointee)
        let store = storePointer(context)
        if let previous = store.pointee.wasi { Heap.destroy(previous) }
        store.pointee.wasi = state
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to set up WASI"))
    }
}
