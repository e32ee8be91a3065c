/// WebAssembly proposals an engine accepts. Validation consults these switches.
public struct Features: OptionSet, BitwiseCopyable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let mutableGlobals = Features(rawValue: 1 << 0)
    public static let signExtension = Features(rawValue: 1 << 1)
    public static let saturatingFloatToInt = Features(rawValue: 1 << 2)
    public static let multiValue = Features(rawValue: 1 << 3)
    public static let referenceTypes = Features(rawValue: 1 << 4)
    public static let bulkMemory = Features(rawValue: 1 << 5)
    public static let simd = Features(rawValue: 1 << 6)
    public static let relaxedSimd = Features(rawValue: 1 << 7)
    public static let tailCall = Features(rawValue: 1 << 8)
    public static let multiMemory = Features(rawValue: 1 << 9)
    public static let memory64 = Features(rawValue: 1 << 10)
    public static let threads = Features(rawValue: 1 << 11)
    public static let functionReferences = Features(rawValue: 1 << 12)
    public static let gc = Features(rawValue: 1 << 13)
    public static let exceptions = Features(rawValue: 1 << 14)
    public static let extendedConst = Features(rawValue: 1 << 15)
    public static let wideArithmetic = Features(rawValue: 1 << 16)
    public static let customPageSizes = Features(rawValue: 1 << 17)
    public static let branchHinting = Features(rawValue: 1 << 18)
    public static let stackSwitching = Features(rawValue: 1 << 19)

    /// WebAssembly 2.0: what a default engine accepts.
    public static let webAssembly2: Features = [
        .mutableGlobals, .signExtension, .saturatingFloatToInt, .multiValue,
        .referenceTypes, .bulkMemory, .simd,
    ]

    /// What swasm implements: an engine may switch these on or off. Switching on any other
    /// proposal makes module compilation fail, naming it (`firstUnsupported`).
    public static let implemented: Features = webAssembly2.union([.tailCall, .extendedConst, .relaxedSimd, .multiMemory, .memory64, .wideArithmetic,
                                                                     .customPageSizes, .exceptions, .threads, .functionReferences, .gc])

    /// What a new engine accepts: what wasmtime 50 switches on by default, of what swasm
    /// implements (custom page sizes are off, as in wasmtime).
    public static let defaults: Features = implemented.subtracting(.customPageSizes)

    /// The first switched-on proposal swasm does not implement, by the name wasmtime's
    /// configuration gives it, if any.
    public var firstUnsupported: StaticString? {
        let unsupported = Features(rawValue: rawValue & ~Self.implemented.rawValue)
        guard unsupported.rawValue != 0 else { return nil }
        // The lowest switch first (one bit each).
        switch Features(rawValue: unsupported.rawValue & (~unsupported.rawValue &+ 1)) {
        case .relaxedSimd: return "relaxed-simd"
        case .tailCall: return "tail-call"
        case .multiMemory: return "multi-memory"
        case .memory64: return "memory64"
        case .threads: return "threads"
        case .functionReferences: return "function-references"
        case .gc: return "gc"
        case .exceptions: return "exceptions"
        case .extendedConst: return "extended-const"
        case .wideArithmetic: return "wide-arithmetic"
        case .customPageSizes: return "custom-page-sizes"
        case .branchHinting: return "branch-hinting"
        case .stackSwitching: return "stack-switching"
        default: return "an unknown proposal"
        }
    }

    /// Switches whose proposal needs another one; nil when the set is consistent, otherwise why not.
    public var inconsistency: StaticString? {
        if contains(.relaxedSimd) && !contains(.simd) { return "cannot enable the relaxed-simd proposal without the simd proposal" }
        if contains(.functionReferences) && !contains(.referenceTypes) { return "cannot enable function-references without reference-types" }
        if contains(.gc) && !contains(.referenceTypes) { return "cannot enable gc without reference-types" }
        return nil
    }
}
