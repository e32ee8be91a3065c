import CSwasm

/// `poll_oneoff`: waits for clocks and descriptors. Subscriptions are 48 bytes (userdata, tag,
/// then a clock: id, timeout, precision, flags; or a descriptor), events 32 bytes (userdata,
/// errno, type, then bytes available and flags for descriptors).
enum WasiPoll {
    static let clockTag: UInt8 = 0
    static let readTag: UInt8 = 1
    static let writeTag: UInt8 = 2
    static let absoluteTime: UInt16 = 1
    static let hangup: UInt16 = 1

    /// in, out, nsubscriptions, nevents out.
    static let pollOneoff: HostTrampoline = {
        WasiCall.run($0) { w in
            let input = w.u32(0), output = w.u32(1), count = w.u32(2)
            guard count > 0 else { return UInt16(CSWASM_WASI_EINVAL) }
            guard w.bytes(input, UInt64(count) &* 48) != nil, w.bytes(output, UInt64(count) &* 32) != nil else {
                return UInt16(CSWASM_WASI_EFAULT)
            }
            // Per subscription: a pollfd word, its bytes available, and its subscription's index.
            let words = Int(count) &* 3
            let errno = ScratchBuffer.with(UInt64.self, count: words) { (scratch) -> UInt16 in
                poll(&w, input: input, output: output, count: Int(count),
                     pollfds: UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: cswasm_wasi_pollfd.self),
                     nbytes: scratch.advanced(by: Int(count)), owners: scratch.advanced(by: Int(count) &* 2))
            }
            return errno ?? WasiCall.outOfMemory
        }
    }

    private static func poll(_ w: inout WasiCall, input: UInt32, output: UInt32, count: Int,
                             pollfds: UnsafeMutablePointer<cswasm_wasi_pollfd>, nbytes: UnsafeMutablePointer<UInt64>,
                             owners: UnsafeMutablePointer<UInt64>) -> UInt16 {
        var events: UInt32 = 0
        var polled = 0
        var timeout: Int64 = -1
        func emit(_ w: inout WasiCall, _ subscription: UInt32, errno: UInt16, bytes: UInt64, flags: UInt16) {
            let event = output &+ events &* 32
            let type = w.load(UInt8.self, at: subscription &+ 8) ?? 0
            _ = w.store(w.load(UInt64.self, at: subscription) ?? 0, at: event)
            _ = w.store(errno, at: event &+ 8)
            _ = w.store(type, at: event &+ 10)
            _ = w.store(UInt8(0), at: event &+ 11)
            _ = w.store(UInt32(0), at: event &+ 12)
            _ = w.store(bytes, at: event &+ 16)
            _ = w.store(flags, at: event &+ 24)
            _ = w.store(UInt16(0), at: event &+ 26)
            _ = w.store(UInt32(0), at: event &+ 28)
            events &+= 1
        }
        // Sort the subscriptions: descriptors that are ready at once, host descriptors to poll,
        // and the earliest clock.
        for index in 0..<count {
            let subscription = input &+ UInt32(index) &* 48
            let tag = w.load(UInt8.self, at: subscription &+ 8) ?? 0xff
            switch tag {
            case clockTag:
                let id = w.load(UInt32.self, at: subscription &+ 16) ?? 0
                var deadline = w.load(UInt64.self, at: subscription &+ 24) ?? 0
                let flags = w.load(UInt16.self, at: subscription &+ 40) ?? 0
                var now: UInt64 = 0
                // As wasmtime: an unknown clock or unknown clock flags fail the whole call.
                if id > UInt32(CSWASM_WASI_CLOCK_THREAD_CPUTIME_ID) || flags & ~absoluteTime != 0 { return UInt16(CSWASM_WASI_EINVAL) }
                let errno = cswasm_wasi_clock_time_get(id, 0, &now)
                if errno != 0 {
                    emit(&w, subscription, errno: errno, bytes: 0, flags: 0)
                    continue
                }
                if flags & absoluteTime != 0 { deadline = deadline > now ? deadline &- now : 0 }
                let wait = Int64(clamping: deadline)
                if timeout < 0 || wait < timeout { timeout = wait }
            case readTag, writeTag:
                let fd = w.load(UInt32.self, at: subscription &+ 16) ?? UInt32.max
                // As wasmtime: a descriptor that is not open, a directory, or one that cannot be
                // read (or written) fails the whole call.
                guard let entry = w.descriptor(fd), !entry.pointee.isDirectory,
                      tag == readTag ? entry.pointee.readable : entry.pointee.writable else { return UInt16(CSWASM_WASI_EBADF) }
                switch entry.pointee.kind {
                case .host:
                    pollfds[polled] = cswasm_wasi_pollfd(fd: entry.pointee.hostFD,
                                                         events: Int16(tag == readTag ? CSWASM_WASI_POLL_READ : CSWASM_WASI_POLL_WRITE), revents: 0)
                    owners[polled] = UInt64(subscription)
                    polled &+= 1
                case .inputBytes:
                    let left = w.wasi.pointee.stdinBytes.count &- w.wasi.pointee.stdinPosition
                    emit(&w, subscription, errno: tag == readTag ? 0 : UInt16(CSWASM_WASI_EBADF), bytes: UInt64(left),
                         flags: left == 0 ? hangup : 0)
                default:
                    emit(&w, subscription, errno: tag == writeTag ? 0 : UInt16(CSWASM_WASI_EBADF), bytes: 0, flags: 0)
                }
            default:
                // An unknown event type fails the whole call (wasmtime).
                return UInt16(CSWASM_WASI_EINVAL)
            }
        }
        // Something is ready already: only look at the host descriptors, do not wait.
        if events > 0 { timeout = 0 }
        var ready = 0
        if polled > 0 || timeout >= 0 {
            let errno = cswasm_wasi_poll(pollfds, polled, timeout, nbytes, &ready)
            if errno != 0 { return errno }
        }
        for index in 0..<polled where pollfds[index].revents != 0 {
            let revents = Int32(pollfds[index].revents)
            let failed = revents & (CSWASM_WASI_POLL_ERROR | CSWASM_WASI_POLL_INVALID) != 0
            emit(&w, UInt32(owners[index]), errno: failed ? UInt16(CSWASM_WASI_EIO) : 0, bytes: nbytes[index],
                 flags: revents & CSWASM_WASI_POLL_HANGUP != 0 ? hangup : 0)
        }
        // Nothing became ready: the earliest clocks fired.
        if events == 0 && timeout >= 0 {
            for index in 0..<count {
                let subscription = input &+ UInt32(index) &* 48
                guard w.load(UInt8.self, at: subscription &+ 8) == clockTag else { continue }
                let id = w.load(UInt32.self, at: subscription &+ 16) ?? 0
                var deadline = w.load(UInt64.self, at: subscription &+ 24) ?? 0
                if (w.load(UInt16.self, at: subscription &+ 40) ?? 0) & absoluteTime != 0 {
                    var now: UInt64 = 0
                    _ = cswasm_wasi_clock_time_get(id, 0, &now)
                    deadline = deadline > now ? deadline &- now : 0
                }
                if Int64(clamping: deadline) <= timeout { emit(&w, subscription, errno: 0, bytes: 0, flags: 0) }
            }
        }
        return w.result(events, at: w.u32(3))
    }
}
