import CSwasm

/// The `path_*` functions of WASI preview 1. Every path is resolved beneath a directory
/// descriptor by the platform layer (Sources/CSwasm/wasi_paths.c), which keeps it inside.
enum WasiPaths {
    // Rights that ask for reading or writing when a file is opened (wasmtime decides the same way).
    static let readRights: UInt64 = (1 << 1) | (1 << 14)                       // fd_read, fd_readdir
    static let writeRights: UInt64 = (1 << 0) | (1 << 6) | (1 << 8) | (1 << 22) // datasync, write, allocate, filestat_set_size

    /// dirfd, lookupflags, path, path_len, oflags, rights_base (i64), rights_inheriting (i64),
    /// fdflags, opened fd out.
    static let pathOpen: HostTrampoline = {
        WasiCall.run($0) { w in
            guard let parent = w.descriptor(w.u32(0)) else { return UInt16(CSWASM_WASI_EBADF) }
            guard parent.pointee.isDirectory else { return UInt16(CSWASM_WASI_ENOTDIR) }
            let oflags = UInt16(truncatingIfNeeded: w.u32(4))
            var needed = WasiRights.pathOpen
            if oflags & UInt16(CSWASM_WASI_OFLAGS_CREAT) != 0 { needed |= WasiRights.pathCreateFile }
            guard parent.pointee.has(needed) else { return UInt16(CSWASM_WASI_ENOTCAPABLE) }
            let length = w.u32(3)
            guard let path = w.path(w.u32(2), length) else { return UInt16(CSWASM_WASI_EFAULT) }
            let rights = w.u64(5)
            let fdflags = UInt16(truncatingIfNeeded: w.u32(7))
            var access: UInt32 = 0
            if rights & readRights != 0 { access |= CSWASM_WASI_ACCESS_READ }
            if rights & writeRights != 0 || fdflags & UInt16(CSWASM_WASI_FDFLAGS_APPEND) != 0 { access |= CSWASM_WASI_ACCESS_WRITE }
            var fd: Int32 = -1
            let errno = cswasm_wasi_path_open(parent.pointee.directory, path, Int(length), w.u32(1), oflags, fdflags, access, &fd)
            if errno != 0 { return errno }
            let number: UInt32
            do throws(SwasmError) {
                number = try w.wasi.pointee.adopt(fd) { entry in
                    entry.mutable = parent.pointee.mutable
                    entry.directoryFlags = parent.pointee.directoryFlags
                    // What the file's type allows, within what the directory passes on (as
                    // wasmtime: the rights asked for decide the access mode, not the rights).
                    entry.rightsBase &= parent.pointee.rightsInheriting
                    entry.rightsInheriting &= parent.pointee.rightsInheriting
                    // Reading and writing as opened.
                    if access & CSWASM_WASI_ACCESS_READ == 0 && access != 0 { entry.rightsBase &= ~WasiRights.fdRead }
                    if access & CSWASM_WASI_ACCESS_WRITE == 0 { entry.rightsBase &= ~WasiRights.fdWrite }
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
    static func withPath(_ w: inout WasiCall, fd: Int, needing rights: UInt64, path offset: Int,
                         _ body: (cswasm_wasi_dir, UnsafeMutablePointer<UInt8>, Int) -> UInt16) -> UInt16 {
        let (directory, errno) = w.directory(w.u32(fd), needing: rights)
        if errno != 0 { return errno }
        let length = w.u32(offset &+ 1)
        guard let path = w.path(w.u32(offset), length) else { return UInt16(CSWASM_WASI_EFAULT) }
        return body(directory, path, Int(length))
    }

    static let pathCreateDirectory: HostTrampoline = {
        WasiCall.run($0) { w in withPath(&w, fd: 0, needing: WasiRights.pathCreateDirectory, path: 1) { cswasm_wasi_path_create_directory($0, $1, $2) } }
    }

    static let pathRemoveDirectory: HostTrampoline = {
        WasiCall.run($0) { w in withPath(&w, fd: 0, needing: WasiRights.pathRemoveDirectory, path: 1) { cswasm_wasi_path_remove_directory($0, $1, $2) } }
    }

    static let pathUnlinkFile: HostTrampoline = {
        WasiCall.run($0) { w in withPath(&w, fd: 0, needing: WasiRights.pathUnlinkFile, path: 1) { cswasm_wasi_path_unlink_file($0, $1, $2) } }
    }

    /// dirfd, lookupflags, path, path_len, filestat out.
    static let pathFilestatGet: HostTrampoline = {
        WasiCall.run($0) { w in
            var status = cswasm_wasi_filestat()
            let flags = w.u32(1)
            let errno = withPath(&w, fd: 0, needing: WasiRights.pathFilestatGet, path: 2) { cswasm_wasi_path_filestat_get($0, flags, $1, $2, &status) }
            return errno != 0 ? errno : WasiDescriptors.store(status, &w, at: w.u32(4))
        }
    }

    /// dirfd, lookupflags, path, path_len, atim, mtim, fstflags.
    static let pathFilestatSetTimes: HostTrampoline = {
        WasiCall.run($0) { w in
            let flags = w.u32(1), atim = w.u64(4), mtim = w.u64(5), fstflags = UInt16(truncatingIfNeeded: w.u32(6))
            return withPath(&w, fd: 0, needing: WasiRights.pathFilestatSetTimes, path: 2) { cswasm_wasi_path_filestat_set_times($0, flags, $1, $2, atim, mtim, fstflags) }
        }
    }

    /// dirfd, path, path_len, buf, buf_len, bufused out.
    static let pathReadlink: HostTrampoline = {
        WasiCall.run($0) { w in
            let length = w.u32(4)
            guard let buffer = w.bytes(w.u32(3), UInt64(length)) else { return UInt16(CSWASM_WASI_EFAULT) }
            var used = 0
            let errno = withPath(&w, fd: 0, needing: WasiRights.pathReadlink, path: 1) { cswasm_wasi_path_readlink($0, $1, $2, buffer, Int(length), &used) }
            return errno != 0 ? errno : w.result(UInt32(used), at: w.u32(5))
        }
    }

    /// old_path, old_path_len, dirfd, new_path, new_path_len.
    static let pathSymlink: HostTrampoline = {
        WasiCall.run($0) { w in
            let targetLength = w.u32(1)
            guard let target = w.path(w.u32(0), targetLength) else { return UInt16(CSWASM_WASI_EFAULT) }
            return withPath(&w, fd: 2, needing: WasiRights.pathSymlink, path: 3) { cswasm_wasi_path_symlink(target, Int(targetLength), $0, $1, $2) }
        }
    }

    /// old_dirfd, old_lookupflags, old_path, old_path_len, new_dirfd, new_path, new_path_len.
    static let pathLink: HostTrampoline = {
        WasiCall.run($0) { w in
            let (oldDirectory, oldErrno) = w.directory(w.u32(0), needing: WasiRights.pathLinkSource)
            if oldErrno != 0 { return oldErrno }
            let oldLength = w.u32(3)
            guard let oldPath = w.path(w.u32(2), oldLength) else { return UInt16(CSWASM_WASI_EFAULT) }
            let flags = w.u32(1)
            return withPath(&w, fd: 4, needing: WasiRights.pathLinkTarget, path: 5) { cswasm_wasi_path_link(oldDirectory, flags, oldPath, Int(oldLength), $0, $1, $2) }
        }
    }

    /// old_dirfd, old_path, old_path_len, new_dirfd, new_path, new_path_len.
    static let pathRename: HostTrampoline = {
        WasiCall.run($0) { w in
            let (oldDirectory, oldErrno) = w.directory(w.u32(0), needing: WasiRights.pathRenameSource)
            if oldErrno != 0 { return oldErrno }
            let oldLength = w.u32(2)
            guard let oldPath = w.path(w.u32(1), oldLength) else { return UInt16(CSWASM_WASI_EFAULT) }
            return withPath(&w, fd: 3, needing: WasiRights.pathRenameTarget, path: 4) { cswasm_wasi_path_rename(oldDirectory, oldPath, Int(oldLength), $0, $1, $2) }
        }
    }
}
