import CSwasm

/// A sampling profiler for WebAssembly guests (`wasmtime_guestprofiler_t`), as wasmtime's
/// `GuestProfiler`: the host calls `sample` at intervals while a store runs (from its epoch
/// deadline callback or a host function), each sample records the store's WebAssembly call
/// stack and the CPU time the host attributes to it, and `profileJSON` writes everything in the
/// Firefox profiler's processed format (Runtime/ProfileJSON.swift).
///
/// Only frames of the modules given at creation are recorded, named by their name section or
/// `<wasm function N>` (N counting the module's defined functions), as wasmtime names them.
/// Addresses are offsets in the module's bytes (wasmtime's are offsets in its native code).
/// A sample that cannot be recorded for lack of memory is dropped and counted; the profile is
/// then incomplete, and writing it fails with out of memory.
public struct GuestProfiler: ~Copyable {
    /// A module whose frames the profile records, under the name the host gave it.
    struct ProfiledModule: ~Copyable {
        let module: Shared<CompiledModule>
        var name: ByteBuffer
        /// Its library in the profile, once a frame of it was recorded (-1 before).
        var library = -1

        deinit { module.release() }
    }

    let engine: Shared<Engine>
    var name: ByteBuffer
    let intervalNanoseconds: UInt64
    /// When the profiler was made: the wall clock (nanoseconds since the Unix epoch) and the
    /// monotonic clock that sample times count from.
    let startWallClock: UInt64
    let startTime: UInt64
    var modules = FallibleVector<ProfiledModule>()
    /// Each profiled module's first index in `modules`, by the address of its shared cell.
    private var moduleIndex = FallibleHashMap<PairKey, Int>()
    var tables = ProfileTables()
    /// The frames of the sample being taken (kept between samples for their storage).
    private var scratch = FallibleVector<TrapFrame>()
    /// Samples dropped because memory ran out.
    public private(set) var droppedSamples = 0

    /// A profiler in its own heap cell, named `name` (UTF-8), expecting a sample every
    /// `intervalNanoseconds`, with room reserved for `moduleCount` modules (`addModule`).
    public static func create(engine: Shared<Engine>, name: UnsafeRawBufferPointer, intervalNanoseconds: UInt64,
                              moduleCount: Int) throws(SwasmError) -> UnsafeMutablePointer<GuestProfiler> {
        guard isUTF8(name) else { throw .invalidArgument }
        let profiler = try Heap.create(GuestProfiler(engine: engine, name: try ByteBuffer(copying: name.baseAddress, count: name.count),
                                                     intervalNanoseconds: intervalNanoseconds))
        do {
            try profiler.pointee.modules.reserve(moduleCount)
        } catch {
            Heap.destroy(profiler)
            throw error
        }
        return profiler
    }

    private init(engine: Shared<Engine>, name: consuming ByteBuffer, intervalNanoseconds: UInt64) {
        self.engine = engine.retain()
        self.name = name
        self.intervalNanoseconds = intervalNanoseconds
        startWallClock = cswasm_realtime_nanoseconds()
        startTime = cswasm_monotonic_nanoseconds()
    }

    deinit { engine.release() }

    /// Adds `module`, named `name` (UTF-8), to the modules whose frames are recorded. Refused
    /// (`invalidArgument`) for a module of another engine or a name that is not UTF-8.
    public mutating func addModule(_ module: Shared<CompiledModule>, name: UnsafeRawBufferPointer) throws(SwasmError) {
        guard module.pointer.pointee.engine.cell == engine.cell,
              Self.isUTF8(name) else { throw .invalidArgument }
        let nameCopy = try ByteBuffer(copying: name.baseAddress, count: name.count)
        let entry = ProfiledModule(module: module.retain(), name: nameCopy)
        let key = PairKey(first: UInt64(UInt(bitPattern: module.cell)), second: 0)
        try modules.reserve(modules.count &+ 1)
        if !moduleIndex.contains(key) { try moduleIndex.insert(key, modules.count) }
        try modules.append(entry) // reserved: cannot fail
    }

    /// Records a sample: the WebAssembly frames `store` runs now (none when it runs nothing, or
    /// runs on another thread than the caller's), with `cpuDelta` nanoseconds of CPU time.
    /// Frames of modules the profiler was not given are left out. Dropped (and counted in
    /// `droppedSamples`) when memory runs out.
    public mutating func sample(_ store: UnsafeMutablePointer<Store>, cpuDelta: UInt64) {
        let time = cswasm_monotonic_nanoseconds() &- startTime
        do throws(SwasmError) {
            scratch.removeAll()
            if let innermost = Store.safepointsOfCallingThread(store) {
                try store.pointee.appendRunningFrames(from: innermost, to: &scratch)
            }
            var stack: Int? = nil
            var index = scratch.count
            while index > 0 { // outermost first: each stack's prefix exists before it
                index &-= 1
                let frame = scratch[index]
                guard let instance = frame.instance?.assumingMemoryBound(to: Instance.self),
                      let module = moduleIndex.withValue(for: PairKey(first: UInt64(UInt(bitPattern: instance.pointee.module.cell)), second: 0), { $0 })
                else { continue }
                let function = try profileFunction(module: module, functionIndex: frame.functionIndex)
                let frameIndex = try tables.frame(PairKey(first: UInt64(module), second: UInt64(truncatingIfNeeded: frame.moduleOffset)),
                                                  address: frame.moduleOffset, function: function)
                stack = try tables.stack(prefix: stack, frame: frameIndex)
            }
            try tables.samples.append(ProfileTables.Sample(stack: stack, time: time, cpuDelta: cpuDelta))
        } catch {
            droppedSamples &+= 1
        }
    }

    /// The profile as JSON (Runtime/ProfileJSON.swift). Out of memory when writing it runs out,
    /// or when a sample was dropped for lack of memory (the profile would be incomplete).
    public func finish() throws(SwasmError) -> ByteBuffer {
        guard droppedSamples == 0 else { throw .outOfMemory }
        return try profileJSON()
    }

    /// The profile's function for function `functionIndex` of profiled module `module`.
    private mutating func profileFunction(module: Int, functionIndex: UInt32) throws(SwasmError) -> Int {
        let entry = modules.base!.advanced(by: module)
        let compiled = entry.pointee.module.pointer
        let defined = Int(functionIndex) &- compiled.pointee.description.importedFunctionCount
        return try tables.function(PairKey(first: UInt64(module), second: UInt64(functionIndex))) { (tables) throws(SwasmError) -> ProfileTables.Function in
            let library = try tables.library(of: module, known: &entry.pointee.library, name: entry.pointee.name)
            let description = withUnsafeMutablePointer(to: &compiled.pointee.description) { UnsafePointer($0) }
            let name: Int
            if let range = description.pointee.functionName(functionIndex) {
                let bytes = description.pointee.slice(range)
                name = try tables.internString(bytes.baseAddress, count: bytes.count)
            } else {
                name = try Self.internNumberedName(defined, into: &tables)
            }
            var body = ByteRange(start: 0, count: 0)
            if defined >= 0, defined < description.pointee.bodies.count {
                body = description.pointee.bodies.base!.advanced(by: defined).pointee.range
            }
            return ProfileTables.Function(name: name, library: library, address: body.start, size: body.count)
        }
    }

    private static func isUTF8(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let base = text.baseAddress else { return text.count == 0 }
        return UTF8Validation.isValid(base.assumingMemoryBound(to: UInt8.self), count: text.count)
    }

    /// Interns `<wasm function N>`, written on the stack.
    private static func internNumberedName(_ number: Int, into tables: inout ProfileTables) throws(SwasmError) -> Int {
        var storage: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0) // 40 bytes: prefix, 20 digits, ">"
        return try withUnsafeMutableBytes(of: &storage) { (raw) throws(SwasmError) -> Int in
            let prefix: StaticString = "<wasm function "
            var length = prefix.utf8CodeUnitCount
            raw.baseAddress!.copyMemory(from: prefix.utf8Start, byteCount: length)
            var digits = 1
            var rest = UInt64(truncatingIfNeeded: number) / 10
            while rest > 0 { digits &+= 1; rest /= 10 }
            rest = UInt64(truncatingIfNeeded: number)
            for position in stride(from: length &+ digits &- 1, through: length, by: -1) {
                raw[position] = UInt8(truncatingIfNeeded: rest % 10) &+ 48
                rest /= 10
            }
            length &+= digits
            raw[length] = UInt8(ascii: ">")
            return try tables.internString(raw.baseAddress, count: length &+ 1)
        }
    }
}
