import CSwasm

/// The out-of-line parts of instruction execution: traps, memory growth, fuel and interruption.
/// Instruction bodies (Generated/InstructionBodies.swift) call these on their slow paths; calls
/// and returns are C handlers (SwasmExec.h), host calls enter the runtime (Runtime/HostFunctions.swift).
public enum Interpreter {
    /// Records a trap and leaves the threaded code. Inlined: a call on a handler's trap path
    /// would make every handler save registers on its fast path too.
    @inline(__always)
    static func trap(_ ex: UnsafeMutablePointer<swasm_exec>, _ code: TrapCode) -> UnsafePointer<UInt64>? {
        ex.pointee.trap = code.stopValue
        return nil
    }

    /// The trap that stopped execution, if any.
    public static func trapCode(_ ex: UnsafePointer<swasm_exec>) -> TrapCode? {
        TrapCode(stopValue: ex.pointee.trap)
    }

    /// `memory.grow` of memory 0: the previous size in pages, or -1 when the memory cannot grow
    /// (its maximum, the store's limiter, or no memory available).
    @inline(never)
    static func memoryGrow(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                           result: Int, delta: Int) -> UnsafePointer<UInt64>? {
        let memory = LinearMemory.owning(baseField: ex.pointee.context.pointee.memory)
        let pages = UInt64(fp.i32(delta))
        let old = Store.running(ex).pointee.grow(memory, by: pages)
        fp.setI32(result, old.map { UInt32(truncatingIfNeeded: $0) } ?? UInt32.max)
        ex.pointee.memory = memory.pointee.base
        ex.pointee.memory_size = memory.pointee.currentByteCount
        // A constant delta of at most 128 pages is charged even when the growth fails, as
        // wasmtime's compiled code does (the compiler puts it in the immediate); otherwise a
        // growth costs its delta when it succeeds.
        if chargeFuel(ex, units: old == nil ? ip[2] : pages) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// Charges `units` of fuel for the bytes, elements or pages a bulk instruction or a growth
    /// just handled, as wasmtime does (one unit each, after the work), when the engine meters
    /// fuel. True when fuel is then exhausted: the instruction's effect stays, and the call traps
    /// (or, with an async call's next interval waiting, goes on after it).
    @inline(__always)
    static func chargeFuel(_ ex: UnsafeMutablePointer<swasm_exec>, units: UInt64) -> Bool {
        guard ex.pointee.meters_fuel != 0 else { return false }
        ex.pointee.fuel &-= Int64(bitPattern: min(units, UInt64(Int64.max)))
        return ex.pointee.fuel <= 0
    }

    /// A load or store out of bounds: records the first address past the memory it touched (as
    /// wasmtime's "memory fault at wasm address ..." reports it) and traps. Inlined (three
    /// stores) so that load and store handlers keep needing no stack frame.
    @inline(__always)
    static func memoryFault(_ ex: UnsafeMutablePointer<swasm_exec>, _ address: UInt64, _ memSize: UInt64) -> UnsafePointer<UInt64>? {
        ex.pointee.fault_address = address < memSize ? memSize : address
        return trap(ex, .memoryOutOfBounds)
    }

    /// Fuel ran out at a check: the call traps (and the store then holds none, as wasmtime
    /// reports it), unless an async call's next interval of fuel waits (`Store.continuation`, which
    /// adds it to what is left, below zero if the last charge overshot). Inlined (one store) so
    /// that the fuel checks' handlers need no stack frame.
    @inline(__always)
    static func outOfFuel(_ ex: UnsafeMutablePointer<swasm_exec>) -> UnsafePointer<UInt64>? {
        trap(ex, .outOfFuel)
    }

    /// The epoch deadline passed: the store decides (`Store.epochDeadlineReached`) whether
    /// running code continues or the call stops.
    @inline(never)
    static func epochReached(_ ip: UnsafePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>) -> UnsafePointer<UInt64>? {
        Store.epochDeadlineReached(ex, at: ip) ? ip.advanced(by: 1) : nil
    }
}
