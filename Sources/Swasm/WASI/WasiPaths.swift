import CSwasm

/// The `path_*` functions of WASI preview 1. Every path is resolved beneath a directory
/// descriptor by the platform layer (Sources/CSwasm/wasi_paths.c), which keeps it inside.
enum WasiPaths {
    /// dirfd, lookupflags, path, path_len, oflags, rights_base (i64), rights_inheriting (i64),
    /// fdflags, opened fd out. As in wasmtime, the rights asked for decide how the file is
    /// opened and nothing more: for writing when they hold `fd_write` or the file is created or
    /// truncated, for reading when they hold `fd_read` or not `fd_write`; the synchronous
    /// fdflags are not supported (ENOTSUP).
    static let pathOpen: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(1)), within: 0x1, "Lookupflags", in: "path_open"), w.flags(UInt64(w.u32(4)), within: 0xf, "Oflags", in: "path_open"),
                  w.flags(w.u64(5), within: WasiRights.all, "Rights", in: "path_open"), w.flags(w.u64(6), within: WasiRights.all, "Rights", in: "path_open"),
                  w.flags(UInt64(w.u32(7)), within: 0x1f, "Fdflags", in: "path_open") else { return 0 }
            // A file as the directory: ENOTDIR here (wasmtime), EBADF for the other path functions.
            guard let parent = w.descriptor(w.u32(0)), parent.pointee.kind == .host, !parent.pointee.isStandardStream else {
                return UInt16(CSWASM_WASI_EBADF)
            }
            guard parent.pointee.isDirectory else { return UInt16(CSWASM_WASI_ENOTDIR) }
            let directory = parent.pointee.directory
            let length = w.u32(3)
            guard let path = w.path(w.u32(2), length) else { return UInt16(CSWASM_WASI_EFAULT) }
            let oflags = UInt16(w.u32(4))
            let rights = w.u64(5)
            let fdflags = UInt16(w.u32(7))
            let synchronous = UInt16(CSWASM_WASI_FDFLAGS_DSYNC | CSWASM_WASI_FDFLAGS_RSYNC | CSWASM_WASI_FDFLAGS_SYNC)
            if fdflags & synchronous != 0 { return UInt16(CSWASM_WASI_ENOTSUP) }
            var access: UInt32 = 0
            if rights & WasiRights.fdRead != 0 || rights & WasiRights.fdWrite == 0 { access |= CSWASM_WASI_ACCESS_READ }
            if rights & WasiRights.fdWrite != 0 || oflags & UInt16(CSWASM_WASI_OFLAGS_CREAT | CSWASM_WASI_OFLAGS_TRUNC) != 0 {
                access |= CSWASM_WASI_ACCESS_WRITE
            }
            var fd: Int32 = -1
            let errno = cswasm_wasi_path_open(directory, path, Int(length), w.u32(1), oflags, fdflags, access, &fd)
            if errno != 0 { return errno }
            let mutable = parent.pointee.mutable
            let number: UInt32
            do throws(SwasmError) {
                number = try w.wasi.pointee.adopt(fd) { entry in
                    entry.mutable = mutable
                    entry.directoryFlags = directory.flags
                    entry.access = UInt8(truncatingIfNeeded: access)
                }
            } catch {
                return WasiCall.outOfMemory
            }
            return w.result(number, at: w.u32(8))
        }
    }

    /// Runs `body` with the directory of descriptor argument `fd` and the path of arguments
    /// `offset`, `length`.
    @inline(__always)
    static func withPath(_ w: inout WasiCall, fd: Int, path offset: Int,
                         _ body: (cswasm_wasi_dir, UnsafeMutablePointer<UInt8>, Int) -> UInt16) -> UInt16 {
        let (directory, errno) = w.directory(w.u32(fd))
        if errno != 0 { return errno }
        let length = w.u32(offset &+ 1)
        guard let path = w.path(w.u32(offset), length) else { return UInt16(CSWASM_WASI_EFAULT) }
        return body(directory, path, Int(length))
    }

    static let pathCreateDirectory: HostTrampoline = {
        WasiCall.run($0) { w in withPath(&w, fd: 0, path: 1) { cswasm_wasi_path_create_directory($0, $1, $2) } }
    }

    static let pathRemoveDirectory: HostTrampoline = {
        WasiCall.run($0) { w in withPath(&w, fd: 0, path: 1) { cswasm_wasi_path_remove_directory($0, $1, $2) } }
    }

    static let pathUnlinkFile: HostTrampoline = {
        WasiCall.run($0) { w in withPath(&w, fd: 0, path: 1) { cswasm_wasi_path_unlink_file($0, $1, $2) } }
    }

    /// dirfd, lookupflags, path, path_len, filestat out.
    static let pathFilestatGet: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(1)), within: 0x1, "Lookupflags", in: "path_filestat_get") else { return 0 }
            var status = cswasm_wasi_filestat()
            let flags = w.u32(1)
            let errno = withPath(&w, fd: 0, path: 2) { cswasm_wasi_path_filestat_get($0, flags, $1, $2, &status) }
            return errno != 0 ? errno : WasiDescriptors.store(status, &w, at: w.u32(4))
        }
    }

    /// dirfd, lookupflags, path, path_len, atim, mtim, fstflags.
    static let pathFilestatSetTimes: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(1)), within: 0x1, "Lookupflags", in: "path_filestat_set_times"), w.flags(UInt64(w.u32(6)), within: 0xf, "Fstflags", in: "path_filestat_set_times") else { return 0 }
            let flags = w.u32(1), atim = w.u64(4), mtim = w.u64(5), fstflags = UInt16(w.u32(6))
            return withPath(&w, fd: 0, path: 2) { cswasm_wasi_path_filestat_set_times($0, flags, $1, $2, atim, mtim, fstflags) }
        }
    }

    /// dirfd, path, path_len, buf, buf_len, bufused out.
    static let pathReadlink: HostTrampoline = {
        WasiCall.run($0) { w in
            let length = w.u32(4)
            guard let buffer = w.bytes(w.u32(3), UInt64(length)) else { return UInt16(CSWASM_WASI_EFAULT) }
            var used = 0
            let errno = withPath(&w, fd: 0, path: 1) { cswasm_wasi_path_readlink($0, $1, $2, buffer, Int(length), &used) }
            return errno != 0 ? errno : w.result(UInt32(used), at: w.u32(5))
        }
    }

    /// old_path, old_path_len, dirfd, new_path, new_path_len.
    static let pathSymlink: HostTrampoline = {
        WasiCall.run($0) { w in
            let targetLength = w.u32(1)
            guard let target = w.path(w.u32(0), targetLength) else { return UInt16(CSWASM_WASI_EFAULT) }
            return withPath(&w, fd: 2, path: 3) { cswasm_wasi_path_symlink(target, Int(targetLength), $0, $1, $2) }
        }
    }

    /// old_dirfd, old_lookupflags, old_path, old_path_len, new_dirfd, new_path, new_path_len.
    static let pathLink: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(1)), within: 0x1, "Lookupflags", in: "path_link") else { return 0 }
            let (oldDirectory, oldErrno) = w.directory(w.u32(0))
            if oldErrno != 0 { return oldErrno }
            let oldLength = w.u32(3)
            guard let oldPath = w.path(w.u32(2), oldLength) else { return UInt16(CSWASM_WASI_EFAULT) }
            let flags = w.u32(1)
            return withPath(&w, fd: 4, path: 5) { cswasm_wasi_path_link(oldDirectory, flags, oldPath, Int(oldLength), $0, $1, $2) }
        }
    }

    /// old_dirfd, old_path, old_path_len, new_dirfd, new_path, new_path_len.
    static let pathRename: HostTrampoline = {
        WasiCall.run($0) { w in
            let (oldDirectory, oldErrno) = w.directory(w.u32(0))
            if oldErrno != 0 { return oldErrno }
            let oldLength = w.u32(2)
            guard let oldPath = w.path(w.u32(1), oldLength) else { return UInt16(CSWASM_WASI_EFAULT) }
            return withPath(&w, fd: 3, path: 4) { cswasm_wasi_path_rename(oldDirectory, oldPath, Int(oldLength), $0, $1, $2) }
        }
    }
}
