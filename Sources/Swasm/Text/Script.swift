/// The command model of a `.wast` script (the spec test-suite format), produced by
/// `Script.parse`. Every module is already in binary form (assembled from text, or the bytes of a
/// `binary` form), so a runner only decodes, validates, instantiates and invokes.
///
/// A runner walks `commands` in order:
/// - `.module`: decode/validate/instantiate `module.binary`; it becomes the current module, and
///   the named one when `module.hasName`. A module that failed to assemble
///   (`!module.isWellFormed`) is an error of the script. A definition (`module.isDefinition`) is
///   only compiled, and kept under its name for `.moduleInstance`.
/// - `.moduleInstance`: instantiate definition `definition`, named `instanceName` if any.
/// - `.register`: make module `registerModule` (the current one when `!hasRegisterModule`)
///   importable under the name `text`.
/// - `.action`: perform `action` (invoke or get), ignoring the results.
/// - `.assertReturn`: perform `action`; the results must match `expected`.
/// - `.assertTrap`: perform `action` (or, when `hasModule`, instantiate `module`); it must trap
///   with a message containing `text`.
/// - `.assertExhaustion`: perform `action`; it must exhaust the call stack (`text`).
/// - `.assertMalformed`: `module` must be rejected as malformed: for `.quote`/`.text` forms that is
///   `!module.isWellFormed` (the assembler refused it), for `.binary` forms decoding must fail.
/// - `.assertInvalid`: `module` must fail validation (`text` is the expected message).
/// - `.assertUnlinkable`: `module` must fail to link (`text`).
/// - `.assertUninstantiable`: `module` must trap during instantiation (`text`).
/// - `.assertException`: perform `action`; it must end with an uncaught WebAssembly exception
///   (exception handling's `assert_exception`, which has no message).
///
/// The raw values of the enums below are the `SWASM_SCRIPT_*` constants of `include/swasm.h`
/// (`CAPI/SwasmScript.swift` hands them to C as they are): keep them in step.
public struct Script: ~Copyable {
    public var commands = FallibleVector<ScriptCommand>()

    public init() {}
}

public enum ScriptCommandKind: UInt8, BitwiseCopyable {
    case module
    case register
    case action
    case assertReturn
    case assertTrap
    case assertExhaustion
    case assertMalformed
    case assertInvalid
    case assertUnlinkable
    case assertUninstantiable
    case moduleInstance
    case assertException
}

public struct ScriptCommand: ~Copyable {
    public var kind: ScriptCommandKind
    /// Where the command starts in the script (1-based).
    public var line: UInt32
    public var column: UInt32
    /// The module of `.module` and of module assertions (`hasModule`). Not public (nor `action`):
    /// a public non-copyable property gets a read coroutine whose frame is malloc'ed without a
    /// failure check (tests-c/static catches it).
    var module = ScriptModule()
    public var hasModule = false
    /// The action of `.action`, `.assertReturn`, `.assertTrap` (without module), `.assertExhaustion`
    /// and `.assertException`.
    var action = ScriptAction()
    public var hasAction = false
    /// `.assertReturn`'s expected results, in order.
    public var expected = FallibleVector<ScriptExpectation>()
    /// The alternatives of `(either ...)` results (see `ScriptExpectation.alternatives`).
    public var alternatives = FallibleVector<ScriptExpectation>()
    /// The expected failure message of assertions, or the name of `.register`.
    public var text = ByteBuffer()
    /// `.register`'s module (`$id` without `$`).
    public var registerModule = ByteBuffer()
    public var hasRegisterModule = false
    /// `.moduleInstance`: the definition instantiated and the instance's name (`$id`s without `$`).
    public var definition = ByteBuffer()
    public var instanceName = ByteBuffer()
    public var hasInstanceName = false

    public init(kind: ScriptCommandKind, line: UInt32, column: UInt32) {
        self.kind = kind
        self.line = line
        self.column = column
    }
}

public enum ScriptModuleForm: UInt8, BitwiseCopyable {
    /// `(module field*)`: assembled from the script's own text.
    case text
    /// `(module binary "...")`: the bytes as written (not decoded).
    case binary
    /// `(module quote "...")`: the quoted text, assembled separately.
    case quote
}

public struct ScriptModule: ~Copyable {
    public var form: ScriptModuleForm = .text
    /// `$id` without the `$` (when `hasName`).
    public var name = ByteBuffer()
    public var hasName = false
    /// The binary module (valid only when `isWellFormed`).
    public var binary = ByteBuffer()
    /// False when the text could not be assembled; `failure` holds the assembler's message.
    public var isWellFormed = true
    public var failure = ByteBuffer()
    /// The quoted text of a `.quote` module.
    public var text = ByteBuffer()
    /// `(module definition ...)`: compiled, not instantiated.
    public var isDefinition = false

    public init() {}
}

public enum ScriptActionKind: UInt8, BitwiseCopyable {
    case invoke
    case get
}

public struct ScriptAction: ~Copyable {
    public var kind: ScriptActionKind = .invoke
    /// The module addressed (`$id` without `$`); the current module when `!hasModuleName`.
    public var moduleName = ByteBuffer()
    public var hasModuleName = false
    /// The export invoked or read.
    public var field = ByteBuffer()
    public var arguments = FallibleVector<ScriptValue>()

    public init() {}
}

public enum ScriptValueKind: UInt8, BitwiseCopyable {
    case i32
    case i64
    case f32
    case f64
    case v128
    case nullFunctionReference
    case nullExternReference
    /// `(ref.extern n)`: the host reference numbered `low`.
    case externReference
    /// `(ref.func n)`: a function reference (`low`: the number, when given).
    case functionReference
    /// `(ref.null any|none|eq|i31|struct|array)`: the null of the `any` hierarchy.
    case nullAnyReference
    /// `(ref.null exn|noexn)`.
    case nullExceptionReference
    /// `(ref.null $t)` or `(ref.null n)`: the null of a defined type, whose hierarchy the script
    /// does not tell (`low`: n, or `UInt64.max` for a name).
    case nullTypedReference
    /// `(ref.host n)`: host reference n seen as an `anyref` (`any.convert_extern` of `ref.extern n`).
    case hostReference
}

/// A constant argument or result: bit patterns (f32 and i32 in the low 32 bits of `low`, v128
/// lanes little-endian in `low` then `high`).
public struct ScriptValue: BitwiseCopyable, Equatable {
    public var kind: ScriptValueKind
    public var low: UInt64
    public var high: UInt64

    public init(kind: ScriptValueKind, low: UInt64 = 0, high: UInt64 = 0) {
        self.kind = kind
        self.low = low
        self.high = high
    }
}

public enum ScriptExpectationKind: UInt8, BitwiseCopyable {
    /// Exactly `value` (floats bit for bit, including NaN payloads).
    case value
    /// A canonical NaN of `value.kind` (f32 or f64), either sign.
    case canonicalNaN
    /// An arithmetic NaN (quiet bit set) of `value.kind`, either sign.
    case arithmeticNaN
    /// A v128 whose lanes of `shape` match `value` lane by lane, except the lanes whose pattern
    /// (see `lanePattern(_:)`) asks for a canonical or arithmetic NaN.
    case vectorLanes
    /// `(ref.extern)`: any non-null extern reference.
    case anyExternReference
    /// `(ref.func)`: any non-null function reference.
    case anyFunctionReference
    /// `(either ...)`: any of `alternativeCount` expectations from `alternativeStart` in the
    /// command's `alternatives`.
    case either
    /// `(ref.null)`: a null reference of any type.
    case anyNullReference
    /// `(ref.any)`: any non-null reference of the `any` hierarchy.
    case anyAnyReference
    /// `(ref.eq)`: any non-null `eqref` (an i31, a struct or an array).
    case anyEqReference
    /// `(ref.i31)`: any `i31ref`.
    case anyI31Reference
    /// `(ref.struct)`: any non-null `structref`.
    case anyStructReference
    /// `(ref.array)`: any non-null `arrayref`.
    case anyArrayReference
}

public enum ScriptLaneShape: UInt8, BitwiseCopyable {
    case i8x16
    case i16x8
    case i32x4
    case i64x2
    case f32x4
    case f64x2

    public var laneCount: Int {
        switch self {
        case .i8x16: return 16
        case .i16x8: return 8
        case .i32x4, .f32x4: return 4
        case .i64x2, .f64x2: return 2
        }
    }
}

public enum ScriptLanePattern: UInt8, BitwiseCopyable {
    case exact = 0
    case canonicalNaN = 1
    case arithmeticNaN = 2
}

public struct ScriptExpectation: BitwiseCopyable {
    public var kind: ScriptExpectationKind
    public var value: ScriptValue
    /// The lanes of `.vectorLanes`, and the shape a v128 `.value` was written in.
    public var shape: ScriptLaneShape = .i32x4
    /// Two bits per lane (lane 0 lowest) of `ScriptLanePattern`, for f32x4 and f64x2.
    public var lanePatterns: UInt8 = 0
    public var alternativeStart: Int = 0
    public var alternativeCount: Int = 0

    public init(kind: ScriptExpectationKind, value: ScriptValue) {
        self.kind = kind
        self.value = value
    }

    public func lanePattern(_ lane: Int) -> ScriptLanePattern {
        ScriptLanePattern(rawValue: (lanePatterns >> UInt8(truncatingIfNeeded: (lane & 3) &* 2)) & 3) ?? .exact
    }
}
