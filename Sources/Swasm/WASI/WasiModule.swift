import CSwasm

/// The `wasi_snapshot_preview1` module: every function's name, type and native trampoline, and
/// its definition in a linker (`wasmtime_linker_define_wasi`).
public enum WasiModule {
    public static let name: StaticString = "wasi_snapshot_preview1"

    /// A function of the module: parameters as a string of `i` (i32) and `I` (i64); every
    /// function but `proc_exit` returns an errno (i32).
    struct Function {
        let name: StaticString
        let parameters: StaticString
        let returnsErrno: Bool
        let trampoline: HostTrampoline
    }

    /// The function at `index` (0 ..< count); a switch rather than a table, so that the library
    /// holds no initialized global arrays.
    static func function(_ index: Int) -> Function {
        switch index {
        case 0: return Function(name: "args_get", parameters: "ii", returnsErrno: true, trampoline: WasiProcess.argsGet)
        case 1: return Function(name: "args_sizes_get", parameters: "ii", returnsErrno: true, trampoline: WasiProcess.argsSizesGet)
        case 2: return Function(name: "environ_get", parameters: "ii", returnsErrno: true, trampoline: WasiProcess.environGet)
        case 3: return Function(name: "environ_sizes_get", parameters: "ii", returnsErrno: true, trampoline: WasiProcess.environSizesGet)
        case 4: return Function(name: "clock_res_get", parameters: "ii", returnsErrno: true, trampoline: WasiProcess.clockResGet)
        case 5: return Function(name: "clock_time_get", parameters: "iIi", returnsErrno: true, trampoline: WasiProcess.clockTimeGet)
        case 6: return Function(name: "fd_advise", parameters: "iIIi", returnsErrno: true, trampoline: WasiDescriptors.fdAdvise)
        case 7: return Function(name: "fd_allocate", parameters: "iII", returnsErrno: true, trampoline: WasiDescriptors.fdAllocate)
        case 8: return Function(name: "fd_close", parameters: "i", returnsErrno: true, trampoline: WasiDescriptors.fdClose)
        case 9: return Function(name: "fd_datasync", parameters: "i", returnsErrno: true, trampoline: WasiDescriptors.fdDatasync)
        case 10: return Function(name: "fd_fdstat_get", parameters: "ii", returnsErrno: true, trampoline: WasiDescriptors.fdFdstatGet)
        case 11: return Function(name: "fd_fdstat_set_flags", parameters: "ii", returnsErrno: true, trampoline: WasiDescriptors.fdFdstatSetFlags)
        case 12: return Function(name: "fd_fdstat_set_rights", parameters: "iII", returnsErrno: true, trampoline: WasiDescriptors.fdFdstatSetRights)
        case 13: return Function(name: "fd_filestat_get", parameters: "ii", returnsErrno: true, trampoline: WasiDescriptors.fdFilestatGet)
        case 14: return Function(name: "fd_filestat_set_size", parameters: "iI", returnsErrno: true, trampoline: WasiDescriptors.fdFilestatSetSize)
        case 15: return Function(name: "fd_filestat_set_times", parameters: "iIIi", returnsErrno: true, trampoline: WasiDescriptors.fdFilestatSetTimes)
        case 16: return Function(name: "fd_pread", parameters: "iiiIi", returnsErrno: true, trampoline: WasiDescriptors.fdPread)
        case 17: return Function(name: "fd_prestat_get", parameters: "ii", returnsErrno: true, trampoline: WasiDescriptors.fdPrestatGet)
        case 18: return Function(name: "fd_prestat_dir_name", parameters: "iii", returnsErrno: true, trampoline: WasiDescriptors.fdPrestatDirName)
        case 19: return Function(name: "fd_pwrite", parameters: "iiiIi", returnsErrno: true, trampoline: WasiDescriptors.fdPwrite)
        case 20: return Function(name: "fd_read", parameters: "iiii", returnsErrno: true, trampoline: WasiDescriptors.fdRead)
        case 21: return Function(name: "fd_readdir", parameters: "iiiIi", returnsErrno: true, trampoline: WasiDescriptors.fdReaddir)
        case 22: return Function(name: "fd_renumber", parameters: "ii", returnsErrno: true, trampoline: WasiDescriptors.fdRenumber)
        case 23: return Function(name: "fd_seek", parameters: "iIii", returnsErrno: true, trampoline: WasiDescriptors.fdSeek)
        case 24: return Function(name: "fd_sync", parameters: "i", returnsErrno: true, trampoline: WasiDescriptors.fdSync)
        case 25: return Function(name: "fd_tell", parameters: "ii", returnsErrno: true, trampoline: WasiDescriptors.fdTell)
        case 26: return Function(name: "fd_write", parameters: "iiii", returnsErrno: true, trampoline: WasiDescriptors.fdWrite)
        case 27: return Function(name: "path_create_directory", parameters: "iii", returnsErrno: true, trampoline: WasiPaths.pathCreateDirectory)
        case 28: return Function(name: "path_filestat_get", parameters: "iiiii", returnsErrno: true, trampoline: WasiPaths.pathFilestatGet)
        case 29: return Function(name: "path_filestat_set_times", parameters: "iiiiIIi", returnsErrno: true, trampoline: WasiPaths.pathFilestatSetTimes)
        case 30: return Function(name: "path_link", parameters: "iiiiiii", returnsErrno: true, trampoline: WasiPaths.pathLink)
        case 31: return Function(name: "path_open", parameters: "iiiiiIIii", returnsErrno: true, trampoline: WasiPaths.pathOpen)
        case 32: return Function(name: "path_readlink", parameters: "iiiiii", returnsErrno: true, trampoline: WasiPaths.pathReadlink)
        case 33: return Function(name: "path_remove_directory", parameters: "iii", returnsErrno: true, trampoline: WasiPaths.pathRemoveDirectory)
        case 34: return Function(name: "path_rename", parameters: "iiiiii", returnsErrno: true, trampoline: WasiPaths.pathRename)
        case 35: return Function(name: "path_symlink", parameters: "iiiii", returnsErrno: true, trampoline: WasiPaths.pathSymlink)
        case 36: return Function(name: "path_unlink_file", parameters: "iii", returnsErrno: true, trampoline: WasiPaths.pathUnlinkFile)
        case 37: return Function(name: "poll_oneoff", parameters: "iiii", returnsErrno: true, trampoline: WasiPoll.pollOneoff)
        case 38: return Function(name: "proc_exit", parameters: "i", returnsErrno: false, trampoline: WasiProcess.procExit)
        case 39: return Function(name: "proc_raise", parameters: "i", returnsErrno: true, trampoline: WasiProcess.procRaise)
        case 40: return Function(name: "sched_yield", parameters: "", returnsErrno: true, trampoline: WasiProcess.schedYield)
        case 41: return Function(name: "random_get", parameters: "ii", returnsErrno: true, trampoline: WasiProcess.randomGet)
        case 42: return Function(name: "sock_accept", parameters: "iii", returnsErrno: true, trampoline: WasiSockets.sockAccept)
        case 43: return Function(name: "sock_recv", parameters: "iiiiii", returnsErrno: true, trampoline: WasiSockets.sockRecv)
        case 44: return Function(name: "sock_send", parameters: "iiiii", returnsErrno: true, trampoline: WasiSockets.sockSend)
        default: return Function(name: "sock_shutdown", parameters: "ii", returnsErrno: true, trampoline: WasiSockets.sockShutdown)
        }
    }

    static let count = 46
}

extension Linker {
    /// Defines every `wasi_snapshot_preview1` function (`wasmtime_linker_define_wasi`). The
    /// functions find the WASI state in the store of the instance that calls them.
    public mutating func defineWasi(diagnostic: inout Diagnostic) throws(SwasmError) {
        for index in 0..<WasiModule.count {
            let function = WasiModule.function(index)
            var definition = try HostFunctionDefinition(trampoline: function.trampoline, callback: nil, environment: nil, finalizer: nil)
            let letters = function.parameters
            for offset in 0..<letters.utf8CodeUnitCount {
                try definition.parameters.append(letters.utf8Start[offset] == UInt8(ascii: "I") ? .i64 : .i32)
            }
            if function.returnsErrno { try definition.results.append(.i32) }
            try define(module: UnsafeRawPointer(WasiModule.name.utf8Start), WasiModule.name.utf8CodeUnitCount,
                       name: UnsafeRawPointer(function.name.utf8Start), function.name.utf8CodeUnitCount,
                       .function(definition), diagnostic: &diagnostic)
        }
    }
}
