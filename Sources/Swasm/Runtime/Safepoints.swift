import CSwasm

/// Where running WebAssembly code left the interpreter for Swift code that may collect: a GC
/// instruction allocating, the epoch deadline callback, or a host function (which may allocate,
/// call `wasmtime_context_gc`, or call back into WebAssembly). Safepoints live on the native
/// stack of the code that made them and form a list, innermost first (`Store.safepoints`); a
/// collection walks the WebAssembly frames from each one to the entry of its stretch of calls,
/// marking the slots the stack maps name (Compiler/StackMaps.swift).
struct Safepoint {
    /// The innermost WebAssembly frame of this stretch of calls and the safepoint instruction
    /// it is stopped at; nil when no WebAssembly code runs in it (a host function the host
    /// called).
    var fp: UnsafeMutablePointer<UInt64>?
    var ip: UnsafePointer<UInt64>?
    /// How many call records are live: the innermost frame is that of record `depth - 1`.
    var depth: Int
    /// A host function running, and its arguments.
    var hostFunction: UnsafeMutablePointer<HostFunction>? = nil
    var hostFrame: UnsafeMutablePointer<UInt64>? = nil
    var previous: UnsafeMutablePointer<Safepoint>?
}

extension Store {
    /// Runs `body` with `point` as the innermost safepoint.
    @inline(__always)
    static func atSafepoint<Result>(_ store: UnsafeMutablePointer<Store>, _ point: Safepoint,
                                    _ body: () -> Result) -> Result {
        var point = point
        point.previous = store.pointee.safepoints
        return withUnsafeMutablePointer(to: &point) { pointer in
            store.pointee.safepoints = pointer
            let result = body()
            store.pointee.safepoints = pointer.pointee.previous
            return result
        }
    }

    /// The safepoint of a host function called with its arguments at `frame`, returning to
    /// `returnIP` (after its caller's call instruction, or the halt word when the host called it);
    /// `tail`: it replaces its caller, whose frame is gone.
    static func hostSafepoint(_ function: UnsafeMutablePointer<HostFunction>, frame: UnsafeMutablePointer<UInt64>,
                              returnIP: UnsafePointer<UInt64>, tail: Bool, _ ex: UnsafeMutablePointer<swasm_exec>) -> Safepoint {
        var point = Safepoint(fp: nil, ip: nil, depth: Int(ex.pointee.call_depth), hostFunction: function, hostFrame: frame, previous: nil)
        let halt = withUnsafeMutablePointer(to: &ex.pointee.halt_word) { UnsafePointer($0) }
        if tail {
            // The caller's record stays until the function returns; the caller's caller is the
            // innermost live frame.
            guard point.depth > 0 else { return point }
            let record = ExecutionStack.record(ex, point.depth &- 1)
            guard let next = record.pointee.return_ip, next != halt else { return point }
            point.fp = record.pointee.fp
            point.ip = next.advanced(by: -3) // the call instruction
            point.depth &-= 1
        } else if returnIP != halt {
            point.fp = ex.pointee.fp
            point.ip = returnIP.advanced(by: -3) // the call instruction
        }
        return point
    }

    /// Marks what the frames of the calls in progress hold: each host function's reference
    /// arguments, and each WebAssembly frame's slots that its stack map names at the
    /// instruction it is stopped at.
    mutating func markFrames() {
        guard let execution else { return }
        let ex = withUnsafeMutablePointer(to: &execution.pointee.context) { $0 }
        let halt = withUnsafeMutablePointer(to: &ex.pointee.halt_word) { UnsafePointer($0) }
        var point = safepoints
        while let current = point {
            if let host = current.pointee.hostFunction, let frame = current.pointee.hostFrame {
                var slot = 0
                for index in 0..<host.pointee.parameters.count {
                    let type = host.pointee.parameters[index]
                    if type.isCollected { markWord(frame[slot]) }
                    slot &+= type.slotCount
                }
            }
            if var fp = current.pointee.fp, var ip = current.pointee.ip {
                var depth = min(current.pointee.depth, Int(ex.pointee.call_depth))
                while depth > 0 {
                    let record = ExecutionStack.record(ex, depth &- 1)
                    guard let function = record.pointee.function else { break }
                    markFrame(function, fp: fp, ip: ip)
                    // The entry of this stretch of calls returns to the halt word.
                    guard let next = record.pointee.return_ip, next != halt, let callerFP = record.pointee.fp else { break }
                    ip = next.advanced(by: -3) // the call instruction
                    fp = callerFP
                    depth &-= 1
                }
            }
            point = current.pointee.previous
        }
    }

    /// Marks the slots of `function`'s frame at `fp` that its stack map at `ip` names.
    private mutating func markFrame(_ function: UnsafeMutablePointer<swasm_function>, fp: UnsafeMutablePointer<UInt64>, ip: UnsafePointer<UInt64>) {
        guard function.pointee.host == nil, let code = function.pointee.code, let raw = function.pointee.instance else { return }
        let module = raw.assumingMemoryBound(to: Instance.self).pointee.module.pointer
        let defined = Int(function.pointee.function_index) &- module.pointee.description.importedFunctionCount
        guard defined >= 0, defined < module.pointee.functions.count else { return }
        let compiled = module.pointee.functions.base!.advanced(by: defined)
        guard let index = compiled.pointee.stackMaps.index(at: code.distance(to: ip)) else { return }
        let frameSlots = Int(function.pointee.frame_slots)
        for entry in compiled.pointee.stackMaps.range(index) {
            let slot = Int(compiled.pointee.stackMaps.slots[entry])
            if slot < frameSlots { markWord(fp[slot]) }
        }
    }
}
