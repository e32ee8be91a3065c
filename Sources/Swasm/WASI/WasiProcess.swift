import CSwasm

/// The process side of WASI preview 1: arguments, environment, clocks, randomness, exit,
/// signals and scheduling.
enum WasiProcess {
    /// `args_sizes_get` / `environ_sizes_get`: the count and the bytes the strings take with
    /// their terminators.
    static func sizes(_ w: inout WasiCall, _ strings: borrowing FallibleVector<ByteBuffer>) -> UInt16 {
        var bytes: UInt32 = 0
        for index in 0..<strings.count { bytes &+= UInt32(strings[index].count) &+ 1 }
        guard w.store(UInt32(strings.count), at: w.u32(0)) else { return UInt16(CSWASM_WASI_EFAULT) }
        return w.result(bytes, at: w.u32(1))
    }

    /// `args_get` / `environ_get`: a pointer per string into the buffer, the strings NUL-terminated.
    static func strings(_ w: inout WasiCall, _ strings: borrowing FallibleVector<ByteBuffer>) -> UInt16 {
        var pointer = w.u32(0)
        var buffer = w.u32(1)
        for index in 0..<strings.count {
            let count = UInt32(strings[index].count)
            guard w.store(buffer, at: pointer), let target = w.bytes(buffer, UInt64(count) &+ 1) else { return UInt16(CSWASM_WASI_EFAULT) }
            if count > 0 { target.update(from: strings[index].bytes!, count: Int(count)) }
            target[Int(count)] = 0
            pointer &+= 4
            buffer &+= count &+ 1
        }
        return 0
    }

    static let argsSizesGet: HostTrampoline = { WasiCall.run($0) { w in sizes(&w, w.wasi.pointee.arguments) } }
    static let argsGet: HostTrampoline = { WasiCall.run($0) { w in strings(&w, w.wasi.pointee.arguments) } }
    static let environSizesGet: HostTrampoline = { WasiCall.run($0) { w in sizes(&w, w.wasi.pointee.environment) } }
    static let environGet: HostTrampoline = { WasiCall.run($0) { w in strings(&w, w.wasi.pointee.environment) } }

    static let clockResGet: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.enumeration(UInt64(w.u32(0)), below: 4, "Clockid", in: "clock_res_get") else { return 0 }
            var resolution: UInt64 = 0
            let errno = cswasm_wasi_clock_res_get(w.u32(0), &resolution)
            return errno != 0 ? errno : w.result(resolution, at: w.u32(1))
        }
    }

    static let clockTimeGet: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.enumeration(UInt64(w.u32(0)), below: 4, "Clockid", in: "clock_time_get") else { return 0 }
            var time: UInt64 = 0
            let errno = cswasm_wasi_clock_time_get(w.u32(0), w.u64(1), &time)
            return errno != 0 ? errno : w.result(time, at: w.u32(2))
        }
    }

    static let randomGet: HostTrampoline = {
        WasiCall.run($0) { w in
            let length = w.u32(1)
            guard let buffer = w.bytes(w.u32(0), UInt64(length)) else { return UInt16(CSWASM_WASI_EFAULT) }
            return length == 0 ? 0 : cswasm_wasi_random_get(buffer, Int(length))
        }
    }

    static let schedYield: HostTrampoline = { WasiCall.run($0) { _ in cswasm_wasi_sched_yield() } }

    /// Signals cannot be raised in a sandboxed program: ENOTSUP, as in wasmtime (31 signals
    /// are defined; another number is an invalid value).
    static let procRaise: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.enumeration(UInt64(w.u32(0)), below: 31, "Signal", in: "proc_raise") else { return 0 }
            return UInt16(CSWASM_WASI_ENOTSUP)
        }
    }

    /// Ends the program: the call fails with an error carrying the exit status
    /// (`wasmtime_error_exit_status`), as wasmtime's does.
    static let procExit: HostTrampoline = { raw in
        let call = HostCall.from(raw)
        let status = Int32(bitPattern: UInt32(truncatingIfNeeded: call.pointee.slots[0]))
        // As wasmtime: statuses outside 0..<126 are not exit statuses (shells reserve them).
        guard status >= 0 && status < 126 else {
            return call.pointee.fail(Failure.make(.host, "exit with invalid exit status outside of [0..126)"))
        }
        // No message to allocate: it reads "Exited with i32 exit status N" (`Failure.render`).
        var failure = Failure(kind: .host, message: ByteBuffer())
        failure.exitStatus = status
        call.pointee.fail(failure)
    }
}
