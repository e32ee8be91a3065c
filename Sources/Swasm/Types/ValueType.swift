/// A WebAssembly value type, stored as its binary-format code so it is trivially copyable and
/// decodes without translation.
public struct ValueType: Equatable, BitwiseCopyable, Sendable {
    public var code: UInt8

    @inline(__always) public init(code: UInt8) { self.code = code }

    public static let i32 = ValueType(code: 0x7f)
    public static let i64 = ValueType(code: 0x7e)
    public static let f32 = ValueType(code: 0x7d)
    public static let f64 = ValueType(code: 0x7c)
    public static let v128 = ValueType(code: 0x7b)
    public static let funcref = ValueType(code: 0x70)
    public static let externref = ValueType(code: 0x6f)

    /// Whether `code` names a value type this runtime knows.
    public var isKnown: Bool {
        switch code {
        case 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f: return true
        default: return false
        }
    }

    public var isNumeric: Bool { code >= 0x7c && code <= 0x7f }
    public var isReference: Bool { self == .funcref || self == .externref }

    /// The `wasm_valkind_t` of wasm.h (I32 0, I64 1, F32 2, F64 3, V128 4, EXTERNREF 128, FUNCREF 129).
    public var wasmKind: UInt8 {
        switch code {
        case 0x7f: return 0
        case 0x7e: return 1
        case 0x7d: return 2
        case 0x7c: return 3
        case 0x7b: return 4
        case 0x6f: return 128
        default: return 129
        }
    }

    /// The value type of a wasm.h `wasm_valkind_t`, or nil for an unknown kind.
    public init?(wasmKind: UInt8) {
        switch wasmKind {
        case 0: self = .i32
        case 1: self = .i64
        case 2: self = .f32
        case 3: self = .f64
        case 4: self = .v128
        case 128: self = .externref
        case 129: self = .funcref
        default: return nil
        }
    }

    /// The `wasmtime_valkind_t` of wasmtime/val.h (I32 0 ... V128 4, FUNCREF 5, EXTERNREF 6).
    public var wasmtimeKind: UInt8 {
        switch code {
        case 0x7f: return 0
        case 0x7e: return 1
        case 0x7d: return 2
        case 0x7c: return 3
        case 0x7b: return 4
        case 0x70: return 5
        default: return 6
        }
    }

    /// The text-format name, for messages.
    public var name: StaticString {
        switch code {
        case 0x7f: return "i32"
        case 0x7e: return "i64"
        case 0x7d: return "f32"
        case 0x7c: return "f64"
        case 0x7b: return "v128"
        case 0x70: return "funcref"
        case 0x6f: return "externref"
        default: return "unknown"
        }
    }
}
