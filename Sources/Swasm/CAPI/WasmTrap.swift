// wasm.h and wasmtime/trap.h: traps.
import CSwasm

@inline(__always)
func trapHandle(_ pointer: OpaquePointer) -> TrapReport.Handle { TrapReport.Handle(pointer) }

@_cdecl("wasm_trap_new")
public func wasm_trap_new(_ store: OpaquePointer?, _ message: UnsafeRawPointer?) -> OpaquePointer? {
    guard let message else { return OpaquePointer(TrapReport.make(message: nil, count: 0)) }
    let bytes = message.assumingMemoryBound(to: RawVector.self).pointee
    // wasm.h messages include their terminating NUL; keep the text without it.
    var count = bytes.data == nil ? 0 : bytes.size
    if count > 0, bytes.data!.load(fromByteOffset: count &- 1, as: UInt8.self) == 0 { count &-= 1 }
    return OpaquePointer(TrapReport.make(message: bytes.data, count: count))
}

@_cdecl("wasmtime_trap_new")
public func wasmtime_trap_new(_ message: UnsafePointer<CChar>?, _ length: Int) -> OpaquePointer? {
    // The message becomes text as in wasmtime: ill-formed UTF-8 reads as U+FFFD.
    var text = ByteBuffer()
    do throws(SwasmError) {
        try text.appendLossyUTF8(UnsafeRawPointer(message), count: message == nil ? 0 : max(length, 0))
    } catch {
        return OpaquePointer(TrapReport.outOfMemory)
    }
    return OpaquePointer(TrapReport.make(message: text.bytes.map { UnsafeRawPointer($0) }, count: text.count))
}

@_cdecl("wasmtime_trap_new_code")
public func wasmtime_trap_new_code(_ code: UInt8) -> OpaquePointer? {
    guard let trapCode = TrapCode(rawValue: code) else { return OpaquePointer(TrapReport.make(message: nil, count: 0)) }
    return OpaquePointer(TrapReport.make(trapCode))
}

@_cdecl("wasm_trap_delete")
public func wasm_trap_delete(_ trap: OpaquePointer?) {
    trap.map { TrapReport.destroy(trapHandle($0)) }
}

@_cdecl("wasm_trap_copy")
public func wasm_trap_copy(_ trap: OpaquePointer?) -> OpaquePointer? {
    trap.map { OpaquePointer(TrapReport.copy(trapHandle($0))) }
}

/// The message, with a terminating NUL as wasm.h specifies; empty on allocation failure.
@_cdecl("wasm_trap_message")
public func wasm_trap_message(_ trap: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let trap, let out else { CVector.setEmpty(out); return }
    var text = ByteBuffer()
    do throws(SwasmError) {
        try TrapReport.render(trapHandle(trap), into: &text)
    } catch {
        CVector.setEmpty(out)
        return
    }
    let count = text.count
    guard CVector.makeZeroed(out, count: count &+ 1, elementSize: 1) else { return }
    if count > 0, let bytes = text.bytes { CVector.raw(out).pointee.data!.copyMemory(from: bytes, byteCount: count) }
}

@_cdecl("wasmtime_trap_code")
public func wasmtime_trap_code(_ trap: OpaquePointer?, _ code: UnsafeMutablePointer<UInt8>?) -> Bool {
    guard let trap, !TrapReport.isOutOfMemory(trapHandle(trap)), let value = trapHandle(trap).pointee.code else { return false }
    code?.pointee = value.rawValue
    return true
}

/// The innermost frame (a copy the caller owns), or NULL when the trap has no frames.
@_cdecl("wasm_trap_origin")
public func wasm_trap_origin(_ trap: OpaquePointer?) -> OpaquePointer? {
    guard let trap, !TrapReport.isOutOfMemory(trapHandle(trap)), trapHandle(trap).pointee.failure.frames.count > 0 else { return nil }
    return FrameObject.copy(OpaquePointer(trapHandle(trap).pointee.failure.frames[0]))
}

/// The backtrace, innermost frame first; empty on allocation failure.
@_cdecl("wasm_trap_trace")
public func wasm_trap_trace(_ trap: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let out else { return }
    guard let trap, !TrapReport.isOutOfMemory(trapHandle(trap)) else { CVector.setEmpty(out); return }
    var source = RawVector()
    source.size = trapHandle(trap).pointee.failure.frames.count
    source.data = trapHandle(trap).pointee.failure.frames.base.map { UnsafeMutableRawPointer($0) }
    CVector.copyPointers(out, from: &source, copyElement: FrameObject.copy, deleteElement: FrameObject.delete)
}

@_cdecl("swasm_trap_is_oom")
public func swasm_trap_is_oom(_ trap: OpaquePointer?) -> Bool {
    guard let trap else { return false }
    return TrapReport.isOutOfMemory(trapHandle(trap))
}
