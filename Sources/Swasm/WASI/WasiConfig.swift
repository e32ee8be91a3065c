import CSwasm

/// Where a WASI program's stdin comes from, or its stdout or stderr goes (`wasi_config_*`).
public struct WasiStream: ~Copyable {
    public enum Kind: UInt8, BitwiseCopyable {
        /// stdin reads end-of-file; output is discarded (a new configuration's default).
        case none
        /// The host process's own descriptor (0, 1 or 2), shared, never closed.
        case inherit
        /// A host file opened by the configuration (owned, closed with it).
        case file
        /// stdin: these bytes, then end-of-file.
        case bytes
        /// stdout/stderr: a host callback.
        case custom
    }

    public typealias Callback = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int) -> Int

    public var kind = Kind.none
    public var hostFD: Int32 = -1
    public var bytes = ByteBuffer()
    public var position = 0
    public var callback: Callback?
    public var data: UnsafeMutableRawPointer?
    public var finalizer: HostFinalizer?

    public init() {}

    deinit {
        if kind == .file && hostFD >= 0 { _ = cswasm_wasi_fd_close(hostFD) }
        if kind == .custom { finalizer?(data) }
    }
}

/// A directory the program sees (`wasi_config_preopen_dir`): an open host directory and the
/// name the guest knows it by.
public struct WasiPreopen: ~Copyable {
    public var hostFD: Int32
    public var guestName: ByteBuffer
    public var mutable: Bool

    deinit { if hostFD >= 0 { _ = cswasm_wasi_fd_close(hostFD) } }
}

/// What a WASI program gets (`wasi_config_t`): arguments, environment, standard streams and
/// preopened directories. Descriptors and callbacks it holds are released with it.
public struct WasiConfig: ~Copyable {
    /// The arguments and the "NAME=VALUE" environment entries, each without a terminator.
    public var arguments = FallibleVector<ByteBuffer>()
    public var environment = FallibleVector<ByteBuffer>()
    var stdin = WasiStream()
    var stdout = WasiStream()
    var stderr = WasiStream()
    public var preopens = FallibleVector<WasiPreopen>()

    public init() {}

    /// Copies of `count` NUL-terminated strings (all valid UTF-8, else `.malformed`); for the
    /// environment, `values` are joined to `names` with "=".
    public static func strings(_ count: Int, _ first: UnsafePointer<UnsafePointer<CChar>?>?,
                               joinedWith second: UnsafePointer<UnsafePointer<CChar>?>? = nil) throws(SwasmError) -> FallibleVector<ByteBuffer> {
        var list = FallibleVector<ByteBuffer>()
        guard count > 0 else { return list }
        guard let first else { throw .invalidArgument }
        try list.reserve(count)
        for index in 0..<count {
            var entry = ByteBuffer()
            guard let name = first[index] else { throw .invalidArgument }
            try append(name, to: &entry)
            if let second {
                guard let value = second[index] else { throw .invalidArgument }
                try entry.append("=")
                try append(value, to: &entry)
            }
            try list.append(entry)
        }
        return list
    }

    private static func append(_ text: UnsafePointer<CChar>, to entry: inout ByteBuffer) throws(SwasmError) {
        let count = cswasm_strlen(text)
        guard UTF8Validation.isValid(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: count) else { throw .malformed }
        try entry.append(UnsafeRawPointer(text), count: count)
    }

    /// The host process's environment.
    public static func hostEnvironment() throws(SwasmError) -> FallibleVector<ByteBuffer> {
        var list = FallibleVector<ByteBuffer>()
        guard let entries = cswasm_wasi_host_environment() else { return list }
        var index = 0
        while let entry = entries[index] {
            let count = cswasm_strlen(entry)
            // Entries that are not UTF-8 cannot be WASI strings: left out, as wasmtime does.
            if UTF8Validation.isValid(UnsafeRawPointer(entry).assumingMemoryBound(to: UInt8.self), count: count) {
                var copy = ByteBuffer()
                try copy.append(UnsafeRawPointer(entry), count: count)
                try list.append(copy)
            }
            index &+= 1
        }
        return list
    }

    /// The host process's arguments (/proc/self/cmdline).
    public static func hostArguments() throws(SwasmError) -> FallibleVector<ByteBuffer> {
        var list = FallibleVector<ByteBuffer>()
        var fd: Int32 = -1
        guard cswasm_wasi_host_open_read("/proc/self/cmdline", &fd) == 0 else { return list }
        defer { _ = cswasm_wasi_fd_close(fd) }
        var all = ByteBuffer()
        var chunk: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        while true {
            var read = 0
            let failure = withUnsafeMutableBytes(of: &chunk) { (raw) -> UInt16 in
                var vector = cswasm_wasi_iovec(base: raw.baseAddress, len: raw.count)
                return cswasm_wasi_fd_read(fd, &vector, 1, &read)
            }
            guard failure == 0, read > 0 else { break }
            try withUnsafeBytes(of: &chunk) { (raw) throws(SwasmError) in try all.append(raw.baseAddress, count: read) }
        }
        var start = 0
        for index in 0..<all.count where all[index] == 0 {
            var argument = ByteBuffer()
            try argument.append(all.bytes.map { UnsafeRawPointer($0.advanced(by: start)) }, count: index &- start)
            try list.append(argument)
            start = index &+ 1
        }
        return list
    }
}
