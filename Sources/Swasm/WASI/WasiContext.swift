import CSwasm

/// One entry of a WASI program's descriptor table.
public struct WasiDescriptor: BitwiseCopyable {
    public enum Kind: UInt8, BitwiseCopyable {
        case free
        /// A host descriptor (file, directory, pipe, terminal, socket), owned by the context.
        case host
        /// stdin from bytes the configuration gave (the context's `stdinBytes`), or empty.
        case inputBytes
        /// Output thrown away.
        case discard
        /// stdout or stderr sent to the host's callback (`stream` 1 or 2).
        case custom
    }

    public var kind: Kind
    public var hostFD: Int32 = -1
    public var filetype: UInt8
    /// For directories: `CSWASM_WASI_DIR_*` flags (mutable, and for tests walk-only).
    public var directoryFlags: UInt32 = 0
    /// Whether changes through this descriptor are allowed (it comes from a mutable preopen).
    public var mutable = true
    /// Index of the preopen's guest name, or -1.
    public var preopen: Int32 = -1
    /// Which standard stream the entry is (0 stdin, 1 stdout, 2 stderr), or -1. Standard streams
    /// are streams whatever the host gives them (a file, a pipe, a terminal, a callback), as in
    /// wasmtime: stdin only reads, stdout and stderr only write, none seeks.
    public var standardStream: Int8 = -1
    /// Whether the descriptor was opened for reading and for writing (`Access` bits).
    public var access: UInt8 = 0

    public enum Access {
        public static let read: UInt8 = 1
        public static let write: UInt8 = 2
    }

    public init(kind: Kind, filetype: UInt8) {
        self.kind = kind
        self.filetype = filetype
    }

    /// A standard stream (fd `stream`): a terminal is a character device, anything else has
    /// an unknown type, as wasmtime reports them.
    public static func standard(_ stream: Int8, kind: Kind, terminal: Bool) -> WasiDescriptor {
        var entry = WasiDescriptor(kind: kind, filetype: UInt8(terminal ? CSWASM_WASI_FILETYPE_CHARACTER_DEVICE : CSWASM_WASI_FILETYPE_UNKNOWN))
        entry.standardStream = stream
        entry.access = stream == 0 ? Access.read : Access.write
        return entry
    }

    public var readable: Bool { access & Access.read != 0 }
    public var writable: Bool { access & Access.write != 0 }
    public var isStandardStream: Bool { standardStream >= 0 }

    /// An opened file (host descriptor, not a directory, not a standard stream): what the
    /// functions for files accept (EBADF otherwise, as in wasmtime).
    public var isFile: Bool { kind == .host && !isStandardStream && filetype != UInt8(CSWASM_WASI_FILETYPE_DIRECTORY) }

    public var isDirectory: Bool { kind == .host && filetype == UInt8(CSWASM_WASI_FILETYPE_DIRECTORY) }

    /// Whether writes may raise SIGPIPE (the host descriptor is a pipe or a socket): the
    /// platform layer then guards against it. Set from the host's file type when the
    /// descriptor is made (a standard stream reports another type).
    public var guardsBrokenPipe = false

    /// Whether host descriptors of type `filetype` need `guardsBrokenPipe`.
    public static func mayBreak(_ filetype: UInt8) -> Bool {
        switch Int32(filetype) {
        case CSWASM_WASI_FILETYPE_REGULAR_FILE, CSWASM_WASI_FILETYPE_DIRECTORY, CSWASM_WASI_FILETYPE_BLOCK_DEVICE,
             CSWASM_WASI_FILETYPE_CHARACTER_DEVICE: return false
        default: return true
        }
    }

    public var directory: cswasm_wasi_dir { cswasm_wasi_dir(fd: hostFD, flags: directoryFlags) }
}

/// The rights of WASI preview 1 (`rights` in the witx specification) that descriptors
/// report. As in wasmtime 50, they describe and do not restrict: a file reports every right but
/// reading or writing when not opened for it, a directory a fixed set, a standard stream only
/// reading or writing; `fd_fdstat_set_rights` is not supported. What a function refuses follows
/// from the kind of descriptor and how it was opened (`WasiCall`'s descriptor helpers).
public enum WasiRights {
    public static let fdRead: UInt64 = 1 << 1
    public static let fdSeek: UInt64 = 1 << 2
    public static let fdWrite: UInt64 = 1 << 6
    public static let fdReaddir: UInt64 = 1 << 14
    public static let pathFilestatSetSize: UInt64 = 1 << 19
    public static let fdFilestatSetSize: UInt64 = 1 << 22
    /// Every right preview 1 defines; a value with other bits set is refused as invalid.
    public static let all: UInt64 = (1 << 30) - 1
    /// A directory: everything but seeking, writing and sizes.
    public static let directory: UInt64 = all & ~(fdSeek | fdWrite | pathFilestatSetSize | fdFilestatSetSize)
    /// A preopened directory, base and inheriting (wasmtime's values).
    public static let preopenBase: UInt64 = 0x07b7_fe00
    public static let preopenInheriting: UInt64 = 0x0ff7_ffff

    /// The rights `fd_fdstat_get` reports for `entry`, base and inheriting.
    public static func reported(for entry: WasiDescriptor) -> (base: UInt64, inheriting: UInt64) {
        if entry.isStandardStream {
            let rights = entry.standardStream == 0 ? fdRead : fdWrite
            return (rights, rights)
        }
        if entry.preopen >= 0 { return (preopenBase, preopenInheriting) }
        if entry.filetype == UInt8(CSWASM_WASI_FILETYPE_DIRECTORY) { return (directory, directory) }
        var rights = all
        if !entry.readable { rights &= ~(fdRead | fdReaddir) }
        if !entry.writable { rights &= ~fdWrite }
        return (rights, rights)
    }
}

/// A store's WASI state (`wasmtime_context_set_wasi`): the descriptor table, arguments,
/// environment, preopen names and the standard streams that are not host descriptors.
public struct WasiContext: ~Copyable {
    public var descriptors = FallibleVector<WasiDescriptor>()
    public var arguments = FallibleVector<ByteBuffer>()
    public var environment = FallibleVector<ByteBuffer>()
    public var preopenNames = FallibleVector<ByteBuffer>()
    public var stdinBytes = ByteBuffer()
    public var stdinPosition = 0
    var stdout = WasiStream()
    var stderr = WasiStream()

    deinit {
        for index in 0..<descriptors.count where descriptors[index].kind == .host && descriptors[index].hostFD >= 0 {
            _ = cswasm_wasi_fd_close(descriptors[index].hostFD)
        }
    }

    /// The state a configuration describes; takes over its descriptors and callbacks.
    public static func create(from config: inout WasiConfig) throws(SwasmError) -> UnsafeMutablePointer<WasiContext> {
        var context = WasiContext()
        try context.descriptors.reserve(3 &+ config.preopens.count)
        swap(&context.arguments, &config.arguments)
        swap(&context.environment, &config.environment)
        try context.descriptors.append(try Self.standard(&config.stdin, fd: 0, context: &context))
        try context.descriptors.append(try Self.standard(&config.stdout, fd: 1, context: &context))
        try context.descriptors.append(try Self.standard(&config.stderr, fd: 2, context: &context))
        for index in 0..<config.preopens.count {
            let preopen = config.preopens.base!.advanced(by: index)
            var name = ByteBuffer()
            swap(&name, &preopen.pointee.guestName)
            try context.preopenNames.append(name)
            var entry = WasiDescriptor(kind: .host, filetype: UInt8(CSWASM_WASI_FILETYPE_DIRECTORY))
            entry.hostFD = preopen.pointee.hostFD
            preopen.pointee.hostFD = -1
            entry.mutable = preopen.pointee.mutable
            entry.directoryFlags = preopen.pointee.mutable ? CSWASM_WASI_DIR_MUTABLE : 0
            entry.preopen = Int32(context.preopenNames.count &- 1)
            try context.descriptors.append(entry) // reserved: cannot fail
        }
        return try Heap.create(context)
    }

    /// The descriptor for standard stream `fd` as the configuration describes it.
    private static func standard(_ stream: inout WasiStream, fd: Int32, context: inout WasiContext) throws(SwasmError) -> WasiDescriptor {
        let number = Int8(fd)
        let nothing: WasiDescriptor.Kind = fd == 0 ? .inputBytes : .discard
        switch stream.kind {
        case .none:
            return .standard(number, kind: nothing, terminal: false)
        case .bytes:
            swap(&context.stdinBytes, &stream.bytes)
            return .standard(number, kind: .inputBytes, terminal: false)
        case .custom:
            if fd == 1 { swap(&context.stdout, &stream) } else { swap(&context.stderr, &stream) }
            return .standard(number, kind: .custom, terminal: false)
        case .inherit, .file:
            var hostFD: Int32 = -1
            if stream.kind == .inherit {
                // A duplicate, so that the program closing its stdio leaves the host's alone.
                guard cswasm_wasi_fd_duplicate(fd, &hostFD) == 0 else { return .standard(number, kind: nothing, terminal: false) }
            } else {
                hostFD = stream.hostFD
                stream.hostFD = -1
            }
            var entry = WasiDescriptor.standard(number, kind: .host, terminal: cswasm_wasi_fd_is_terminal(hostFD))
            entry.hostFD = hostFD
            var hostType: UInt8 = 0
            var flags: UInt16 = 0
            entry.guardsBrokenPipe = cswasm_wasi_fd_fdstat_get(hostFD, &hostType, &flags) != 0 || WasiDescriptor.mayBreak(hostType)
            return entry
        }
    }

    /// The host callback and its data for standard stream `stream` (1 stdout, 2 stderr).
    public func output(_ stream: Int8) -> (WasiStream.Callback?, UnsafeMutableRawPointer?) {
        stream == 1 ? (stdout.callback, stdout.data) : (stderr.callback, stderr.data)
    }

    /// The entry of guest descriptor `fd`, if it is open.
    public func descriptor(_ fd: UInt32) -> UnsafeMutablePointer<WasiDescriptor>? {
        guard Int(fd) < descriptors.count, descriptors[Int(fd)].kind != .free else { return nil }
        return descriptors.base!.advanced(by: Int(fd))
    }

    /// A descriptor for host descriptor `fd` the program just got (opened or accepted), shaped
    /// by `adjust`, under a new number; without memory for the table, `fd` is closed and the
    /// error is out of memory.
    public mutating func adopt(_ fd: Int32, _ adjust: (inout WasiDescriptor) -> Void) throws(SwasmError) -> UInt32 {
        var filetype: UInt8 = 0
        var flags: UInt16 = 0
        _ = cswasm_wasi_fd_fdstat_get(fd, &filetype, &flags)
        var entry = WasiDescriptor(kind: .host, filetype: filetype)
        entry.hostFD = fd
        entry.guardsBrokenPipe = WasiDescriptor.mayBreak(filetype)
        adjust(&entry)
        do {
            return try insert(entry)
        } catch {
            _ = cswasm_wasi_fd_close(fd)
            throw error
        }
    }

    /// A new descriptor number (the lowest free one) for `entry`.
    public mutating func insert(_ entry: WasiDescriptor) throws(SwasmError) -> UInt32 {
        for index in 3..<max(descriptors.count, 3) where descriptors[index].kind == .free {
            descriptors[index] = entry
            return UInt32(index)
        }
        try descriptors.append(entry)
        return UInt32(descriptors.count &- 1)
    }
}
