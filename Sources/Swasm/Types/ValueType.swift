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
    /// A reference to an exception (exception handling).
    public static let exnref = ValueType(code: 0x69)

    /// Whether `code` names a value type this runtime knows.
    public var isKnown: Bool {
        switch code {
        case 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f, 0x69: return true
        default: return false
        }
    }

    public var isNumeric: Bool { code >= 0x7c && code <= 0x7f }
    public var isReference: Bool { self == .funcref || self == .externref || self == .exnref }

    /// Slots a value takes in a frame (v128 takes two).
    @inline(__always) public var slotCount: Int { self == .v128 ? 2 : 1 }

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
        case 0x69: return "exnref"
        default: return "unknown"
        }
    }
}
