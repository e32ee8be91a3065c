/// Implementation limits on what a module may declare, as the JS API and wasmparser (wasmtime's
/// decoder) set them. Exceeding one fails with `SwasmError.limitExceeded`. Every count read from a
/// module is also checked against the bytes that remain before anything is allocated for it.
///
/// (This file is `ImplementationLimits.swift` rather than `Limits.swift` because a Swift module
/// cannot hold two files with the same name, and `Types/Limits.swift` exists.)
public enum ImplementationLimits {
    /// Bytes in a module.
    public static let moduleSize = 1 << 30
    public static let types = 1_000_000
    /// Fields of one struct type.
    public static let structFields = 10_000
    /// Operands of one `array.new_fixed`.
    public static let arrayNewFixed: UInt32 = 10_000
    /// Declared supertypes above a type, up to its root.
    public static let subtypingDepth: UInt32 = 63
    /// Functions, imported and defined.
    public static let functions = 1_000_000
    public static let imports = 100_000
    public static let exports = 100_000
    /// Globals, imported and defined.
    public static let globals = 1_000_000
    public static let dataSegments = 100_000
    public static let elementSegments = 100_000
    /// Tables, imported and defined.
    public static let tables = 100_000
    /// Memories with multi-memory (without it, a second memory is invalid: "multiple memories").
    public static let memories = 100
    public static let parameters = 1_000
    public static let results = 1_000
    /// Locals declared by one function (not counting its parameters).
    public static let locals = 50_000
    /// Bytes in one function body.
    public static let functionBodySize = 7_654_321
    public static let brTableTargets = 65_520
    /// Catch clauses of one `try_table` (as many as a br_table's targets).
    public static let catchClauses = 65_520
    /// Minimum size of a table, in elements, when one is created (`StoreLimits.check`; the
    /// module declaring it compiles). A table grows beyond it, up to 2^32 - 2 elements, its
    /// maximum or the store's limiter.
    public static let tableSize = 10_000_000
    /// Tags of a module, imported and defined (wasmparser's limit).
    public static let tags = 1_000_000
    /// Items in one element segment.
    public static let elementItems = 10_000_000
    /// Control blocks (`block`, `loop`, `if`) open at once in a function, counting the function
    /// itself. wasmtime sets no limit of its own: a body's size bounds nesting (each block takes
    /// at least two bytes), and validation and compilation keep their control stacks on the heap.
    public static let controlNesting = functionBodySize
    /// Values on the operand stack of one constant expression at once (extended constant
    /// expressions nest `i32.add`, `i64.mul`, ...). swasm evaluates constant expressions at
    /// instantiation without allocating, on a fixed stack of this many values; a deeper one is
    /// refused when the module is decoded (wasmtime sets no such limit; expressions compilers emit
    /// need two or three).
    public static let constantExpressionStack = 128
}
