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
    /// Which standard stream a `.custom` entry writes to (1 stdout, 2 stderr).
    public var stream: UInt8 = 0
    /// The rights preview 1 attaches to a descriptor: what it may be used for, and what
    /// descriptors opened through it may get. Checked by every function (ENOTCAPABLE), as
    /// wasmtime does; they can only shrink (`fd_fdstat_set_rights`).
    public var rightsBase: UInt64
    public var rightsInheriting: UInt64

    public init(kind: Kind, filetype: UInt8) {
        self.kind = kind
        self.filetype = filetype
        (rightsBase, rightsInheriting) = WasiRights.initial(for: filetype)
    }

    /// Whether the descriptor has every right in `rights`.
    public func has(_ rights: UInt64) -> Bool { rightsBase & rights == rights }

    public var isDirectory: Bool { kind == .host && filetype == UInt8(CSWASM_WASI_FILETYPE_DIRECTORY) }

    /// Whether writes are a stream (pipes, sockets): the platform layer then guards against SIGPIPE.
    public var isStream: Bool {
        switch Int32(filetype) {
        case CSWASM_WASI_FILETYPE_REGULAR_FILE, CSWASM_WASI_FILETYPE_DIRECTORY, CSWASM_WASI_FILETYPE_BLOCK_DEVICE,
             CSWASM_WASI_FILETYPE_CHARACTER_DEVICE: return false
        default: return true
        }
    }

    public var directory: cswasm_wasi_dir { cswasm_wasi_dir(fd: hostFD, flags: directoryFlags) }
}

/// The rights of WASI preview 1 (`rights` in the witx specification), and those a descriptor
/// starts with for its file type (as wasmtime gives them).
public enum WasiRights {
    public static let fdDatasync: UInt64 = 1 << 0
    public static let fdRead: UInt64 = 1 << 1
    public static let fdSeek: UInt64 = 1 << 2
    public static let fdFdstatSetFlags: UInt64 = 1 << 3
    public static let fdSync: UInt64 = 1 << 4
    public static let fdTell: UInt64 = 1 << 5
    public static let fdWrite: UInt64 = 1 << 6
    public static let fdAdvise: UInt64 = 1 << 7
    public static let fdAllocate: UInt64 = 1 << 8
    public static let pathCreateDirectory: UInt64 = 1 << 9
    public static let pathCreateFile: UInt64 = 1 << 10
    public static let pathLinkSource: UInt64 = 1 << 11
    public static let pathLinkTarget: UInt64 = 1 << 12
    public static let pathOpen: UInt64 = 1 << 13
    public static let fdReaddir: UInt64 = 1 << 14
    public static let pathReadlink: UInt64 = 1 << 15
    public static let pathRenameSource: UInt64 = 1 << 16
    public static let pathRenameTarget: UInt64 = 1 << 17
    public static let pathFilestatGet: UInt64 = 1 << 18
    public static let pathFilestatSetSize: UInt64 = 1 << 19
    public static let pathFilestatSetTimes: UInt64 = 1 << 20
    public static let fdFilestatGet: UInt64 = 1 << 21
    public static let fdFilestatSetSize: UInt64 = 1 << 22
    public static let fdFilestatSetTimes: UInt64 = 1 << 23
    public static let pathSymlink: UInt64 = 1 << 24
    public static let pathRemoveDirectory: UInt64 = 1 << 25
    public static let pathUnlinkFile: UInt64 = 1 << 26
    public static let pollFdReadwrite: UInt64 = 1 << 27
    public static let sockShutdown: UInt64 = 1 << 28
    public static let sockAccept: UInt64 = 1 << 29

    /// What a directory can do, as wasmtime 50 reports it: paths, listing and status (no
    /// reading, writing or seeking of its own).
    public static let directory: UInt64 = pathCreateDirectory | pathCreateFile | pathLinkSource | pathLinkTarget | pathOpen
        | fdReaddir | pathReadlink | pathRenameSource | pathRenameTarget | pathFilestatGet | pathFilestatSetTimes
        | fdFilestatGet | fdFilestatSetTimes | pathSymlink | pathRemoveDirectory | pathUnlinkFile
    /// What descriptors opened through a directory may get, as wasmtime 50 reports it.
    public static let directoryInheriting: UInt64 = directory | fdDatasync | fdRead | fdSeek | fdFdstatSetFlags | fdSync | fdTell
        | fdWrite | fdAdvise | fdAllocate | fdFilestatSetSize | pollFdReadwrite
    /// What a regular file can do.
    public static let regularFile: UInt64 = fdDatasync | fdRead | fdSeek | fdFdstatSetFlags | fdSync | fdTell | fdWrite | fdAdvise
        | fdAllocate | fdFilestatGet | fdFilestatSetSize | fdFilestatSetTimes | pollFdReadwrite
    /// What a stream (terminal, pipe, the standard streams) can do: no seeking.
    public static let stream: UInt64 = fdRead | fdFdstatSetFlags | fdWrite | fdFilestatGet | pollFdReadwrite
    public static let socket: UInt64 = stream | sockShutdown | sockAccept

    public static func initial(for filetype: UInt8) -> (base: UInt64, inheriting: UInt64) {
        switch Int32(filetype) {
        case CSWASM_WASI_FILETYPE_DIRECTORY: return (directory, directoryInheriting)
        case CSWASM_WASI_FILETYPE_REGULAR_FILE, CSWASM_WASI_FILETYPE_BLOCK_DEVICE: return (regularFile, 0)
        case CSWASM_WASI_FILETYPE_SOCKET_STREAM, CSWASM_WASI_FILETYPE_SOCKET_DGRAM: return (socket, 0)
        default: return (stream, 0)
        }
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
        switch stream.kind {
        case .none:
            return WasiDescriptor(kind: fd == 0 ? .inputBytes : .discard, filetype: UInt8(CSWASM_WASI_FILETYPE_UNKNOWN))
        case .bytes:
            swap(&context.stdinBytes, &stream.bytes)
            return WasiDescriptor(kind: .inputBytes, filetype: UInt8(CSWASM_WASI_FILETYPE_UNKNOWN))
        case .custom:
            var entry = WasiDescriptor(kind: .custom, filetype: UInt8(CSWASM_WASI_FILETYPE_UNKNOWN))
            entry.stream = UInt8(fd)
            if fd == 1 { swap(&context.stdout, &stream) } else { swap(&context.stderr, &stream) }
            return entry
        case .inherit, .file:
            var hostFD: Int32 = -1
            if stream.kind == .inherit {
                // A duplicate, so that the program closing its stdio leaves the host's alone.
                guard cswasm_wasi_fd_duplicate(fd, &hostFD) == 0 else {
                    return WasiDescriptor(kind: fd == 0 ? .inputBytes : .discard, filetype: UInt8(CSWASM_WASI_FILETYPE_UNKNOWN))
                }
            } else {
                hostFD = stream.hostFD
                stream.hostFD = -1
            }
            var filetype: UInt8 = 0
            var flags: UInt16 = 0
            _ = cswasm_wasi_fd_fdstat_get(hostFD, &filetype, &flags)
            var entry = WasiDescriptor(kind: .host, filetype: filetype)
            entry.hostFD = hostFD
            return entry
        }
    }

    /// The host callback and its data for standard stream `stream` (1 stdout, 2 stderr).
    public func output(_ stream: UInt8) -> (WasiStream.Callback?, UnsafeMutableRawPointer?) {
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
