import CSwasm

/// The `sock_*` functions: on sockets the embedder gave the program (inherited or preopened).
enum WasiSockets {
    /// The host socket behind `fd`: EBADF when `fd` is not open, ENOTSOCK when it is not a
    /// host descriptor the program opened or was given (the standard streams are streams).
    static func socket(_ w: inout WasiCall, _ fd: UInt32) -> (Int32, UInt16) {
        guard let entry = w.descriptor(fd) else { return (-1, UInt16(CSWASM_WASI_EBADF)) }
        guard entry.pointee.kind == .host, !entry.pointee.isStandardStream else { return (-1, UInt16(CSWASM_WASI_ENOTSOCK)) }
        return (entry.pointee.hostFD, 0)
    }

    /// fd, fdflags, new fd out.
    static let sockAccept: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(1)), within: 0x1f, "Fdflags", in: "sock_accept") else { return 0 }
            let (listener, errno) = socket(&w, w.u32(0))
            if errno != 0 { return errno }
            var fd: Int32 = -1
            let accepted = cswasm_wasi_sock_accept(listener, UInt16(truncatingIfNeeded: w.u32(1)), &fd)
            if accepted != 0 { return accepted }
            let number: UInt32
            do throws(SwasmError) {
                number = try w.wasi.pointee.adopt(fd) { $0.access = WasiDescriptor.Access.read | WasiDescriptor.Access.write }
            } catch {
                return WasiCall.outOfMemory
            }
            return w.result(number, at: w.u32(2))
        }
    }

    /// fd, ri_data, ri_data_len, ri_flags, ro_datalen out, ro_flags out.
    static let sockRecv: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(3)), within: 0x3, "Riflags", in: "sock_recv") else { return 0 }
            let (fd, errno) = socket(&w, w.u32(0))
            if errno != 0 { return errno }
            var received = 0
            var flags: UInt16 = 0
            let riflags = UInt16(w.u32(3))
            let result = w.withVectors(w.u32(1), w.u32(2)) { cswasm_wasi_sock_recv(fd, $0, $1, riflags, &received, &flags) }
            if result != 0 { return result }
            guard w.store(UInt32(received), at: w.u32(4)) else { return UInt16(CSWASM_WASI_EFAULT) }
            return w.result(flags, at: w.u32(5))
        }
    }

    /// fd, si_data, si_data_len, si_flags, so_datalen out.
    static let sockSend: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(3)), within: 0xffff, "Siflags", in: "sock_send") else { return 0 }
            let (fd, errno) = socket(&w, w.u32(0))
            if errno != 0 { return errno }
            var sent = 0
            let siflags = UInt16(w.u32(3))
            let result = w.withVectors(w.u32(1), w.u32(2)) { (vectors, count) -> UInt16 in
                cswasm_wasi_sock_send(fd, UnsafeMutableRawPointer(vectors).assumingMemoryBound(to: cswasm_wasi_ciovec.self), count, siflags, &sent)
            }
            return result != 0 ? result : w.result(UInt32(sent), at: w.u32(4))
        }
    }

    /// fd, how.
    static let sockShutdown: HostTrampoline = {
        WasiCall.run($0) { w in
            guard w.flags(UInt64(w.u32(1)), within: 0x3, "Sdflags", in: "sock_shutdown") else { return 0 }
            let (fd, errno) = socket(&w, w.u32(0))
            return errno != 0 ? errno : cswasm_wasi_sock_shutdown(fd, UInt8(w.u32(1)))
        }
    }
}
