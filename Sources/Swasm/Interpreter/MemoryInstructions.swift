import CSwasm

/// Size, growth and bulk operations on any memory of the running instance: another index than
/// 0, 64-bit addresses (memory64), pages of another size. Memory 0 with 32-bit addresses and
/// 64 KiB pages has its own instructions on the pinned memory; these read the memory's type to
/// know how wide their operands are, so a crafted artifact can only get a bounds-checked access.
extension Interpreter {
    /// Memory `index` (the low 32 bits of an immediate) of the running instance.
    @inline(__always)
    static func memory(_ ex: UnsafeMutablePointer<swasm_exec>, _ immediate: UInt64) -> UnsafeMutablePointer<LinearMemory> {
        LinearMemory.owning(ex.pointee.context.pointee.memories[Int(truncatingIfNeeded: immediate & 0xffff_ffff)]!)
    }

    /// An address or length operand of `memory`'s address type.
    @inline(__always)
    static func address(_ fp: UnsafeMutablePointer<UInt64>, _ slot: Int, is64: Bool) -> UInt64 {
        is64 ? fp.i64(slot) : UInt64(fp.i32(slot))
    }

    /// Whether `count` bytes from `start` lie inside `size` bytes (no sum that could wrap).
    @inline(__always)
    static func inBounds(_ start: UInt64, _ count: UInt64, _ size: UInt64) -> Bool {
        start <= size && count <= size &- start
    }

    /// `memory.size`: the memory's size in its pages (an i64 for a 64-bit memory; the slot holds
    /// both alike).
    @inline(__always)
    static func memorySize(_ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>, result: Int, memory immediate: UInt64) {
        fp[result] = memory(ex, immediate).pointee.pageCount
    }

    /// `memory.grow`: imm = memory | constant delta << 32 (the fuel a failed growth costs, as for
    /// memory 0). The pinned memory is memory 0 again afterwards (growth may move any memory).
    @inline(never)
    static func growMemory(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                           result: Int, delta: Int) -> UnsafePointer<UInt64>? {
        let target = memory(ex, ip[2])
        let is64 = target.pointee.type.is64
        let pages = address(fp, delta, is64: is64)
        let old = Store.running(ex).pointee.grow(target, by: pages)
        fp[result] = old ?? (is64 ? UInt64.max : UInt64(UInt32.max))
        ex.pointee.memory = ex.pointee.context.pointee.memory.pointee
        ex.pointee.memory_size = cswasm_atomic_load_u64(ex.pointee.context.pointee.memory_size)
        if chargeFuel(ex, units: old == nil ? ip[2] >> 32 : pages) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `memory.fill`: x destination, y byte value, z length; imm = memory.
    @inline(never)
    static func memoryFill(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                           _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let target = memory(ex, imm)
        let is64 = target.pointee.type.is64
        let destination = address(fp, x, is64: is64), count = address(fp, z, is64: is64)
        guard inBounds(destination, count, target.pointee.currentByteCount) else { return trap(ex, .memoryOutOfBounds) }
        if count > 0 { target.pointee.base!.advanced(by: Int(destination)).update(repeating: UInt8(truncatingIfNeeded: fp[y]), count: Int(count)) }
        if chargeFuel(ex, units: count) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `memory.copy`: x destination, y source, z length; imm = destination memory | source memory
    /// << 32. The length is an i64 only when both memories are 64-bit.
    @inline(never)
    static func memoryCopy(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                           _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let target = memory(ex, imm), origin = memory(ex, imm >> 32)
        let targetIs64 = target.pointee.type.is64, originIs64 = origin.pointee.type.is64
        let destination = address(fp, x, is64: targetIs64), source = address(fp, y, is64: originIs64)
        let count = address(fp, z, is64: targetIs64 && originIs64)
        guard inBounds(destination, count, target.pointee.currentByteCount), inBounds(source, count, origin.pointee.currentByteCount) else {
            return trap(ex, .memoryOutOfBounds)
        }
        if count > 0 {
            UnsafeMutableRawPointer(target.pointee.base!.advanced(by: Int(destination)))
                .copyMemory(from: origin.pointee.base!.advanced(by: Int(source)), byteCount: Int(count))
        }
        if chargeFuel(ex, units: count) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `memory.init`: x destination (the memory's address type), y source and z length (i32);
    /// imm = memory | data segment << 32.
    @inline(never)
    static func memoryInit(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                           _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let target = memory(ex, imm)
        let segment = ex.pointee.context.pointee.data.advanced(by: Int(truncatingIfNeeded: imm >> 32))
        let destination = address(fp, x, is64: target.pointee.type.is64)
        let source = UInt64(fp.i32(y)), count = UInt64(fp.i32(z))
        guard inBounds(destination, count, target.pointee.currentByteCount), inBounds(source, count, segment.pointee.size) else {
            return trap(ex, .memoryOutOfBounds)
        }
        if count > 0 {
            UnsafeMutableRawPointer(target.pointee.base!.advanced(by: Int(destination)))
                .copyMemory(from: segment.pointee.bytes.advanced(by: Int(source)), byteCount: Int(count))
        }
        if chargeFuel(ex, units: count) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// After an out-of-bounds access of the pinned memory: whether it is a shared memory that
    /// another thread has grown since this call read its size. If so the size is refreshed and the
    /// trap withdrawn, for the access to run again (a shared memory's base never moves, and
    /// every access checks its bounds before it has any effect).
    static func refreshGrownSharedMemory(_ ex: UnsafeMutablePointer<swasm_exec>) -> Bool {
        guard ex.pointee.trap == TrapCode.memoryOutOfBounds.stopValue, let context = ex.pointee.context,
              let instance = context.pointee.instance?.assumingMemoryBound(to: Instance.self),
              let memories = context.pointee.memories else { return false }
        for index in 0..<instance.pointee.memoryCount {
            guard let view = memories[index], view.pointee.base == ex.pointee.memory else { continue }
            let memory = LinearMemory.owning(view)
            guard memory.pointee.type.isShared else { return false }
            let size = memory.pointee.currentByteCount
            guard size > ex.pointee.memory_size else { return false }
            ex.pointee.memory_size = size
            ex.pointee.trap = 0
            return true
        }
        return false
    }
}
