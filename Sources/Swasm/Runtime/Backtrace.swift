import CSwasm

/// One WebAssembly frame of a trap's backtrace.
public struct TrapFrame: BitwiseCopyable {
    public var functionIndex: UInt32
    public var moduleOffset: Int
    public var functionOffset: Int
    /// The instance whose module names the function (for the name section).
    public var instance: UnsafeMutableRawPointer?
}

extension Store {
    /// Frames a backtrace keeps (wasmtime's default), so a trap deep in recursion costs little.
    static let backtraceFrameLimit = 20

    /// Records the WebAssembly frames of an execution that just trapped, innermost first: the
    /// trapping instruction, then each caller at its call instruction. False when memory ran out
    /// (the backtrace is then incomplete, and the trap is reported as out of memory).
    mutating func captureBacktrace(_ ex: UnsafeMutablePointer<swasm_exec>) -> Bool {
        lastTrapFrames.removeAll()
        let depth = Int(ex.pointee.call_depth)
        guard depth > 0 else { return true }
        do throws(SwasmError) {
            var index = depth &- 1
            // The innermost frames only, as many as wasmtime records by default.
            while index >= 0 && lastTrapFrames.count < Self.backtraceFrameLimit {
                let record = ExecutionStack.record(ex, index)
                let ip: UnsafePointer<UInt64>? = index == depth &- 1
                    ? ex.pointee.trap_ip
                    : ExecutionStack.record(ex, index &+ 1).pointee.return_ip.map { $0.advanced(by: -3) } // the call instruction
                if let function = record.pointee.function, let code = function.pointee.code, function.pointee.host == nil,
                   let ip, let frame = Self.frame(function, code: code, ip: ip) {
                    try lastTrapFrames.append(frame)
                }
                index &-= 1
            }
            return true
        } catch {
            lastTrapFrames.removeAll()
            return false
        }
    }

    /// A trap failure for `code` carrying the last backtrace (and, for an access out of bounds,
    /// wasmtime's "memory fault at wasm address ..." context); out of memory when any part cannot
    /// be made or the backtrace could not be recorded.
    public mutating func failure(trapped code: TrapCode) -> Failure {
        guard lastTrapFramesComplete else { return .outOfMemory }
        var failure = Failure.trap(code)
        if failure.isOutOfMemory { return failure }
        guard attachLastBacktrace(to: &failure) else { return .outOfMemory }
        if code == .memoryOutOfBounds, let fault = lastTrapFault {
            do throws(SwasmError) {
                var context = try ByteBuffer("memory fault at wasm address ")
                try context.appendHexNumber(fault.address)
                try context.append(" in linear memory of size ")
                try context.appendHexNumber(fault.memorySize)
                swap(&failure.cause, &failure.message)
                swap(&failure.message, &context)
            } catch {
                return .outOfMemory
            }
        }
        return failure
    }

    /// Gives `failure` the last backtrace's frames; false when memory ran out.
    mutating func attachLastBacktrace(to failure: inout Failure) -> Bool {
        do throws(SwasmError) {
            try failure.frames.reserve(lastTrapFrames.count)
            for index in 0..<lastTrapFrames.count {
                try failure.frames.append(try BacktraceFrame.make(lastTrapFrames[index])) // reserved: cannot fail
            }
            return true
        } catch {
            return false
        }
    }

    /// The frame of `function` stopped at `ip`.
    static func frame(_ function: UnsafeMutablePointer<swasm_function>, code: UnsafePointer<UInt64>, ip: UnsafePointer<UInt64>) -> TrapFrame? {
        guard let raw = function.pointee.instance else { return nil }
        let instance = raw.assumingMemoryBound(to: Instance.self)
        let module = instance.pointee.module.pointer
        let defined = Int(function.pointee.function_index) &- module.pointee.description.importedFunctionCount
        guard defined >= 0, defined < module.pointee.functions.count else { return nil }
        let compiled = module.pointee.functions.base!.advanced(by: defined)
        let position = UInt64(truncatingIfNeeded: code.distance(to: ip))
        // The last instruction starting at or before `position`.
        var low = 0
        var high = compiled.pointee.offsets.count
        while low < high {
            let middle = (low &+ high) / 2
            if compiled.pointee.offsets[middle] >> 32 <= position { low = middle &+ 1 } else { high = middle }
        }
        // Function offsets count from the byte after the body's size, as wasmtime's do.
        let codeStart = compiled.pointee.bodyStart &+ sizeFieldLength(module.pointee.description, at: compiled.pointee.bodyStart)
        // A trap in the entry checks (fuel or epoch, before the first instruction) is at the
        // function's start, as wasmtime reports it.
        // (Running code holds handler addresses in place of opcodes.)
        let handler = ip.pointee
        let atEntry = handler == handlerAddress(Opcode.fuelCheckEntry.rawValue)
            || (handler == handlerAddress(Opcode.epochCheck.rawValue) && position == 0)
        let moduleOffset = low > 0 && !atEntry ? Int(truncatingIfNeeded: compiled.pointee.offsets[low &- 1] & 0xffff_ffff) : codeStart
        return TrapFrame(functionIndex: function.pointee.function_index, moduleOffset: moduleOffset,
                         functionOffset: max(moduleOffset &- codeStart, 0), instance: raw)
    }

    /// The length of the LEB128 number at `offset` of the module's bytes (at most 5).
    private static func sizeFieldLength(_ description: borrowing ModuleDescription, at offset: Int) -> Int {
        let available = description.bytes.count &- offset
        guard offset >= 0, available > 0 else { return 0 }
        let bytes = description.slice(ByteRange(start: offset, count: min(available, 5)))
        var length = 0
        while length < bytes.count {
            length &+= 1
            if bytes[length &- 1] & 0x80 == 0 { break }
        }
        return length
    }
}

/// One frame of a failure's backtrace as the host sees it: the function, where it stopped, and
/// the names the module's name section gives (copied, so the frame outlives its module). The
/// names have the layout of a `wasm_name_t`, which `wasmtime_frame_func_name` returns.
public struct BacktraceFrame: ~Copyable {
    public var functionIndex: UInt32
    public var functionOffset: Int
    public var moduleOffset: Int
    public var functionName: RawVector
    public var moduleName: RawVector

    deinit {
        Heap.freeRaw(functionName.data)
        Heap.freeRaw(moduleName.data)
    }

    /// A frame in its own heap cell for a backtrace entry, with its names.
    public static func make(_ frame: TrapFrame) throws(SwasmError) -> UnsafeMutablePointer<BacktraceFrame> {
        var functionName = RawVector()
        var moduleName = RawVector()
        if let raw = frame.instance {
            let module = raw.assumingMemoryBound(to: Instance.self).pointee.module.pointer
            let description = withUnsafeMutablePointer(to: &module.pointee.description) { UnsafePointer($0) }
            if let range = description.pointee.functionName(frame.functionIndex) {
                let bytes = description.pointee.slice(range)
                functionName = try copyName(UnsafeRawPointer(bytes.baseAddress), count: bytes.count)
            }
            if let range = description.pointee.moduleName {
                let bytes = description.pointee.slice(range)
                do {
                    moduleName = try copyName(UnsafeRawPointer(bytes.baseAddress), count: bytes.count)
                } catch {
                    Heap.freeRaw(functionName.data)
                    throw error
                }
            }
        }
        return try Heap.create(BacktraceFrame(functionIndex: frame.functionIndex, functionOffset: frame.functionOffset,
                                              moduleOffset: frame.moduleOffset, functionName: functionName, moduleName: moduleName))
    }

    /// A copy of `source` in its own heap cell.
    public static func copy(_ source: UnsafeMutablePointer<BacktraceFrame>) throws(SwasmError) -> UnsafeMutablePointer<BacktraceFrame> {
        let functionName = try copyName(source.pointee.functionName.data.map { UnsafeRawPointer($0) }, count: source.pointee.functionName.size)
        let moduleName: RawVector
        do {
            moduleName = try copyName(source.pointee.moduleName.data.map { UnsafeRawPointer($0) }, count: source.pointee.moduleName.size)
        } catch {
            Heap.freeRaw(functionName.data)
            throw error
        }
        return try Heap.create(BacktraceFrame(functionIndex: source.pointee.functionIndex, functionOffset: source.pointee.functionOffset,
                                              moduleOffset: source.pointee.moduleOffset, functionName: functionName, moduleName: moduleName))
    }

    private static func copyName(_ bytes: UnsafeRawPointer?, count: Int) throws(SwasmError) -> RawVector {
        guard count > 0, let bytes else { return RawVector() }
        let storage = try Heap.allocate(UInt8.self, count: count)
        UnsafeMutableRawPointer(storage).copyMemory(from: bytes, byteCount: count)
        return RawVector(size: count, data: UnsafeMutableRawPointer(storage))
    }
}
