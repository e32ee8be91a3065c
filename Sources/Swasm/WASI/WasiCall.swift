import CSwasm

/// A WASI function call in progress, as its native trampoline sees it: the arguments (one slot
/// each: every preview-1 parameter is an i32 or i64), the calling instance's memory 0 (guest
/// pointers are checked against it), and the store's WASI state. Results are an errno in slot 0.
struct WasiCall {
    let call: UnsafeMutablePointer<HostCall>
    let wasi: UnsafeMutablePointer<WasiContext>
    let memory: UnsafeMutablePointer<UInt8>?
    let memorySize: UInt64

    /// Not an errno: the call ends with the out-of-memory error.
    static let outOfMemory: UInt16 = 0xffff

    /// Runs `body` for the call `raw` and returns its errno to the guest. Without WASI state in
    /// the store (no `wasmtime_context_set_wasi`), the call fails as in wasmtime.
    @inline(__always)
    static func run(_ raw: UnsafeMutableRawPointer, _ body: (inout WasiCall) -> UInt16) {
        let call = HostCall.from(raw)
        guard let wasi = call.pointee.store.pointee.wasi else {
            return call.pointee.fail(Failure.make(.host, "the store has no WASI state: call wasmtime_context_set_wasi before running WASI programs"))
        }
        var memory: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt64 = 0
        if let context = call.pointee.context, let base = context.pointee.memory, let length = context.pointee.memory_size {
            memory = base.pointee
            size = length.pointee
        }
        var wasiCall = WasiCall(call: call, wasi: wasi, memory: memory, memorySize: size)
        let errno = body(&wasiCall)
        if errno == outOfMemory { return call.pointee.fail(.outOfMemory) }
        call.pointee.slots[0] = UInt64(errno)
    }

    // MARK: arguments

    func u32(_ index: Int) -> UInt32 { UInt32(truncatingIfNeeded: call.pointee.slots[index]) }
    func u64(_ index: Int) -> UInt64 { call.pointee.slots[index] }

    // MARK: guest memory

    /// `count` bytes of guest memory at `offset`. When any of them is outside memory (or the
    /// caller has no memory), the call ends with wasmtime's error for it and this is nil (the
    /// function then returns at once; its errno is not seen).
    func bytes(_ offset: UInt32, _ count: UInt64) -> UnsafeMutablePointer<UInt8>? {
        guard let memory else {
            call.pointee.fail(Failure.make(.host, "missing required memory export"))
            return nil
        }
        guard UInt64(offset) &+ count <= memorySize else {
            call.pointee.fail(Failure.make(.host) { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("Pointer out of bounds: Region { start: ")
                try text.appendDecimal(UInt64(offset))
                try text.append(", len: ")
                try text.appendDecimal(count)
                try text.append(" }")
            })
            return nil
        }
        return memory.advanced(by: Int(offset))
    }

    func store<T: FixedWidthInteger>(_ value: T, at offset: UInt32) -> Bool {
        guard let target = bytes(offset, UInt64(MemoryLayout<T>.size)) else { return false }
        UnsafeMutableRawPointer(target).storeBytes(of: value.littleEndian, as: T.self)
        return true
    }

    func load<T: FixedWidthInteger>(_: T.Type, at offset: UInt32) -> T? {
        guard let source = bytes(offset, UInt64(MemoryLayout<T>.size)) else { return nil }
        return T(littleEndian: UnsafeRawPointer(source).loadUnaligned(as: T.self))
    }

    /// Stores `value` at `offset`: success, or EFAULT when it does not fit in memory.
    func result<T: FixedWidthInteger>(_ value: T, at offset: UInt32) -> UInt16 {
        store(value, at: offset) ? 0 : UInt16(CSWASM_WASI_EFAULT)
    }

    /// Runs `body` with the host form of the guest's `count` iovecs at `offset` (eight bytes
    /// each: buffer offset, length), every buffer checked against memory; EFAULT otherwise.
    func withVectors(_ offset: UInt32, _ count: UInt32, _ body: (UnsafeMutablePointer<cswasm_wasi_iovec>, Int) -> UInt16) -> UInt16 {
        // The platform uses at most 1024 buffers (a short transfer beyond), as the kernel does.
        let used = Int(min(count, 1024))
        guard bytes(offset, UInt64(count) &* 8) != nil else { return UInt16(CSWASM_WASI_EFAULT) }
        let outcome = ScratchBuffer.with(cswasm_wasi_iovec.self, count: used) { (vectors) -> UInt16 in
            for index in 0..<used {
                let entry = offset &+ UInt32(index) &* 8
                guard let base = load(UInt32.self, at: entry), let length = load(UInt32.self, at: entry &+ 4),
                      let buffer = bytes(base, UInt64(length)) else { return UInt16(CSWASM_WASI_EFAULT) }
                vectors[index] = cswasm_wasi_iovec(base: UnsafeMutableRawPointer(buffer), len: Int(length))
            }
            return body(vectors, used)
        }
        return outcome ?? Self.outOfMemory
    }

    // MARK: descriptors

    /// The open descriptor `fd`, or nil (EBADF).
    func descriptor(_ fd: UInt32) -> UnsafeMutablePointer<WasiDescriptor>? { wasi.pointee.descriptor(fd) }

    /// An opened file `fd` (a host descriptor that is neither a directory nor a standard
    /// stream), or EBADF: what `fd_advise`, `fd_sync` and the like accept, as in wasmtime.
    func file(_ fd: UInt32) -> (UnsafeMutablePointer<WasiDescriptor>?, UInt16) {
        guard let entry = descriptor(fd), entry.pointee.isFile else { return (nil, UInt16(CSWASM_WASI_EBADF)) }
        return (entry, 0)
    }

    /// The directory paths are resolved beneath for `fd`, or EBADF when `fd` is not an open
    /// directory (as in wasmtime, also for files).
    func directory(_ fd: UInt32) -> (cswasm_wasi_dir, UInt16) {
        guard let entry = descriptor(fd), entry.pointee.isDirectory else { return (cswasm_wasi_dir(fd: -1, flags: 0), UInt16(CSWASM_WASI_EBADF)) }
        return (entry.pointee.directory, 0)
    }

    // MARK: flags and enumerations

    /// Whether argument value `value` of flags type `type` has only the bits in `valid`;
    /// otherwise the call of `function` ends with the error wasmtime gives ("In func
    /// wasi_snapshot_preview1::path_open at convert Oflags: Invalid flag value Oflags") and
    /// this is false.
    func flags(_ value: UInt64, within valid: UInt64, _ type: StaticString, in function: StaticString) -> Bool {
        if value & ~valid == 0 { return true }
        invalid(function, type, "Invalid flag value ")
        return false
    }

    /// Whether argument value `value` of enumeration `type` is below `count`; otherwise the call
    /// ends with wasmtime's error ("... at convert Whence: Invalid enum value Whence").
    func enumeration(_ value: UInt64, below count: UInt64, _ type: StaticString, in function: StaticString) -> Bool {
        if value < count { return true }
        invalid(function, type, "Invalid enum value ")
        return false
    }

    private func invalid(_ function: StaticString, _ type: StaticString, _ what: StaticString) {
        call.pointee.fail(Failure.make(.host) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("In func wasi_snapshot_preview1::")
            try text.append(function)
            try text.append(" at convert ")
            try text.append(type)
            try text.append(": ")
            try text.append(what)
            try text.append(type)
        })
    }

    /// A guest path: its bytes, checked against memory.
    func path(_ offset: UInt32, _ length: UInt32) -> UnsafeMutablePointer<UInt8>? { bytes(offset, UInt64(length)) }
}
