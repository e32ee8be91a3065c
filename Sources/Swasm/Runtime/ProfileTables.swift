/// The tables of one thread of a profile in the Firefox profiler's processed format, built as
/// samples arrive: each string, library, function, frame and stack is stored once (interned)
/// and named by its index, a stack by its innermost frame and the stack of its callers (its
/// prefix). Every `intern` either adds a complete entry or, when memory runs out, leaves the
/// tables as they were (an orphaned string's bytes apart), so a failed sample never leaves
/// them inconsistent. Libraries and resources are one to one (one per profiled module), as are
/// functions and native symbols.
struct ProfileTables: ~Copyable {
    /// A function of a profiled module, with its native symbol: where its body lies in the
    /// module's bytes (the symbol's address and size) and its name.
    struct Function: BitwiseCopyable {
        var name: Int
        var library: Int
        var address: Int
        var size: Int
    }

    struct Library: BitwiseCopyable {
        var module: Int
        var name: Int
    }

    struct Frame: BitwiseCopyable {
        /// Module offset of the instruction the frame is stopped at.
        var address: Int
        var function: Int
    }

    struct Stack: BitwiseCopyable {
        var prefix: Int? // nil: an outermost frame
        var frame: Int
    }

    struct Sample: BitwiseCopyable {
        var stack: Int? // nil: no WebAssembly frame of a profiled module
        /// Since the profiler was made.
        var time: UInt64
        var cpuDelta: UInt64
    }

    /// Bytes of every string, and where each string lies in them.
    var stringBytes = ByteBuffer()
    var strings = FallibleVector<ByteRange>()
    private var stringIndex = FallibleHashMap<StringKey, Int>()
    /// Each library's profiled module and name, by library index.
    var libraries = FallibleVector<Library>()
    var functions = FallibleVector<Function>()
    private var functionIndex = FallibleHashMap<PairKey, Int>()
    var frames = FallibleVector<Frame>()
    private var frameIndex = FallibleHashMap<PairKey, Int>()
    var stacks = FallibleVector<Stack>()
    private var stackIndex = FallibleHashMap<PairKey, Int>()
    var samples = FallibleVector<Sample>()

    /// The index of the string of `count` bytes at `bytes`.
    mutating func internString(_ bytes: UnsafeRawPointer?, count: Int) throws(SwasmError) -> Int {
        let hash = fnv1aHash(bytes, count: count)
        let found = stringIndex.withValue(hash: hash, matching: { (key: borrowing StringKey) -> Bool in
            let range = strings[key.index]
            return range.count == count && (count == 0 || stringBytes.bytes.map { memoryEqual($0.advanced(by: range.start), bytes, count) } ?? false)
        }, { $0 })
        if let found { return found }
        try strings.reserve(strings.count &+ 1)
        let start = stringBytes.count
        try stringBytes.append(bytes, count: count)
        let index = strings.count
        try stringIndex.insert(StringKey(hash: hash, index: index), index)
        try strings.append(ByteRange(start: start, count: count)) // reserved: cannot fail
        return index
    }

    /// The library of profiled module `module`, `known` by module (-1 until it is made),
    /// named `name`. Made on the first frame of the module, as libraries are listed in the order
    /// the profile first meets them.
    mutating func library(of module: Int, known: inout Int, name: borrowing ByteBuffer) throws(SwasmError) -> Int {
        if known >= 0 { return known }
        try libraries.reserve(libraries.count &+ 1)
        let nameString = try internString(name.bytes.map { UnsafeRawPointer($0) }, count: name.count)
        known = libraries.count
        try libraries.append(Library(module: module, name: nameString)) // reserved: cannot fail
        return known
    }

    /// The function `key` (profiled module, defined function index), made by `make` (which
    /// interns its name and library) the first time.
    mutating func function(_ key: PairKey, make: (inout ProfileTables) throws(SwasmError) -> Function) throws(SwasmError) -> Int {
        if let found = functionIndex.withValue(for: key, { $0 }) { return found }
        let function = try make(&self)
        try functions.reserve(functions.count &+ 1)
        try functionIndex.insert(key, functions.count)
        try functions.append(function) // reserved: cannot fail
        return functions.count &- 1
    }

    /// The frame `key` (profiled module, module offset) of `function`.
    mutating func frame(_ key: PairKey, address: Int, function: Int) throws(SwasmError) -> Int {
        if let found = frameIndex.withValue(for: key, { $0 }) { return found }
        try frames.reserve(frames.count &+ 1)
        try frameIndex.insert(key, frames.count)
        try frames.append(Frame(address: address, function: function)) // reserved: cannot fail
        return frames.count &- 1
    }

    /// The stack of `frame` called from the stack `prefix`.
    mutating func stack(prefix: Int?, frame: Int) throws(SwasmError) -> Int {
        let key = PairKey(first: UInt64(truncatingIfNeeded: (prefix ?? -1) &+ 1), second: UInt64(truncatingIfNeeded: frame))
        if let found = stackIndex.withValue(for: key, { $0 }) { return found }
        try stacks.reserve(stacks.count &+ 1)
        try stackIndex.insert(key, stacks.count)
        try stacks.append(Stack(prefix: prefix, frame: frame)) // reserved: cannot fail
        return stacks.count &- 1
    }

    /// The bytes of string `index`.
    func string(_ index: Int) -> (bytes: UnsafeRawPointer?, count: Int) {
        let range = strings[index]
        return (stringBytes.bytes.map { UnsafeRawPointer($0.advanced(by: range.start)) }, range.count)
    }
}

/// A hash map key of two numbers.
struct PairKey: HashMapKey, BitwiseCopyable {
    var first: UInt64
    var second: UInt64

    var hashCode: UInt64 {
        var words = (first, second)
        return withUnsafeBytes(of: &words) { fnv1aHash($0.baseAddress, count: 16) }
    }

    func isEqual(to other: borrowing PairKey) -> Bool {
        let (otherFirst, otherSecond) = (other.first, other.second)
        return first == otherFirst && second == otherSecond
    }
}

/// A string of `ProfileTables` as a hash map key: its hash, and its index (lookups compare the
/// bytes themselves; two entries are never the same string).
private struct StringKey: HashMapKey, BitwiseCopyable {
    var hash: UInt64
    var index: Int
    var hashCode: UInt64 { hash }
    func isEqual(to other: borrowing StringKey) -> Bool { index == other.index }
}

private func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer?, _ count: Int) -> Bool {
    guard let b else { return count == 0 }
    for index in 0..<count where a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) {
        return false
    }
    return true
}
