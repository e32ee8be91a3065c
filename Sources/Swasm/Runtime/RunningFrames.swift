import CSwasm

extension Store {
    /// The innermost safepoint of the calls `store` runs (Runtime/Safepoints.swift), when the
    /// calling thread is the one running them (the thread of the store's last entry): only that
    /// thread may walk their frames, which are on its stacks. nil when nothing runs, or when
    /// another thread runs the store; that thread is seen only through two word-sized loads
    /// (the innermost safepoint, the entry's thread), never through its frames. A guard against
    /// misuse, not synchronization: wasmtime's contract is to sample on the store's thread.
    static func safepointsOfCallingThread(_ store: UnsafeMutablePointer<Store>) -> UnsafeMutablePointer<Safepoint>? {
        let point = withUnsafeMutablePointer(to: &store.pointee.safepoints) { cswasm_atomic_load_u64(UnsafeRawPointer($0).assumingMemoryBound(to: UInt64.self)) }
        guard point != 0 else { return nil }
        let thread = withUnsafeMutablePointer(to: &store.pointee.stackBoundThread) { cswasm_atomic_load_u64(UnsafeRawPointer($0).assumingMemoryBound(to: UInt64.self)) }
        guard thread == UInt64(cswasm_thread_id()) else { return nil }
        return UnsafeMutablePointer(bitPattern: UInt(point))
    }

    /// Appends the WebAssembly frames of the calls in progress to `frames`, innermost first,
    /// from the safepoint `innermost` outwards: from a host function or the epoch deadline
    /// callback, every WebAssembly frame below it, through nested calls. Each frame is stopped
    /// at its call instruction, the innermost at the instruction that left the interpreter.
    /// Only on the thread running the store (`safepointsOfCallingThread`).
    mutating func appendRunningFrames(from innermost: UnsafeMutablePointer<Safepoint>, to frames: inout FallibleVector<TrapFrame>) throws(SwasmError) {
        guard let execution else { return }
        let ex = withUnsafeMutablePointer(to: &execution.pointee.context) { $0 }
        let halt = withUnsafeMutablePointer(to: &ex.pointee.halt_word) { UnsafePointer($0) }
        var point: UnsafeMutablePointer<Safepoint>? = innermost
        while let current = point {
            if current.pointee.fp != nil, var ip = current.pointee.ip {
                var depth = min(current.pointee.depth, Int(ex.pointee.call_depth))
                while depth > 0 {
                    let record = ExecutionStack.record(ex, depth &- 1)
                    guard let function = record.pointee.function else { break }
                    if function.pointee.host == nil, let code = function.pointee.code,
                       let frame = Self.frame(function, code: code, ip: ip) {
                        try frames.append(frame)
                    }
                    // The entry of this stretch of calls returns to the halt word.
                    guard let next = record.pointee.return_ip, next != halt else { break }
                    ip = next.advanced(by: -3) // the call instruction
                    depth &-= 1
                }
            }
            point = current.pointee.previous
        }
    }
}
