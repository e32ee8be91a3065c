import CSwasm

/// The `fd_*` functions of WASI preview 1: reading and writing, positions, status, flags,
/// directories' entries, preopens and the descriptor table.
enum WasiDescriptors {
    // MARK: reading and writing

    static let fdRead: HostTrampoline = { WasiCall.run($0) { w in read(&w, at: nil, result: w.u32(3)) } }
    static let fdPread: HostTrampoline = { WasiCall.run($0) { w in read(&w, at: w.u64(3), result: w.u32(4)) } }
    static let fdWrite: HostTrampoline = { WasiCall.run($0) { w in write(&w, at: nil, result: w.u32(3)) } }
    static let fdPwrite: HostTrampoline = { WasiCall.run($0) { w in write(&w, at: w.u64(3), result: w.u32(4)) } }

    /// The descriptor `fd_read`/`fd_write` (and their positioned forms) transfer through, as
    /// wasmtime decides: EBADF for a directory or a descriptor not opened for the direction,
    /// then ESPIPE for a positioned transfer on a standard stream.
    static func transferTarget(_ w: inout WasiCall, writing: Bool, at offset: UInt64?) -> (WasiDescriptor?, UInt16) {
        guard let entry = w.descriptor(w.u32(0)), !entry.pointee.isDirectory,
              writing ? entry.pointee.writable : entry.pointee.readable else { return (nil, UInt16(CSWASM_WASI_EBADF)) }
        if offset != nil && entry.pointee.isStandardStream { return (nil, UInt16(CSWASM_WASI_ESPIPE)) }
        return (entry.pointee, 0)
    }

    /// `fd_read` / `fd_pread` (at an offset): fd, iovs, iovs_len, [offset,] nread out.
    static func read(_ w: inout WasiCall, at offset: UInt64?, result: UInt32) -> UInt16 {
        let (found, refused) = transferTarget(&w, writing: false, at: offset)
        guard let descriptor = found else { return refused }
        var total = 0
        let errno = w.withVectors(w.u32(1), w.u32(2)) { (vectors, count) -> UInt16 in
            switch descriptor.kind {
            case .host:
                if let offset { return cswasm_wasi_fd_pread(descriptor.hostFD, vectors, count, offset, &total) }
                return cswasm_wasi_fd_read(descriptor.hostFD, vectors, count, &total)
            case .inputBytes:
                if offset != nil { return UInt16(CSWASM_WASI_ESPIPE) }
                let context = w.wasi
                for index in 0..<count {
                    let available = context.pointee.stdinBytes.count &- context.pointee.stdinPosition
                    let taken = min(available, vectors[index].len)
                    if taken > 0 {
                        vectors[index].base!.copyMemory(from: context.pointee.stdinBytes.bytes!.advanced(by: context.pointee.stdinPosition), byteCount: taken)
                        context.pointee.stdinPosition &+= taken
                        total &+= taken
                    }
                    if taken < vectors[index].len { break }
                }
                return 0
            default:
                return UInt16(CSWASM_WASI_EBADF)
            }
        }
        return errno != 0 ? errno : w.result(UInt32(total), at: result)
    }

    /// `fd_write` / `fd_pwrite`: fd, iovs, iovs_len, [offset,] nwritten out.
    static func write(_ w: inout WasiCall, at offset: UInt64?, result: UInt32) -> UInt16 {
        let (found, refused) = transferTarget(&w, writing: true, at: offset)
        guard let descriptor = found else { return refused }
        var total = 0
        let errno = w.withVectors(w.u32(1), w.u32(2)) { (vectors, count) -> UInt16 in
            switch descriptor.kind {
            case .host:
                let constant = UnsafeMutableRawPointer(vectors).assumingMemoryBound(to: cswasm_wasi_ciovec.self)
                if let offset { return cswasm_wasi_fd_pwrite(descriptor.hostFD, constant, count, offset, &total) }
                return cswasm_wasi_fd_write(descriptor.hostFD, constant, count, descriptor.guardsBrokenPipe, &total)
            case .discard:
                if offset != nil { return UInt16(CSWASM_WASI_ESPIPE) }
                for index in 0..<count { total &+= vectors[index].len }
                return 0
            case .custom:
                if offset != nil { return UInt16(CSWASM_WASI_ESPIPE) }
                let (callback, data) = w.wasi.pointee.output(descriptor.standardStream)
                for index in 0..<count where vectors[index].len > 0 {
                    let written = callback?(data, vectors[index].base!.assumingMemoryBound(to: UInt8.self), vectors[index].len) ?? vectors[index].len
                    if written < 0 { return total > 0 ? 0 : cswasm_wasi_errno_from_host(Int32(truncatingIfNeeded: -written)) }
                    total &+= min(written, vectors[index].len)
                    if written < vectors[index].len { break }
                }
                return 0
            default:
                return UInt16(CSWASM_WASI_EBADF)
            }
        }
        return errno != 0 ? errno : w.result(UInt32(total), at: result)
    }

    // MARK: positions

    /// fd, offset (i64), whence, newoffset out. Standard streams cannot seek (ESPIPE),
    /// directories are not files (EBADF), as in wasmtime.
    static let fdSeek: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.enumeration(UInt64(w.u32(2)), below: 3, "Whence", in: "fd_seek") else { return 0 }
            return seek(&w, offset: Int64(bitPattern: w.u64(1)), whence: UInt8(w.u32(2)), result: w.u32(3))
        }
    }

    static let fdTell: HostTrampoline = {
        WasiCall.run($0) { w in seek(&w, offset: 0, whence: UInt8(CSWASM_WASI_WHENCE_CUR), result: w.u32(1)) }
    }

    static func seek(_ w: inout WasiCall, offset: Int64, whence: UInt8, result: UInt32) -> UInt16 {
        guard let entry = w.descriptor(w.u32(0)) else { return UInt16(CSWASM_WASI_EBADF) }
        if entry.pointee.isStandardStream { return UInt16(CSWASM_WASI_ESPIPE) }
        if entry.pointee.isDirectory { return UInt16(CSWASM_WASI_EBADF) }
        var position: UInt64 = 0
        let errno = cswasm_wasi_fd_seek(entry.pointee.hostFD, offset, whence, &position)
        return errno != 0 ? errno : w.result(position, at: result)
    }

    // MARK: status and flags

    /// The type, flags and rights of a descriptor; standard streams and directories report no
    /// flags (wasmtime).
    static let fdFdstatGet: HostTrampoline = {
        WasiCall.run($0) { w in
            guard let entry = w.descriptor(w.u32(0)) else { return UInt16(CSWASM_WASI_EBADF) }
            var filetype = entry.pointee.filetype
            var flags: UInt16 = 0
            if entry.pointee.kind == .host && !entry.pointee.isStandardStream {
                let errno = cswasm_wasi_fd_fdstat_get(entry.pointee.hostFD, &filetype, &flags)
                if errno != 0 { return errno }
                if entry.pointee.isDirectory { flags = 0 }
            }
            let rights = WasiRights.reported(for: entry.pointee)
            let out = w.u32(1)
            guard let target = w.bytes(out, 24) else { return UInt16(CSWASM_WASI_EFAULT) }
            target.update(repeating: 0, count: 24)
            _ = w.store(filetype, at: out)
            _ = w.store(flags, at: out &+ 2)
            _ = w.store(rights.base, at: out &+ 8)
            return w.result(rights.inheriting, at: out &+ 16)
        }
    }

    static let fdFdstatSetFlags: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(1)), within: 0x1f, "Fdflags", in: "fd_fdstat_set_flags") else { return 0 }
            let (found, refused) = w.file(w.u32(0))
            guard let entry = found else { return refused }
            return cswasm_wasi_fd_fdstat_set_flags(entry.pointee.hostFD, UInt16(w.u32(1)))
        }
    }

    /// Not supported, as in wasmtime (rights describe, they do not restrict: `WasiRights`);
    /// standard streams are not even asked (EBADF).
    static let fdFdstatSetRights: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(w.u64(1), within: WasiRights.all, "Rights", in: "fd_fdstat_set_rights"), w.flags(w.u64(2), within: WasiRights.all, "Rights", in: "fd_fdstat_set_rights") else { return 0 }
            guard let entry = w.descriptor(w.u32(0)), !entry.pointee.isStandardStream else { return UInt16(CSWASM_WASI_EBADF) }
            return UInt16(CSWASM_WASI_ENOTSUP)
        }
    }

    /// Writes a filestat (64 bytes) at `offset`.
    static func store(_ status: cswasm_wasi_filestat, _ w: inout WasiCall, at offset: UInt32) -> UInt16 {
        guard let target = w.bytes(offset, 64) else { return UInt16(CSWASM_WASI_EFAULT) }
        target.update(repeating: 0, count: 64)
        _ = w.store(status.dev, at: offset)
        _ = w.store(status.ino, at: offset &+ 8)
        _ = w.store(status.filetype, at: offset &+ 16)
        _ = w.store(status.nlink, at: offset &+ 24)
        _ = w.store(status.size, at: offset &+ 32)
        _ = w.store(status.atim, at: offset &+ 40)
        _ = w.store(status.mtim, at: offset &+ 48)
        return w.result(status.ctim, at: offset &+ 56)
    }

    /// A standard stream's status is all zeros but its type (wasmtime).
    static let fdFilestatGet: HostTrampoline = {
        WasiCall.run($0) { w in
            guard let entry = w.descriptor(w.u32(0)) else { return UInt16(CSWASM_WASI_EBADF) }
            var status = cswasm_wasi_filestat()
            status.filetype = entry.pointee.filetype
            if entry.pointee.kind == .host && !entry.pointee.isStandardStream {
                let errno = cswasm_wasi_fd_filestat_get(entry.pointee.hostFD, &status)
                if errno != 0 { return errno }
            }
            return store(status, &w, at: w.u32(1))
        }
    }

    /// Files only; one not opened for writing cannot change size (EINVAL), one of a read-only
    /// preopen neither (EPERM).
    static let fdFilestatSetSize: HostTrampoline = {
        WasiCall.run($0) { w in
            let (found, refused) = w.file(w.u32(0))
            guard let entry = found else { return refused }
            guard entry.pointee.mutable else { return UInt16(CSWASM_WASI_EPERM) }
            guard entry.pointee.writable else { return UInt16(CSWASM_WASI_EINVAL) }
            return cswasm_wasi_fd_filestat_set_size(entry.pointee.hostFD, w.u64(1))
        }
    }

    /// Files and directories; times of a descriptor from a read-only preopen cannot change
    /// (the kernel would let the owner change them).
    static let fdFilestatSetTimes: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(3)), within: 0xf, "Fstflags", in: "fd_filestat_set_times") else { return 0 }
            guard let entry = w.descriptor(w.u32(0)), entry.pointee.kind == .host, !entry.pointee.isStandardStream else {
                return UInt16(CSWASM_WASI_EBADF)
            }
            guard entry.pointee.mutable else { return UInt16(CSWASM_WASI_EPERM) }
            return cswasm_wasi_fd_filestat_set_times(entry.pointee.hostFD, w.u64(1), w.u64(2), UInt16(w.u32(3)))
        }
    }

    static let fdAdvise: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.enumeration(UInt64(w.u32(3)), below: 6, "Advice", in: "fd_advise") else { return 0 }
            let (found, refused) = w.file(w.u32(0))
            guard let entry = found else { return refused }
            return cswasm_wasi_fd_advise(entry.pointee.hostFD, w.u64(1), w.u64(2), UInt8(w.u32(3)))
        }
    }

    /// Not supported on files, as in wasmtime (EBADF for anything else).
    static let fdAllocate: HostTrampoline = {
        WasiCall.run($0) { w in
            let (found, refused) = w.file(w.u32(0))
            return found == nil ? refused : UInt16(CSWASM_WASI_ENOTSUP)
        }
    }

    static let fdSync: HostTrampoline = {
        WasiCall.run($0) { w in
            let (found, refused) = w.file(w.u32(0))
            guard let entry = found else { return refused }
            return cswasm_wasi_fd_sync(entry.pointee.hostFD)
        }
    }

    static let fdDatasync: HostTrampoline = {
        WasiCall.run($0) { w in
            let (found, refused) = w.file(w.u32(0))
            guard let entry = found else { return refused }
            return cswasm_wasi_fd_datasync(entry.pointee.hostFD)
        }
    }

    // MARK: directories

    /// fd, buf, buf_len, cookie (i64), bufused out.
    static let fdReaddir: HostTrampoline = {
        WasiCall.run($0) { w in
            let (directory, refused) = w.directory(w.u32(0))
            if refused != 0 { return refused }
            let length = w.u32(2)
            guard let buffer = w.bytes(w.u32(1), UInt64(length)) else { return UInt16(CSWASM_WASI_EFAULT) }
            var used = 0
            let errno = cswasm_wasi_fd_readdir(directory.fd, buffer, Int(length), w.u64(3), &used)
            return errno != 0 ? errno : w.result(UInt32(used), at: w.u32(4))
        }
    }

    // MARK: preopens

    /// fd, prestat out: tag 0 (a directory) and the length of its name.
    static let fdPrestatGet: HostTrampoline = {
        WasiCall.run($0) { w in
            guard let entry = w.descriptor(w.u32(0)), entry.pointee.preopen >= 0 else { return UInt16(CSWASM_WASI_EBADF) }
            let out = w.u32(1)
            guard let target = w.bytes(out, 8) else { return UInt16(CSWASM_WASI_EFAULT) }
            target.update(repeating: 0, count: 8)
            return w.result(UInt32(w.wasi.pointee.preopenNames[Int(entry.pointee.preopen)].count), at: out &+ 4)
        }
    }

    /// fd, path, path_len: the preopen's name (ENAMETOOLONG when it does not fit).
    static let fdPrestatDirName: HostTrampoline = {
        WasiCall.run($0) { w in
            guard let entry = w.descriptor(w.u32(0)), entry.pointee.preopen >= 0 else { return UInt16(CSWASM_WASI_EBADF) }
            let names = w.wasi
            let count = names.pointee.preopenNames[Int(entry.pointee.preopen)].count
            let length = w.u32(2)
            guard let target = w.bytes(w.u32(1), UInt64(length)) else { return UInt16(CSWASM_WASI_EFAULT) }
            guard Int(length) >= count else { return UInt16(CSWASM_WASI_ENAMETOOLONG) }
            if count > 0 { target.update(from: names.pointee.preopenNames[Int(entry.pointee.preopen)].bytes!, count: count) }
            return 0
        }
    }

    // MARK: the table

    static let fdClose: HostTrampoline = {
        WasiCall.run($0) { w in
            guard let entry = w.descriptor(w.u32(0)) else { return UInt16(CSWASM_WASI_EBADF) }
            if entry.pointee.kind == .host { _ = cswasm_wasi_fd_close(entry.pointee.hostFD) }
            entry.pointee = WasiDescriptor(kind: .free, filetype: 0)
            return 0
        }
    }

    /// from, to: `to` is closed and takes `from`'s place; both must be open.
    static let fdRenumber: HostTrampoline = {
        WasiCall.run($0) { w in
            let from = w.u32(0), to = w.u32(1)
            guard let source = w.descriptor(from), let target = w.descriptor(to) else { return UInt16(CSWASM_WASI_EBADF) }
            if from == to { return 0 }
            if target.pointee.kind == .host { _ = cswasm_wasi_fd_close(target.pointee.hostFD) }
            target.pointee = source.pointee
            source.pointee = WasiDescriptor(kind: .free, filetype: 0)
            return 0
        }
    }
}
