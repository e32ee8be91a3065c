/// What went wrong while decoding or validating a module, and where. Recorded at the failure site
/// without allocating (static text and numbers only) and turned into a `Diagnostic` once, by
/// `ModuleDecoder`, when the error leaves the decoder.
///
/// The message starts with the phrase the specification's reference interpreter uses (the text the
/// spec test suite's `assert_malformed` / `assert_invalid` expect), then any detail, then the place:
/// `type mismatch: expected i32 but got f64 (function 3, offset 0x4f)`.
public struct DecodeFailure {
    public enum Detail {
        case none
        /// Appended as ` N` (for example `unknown global 3`).
        case index(UInt64)
        /// `: expected T but got U` (`got` code 0: nothing on the stack).
        case typeMismatch(expected: ValueType, got: ValueType)
        /// `: text`.
        case note(StaticString)
        /// ` 0xNN` or ` 0xNN 0xMM` for prefixed opcodes.
        case opcode(prefix: UInt8, code: UInt32)
        /// `: N exceeds the limit of M`.
        case count(UInt64, limit: UInt64)
    }

    public var message: StaticString = ""
    public var detail: Detail = .none
    /// Byte offset in the module.
    public var offset: Int = 0
    /// The section being decoded (`nil` before the first section).
    public var section: UInt8? = nil
    /// The function whose body was being decoded (index in the function index space).
    public var function: Int? = nil

    public init() {}

    /// Writes the whole message.
    public func compose(into text: inout ByteBuffer) throws(SwasmError) {
        try text.append(message)
        switch detail {
        case .none:
            break
        case .index(let value):
            try text.append(" ")
            try text.appendDecimal(value)
        case .typeMismatch(let expected, let got):
            try text.append(": expected ")
            try text.append(expected.validationName)
            if got.code == 0 {
                try text.append(" but nothing on stack")
            } else {
                try text.append(" but got ")
                try text.append(got.validationName)
            }
        case .note(let note):
            try text.append(": ")
            try text.append(note)
        case .opcode(let prefix, let code):
            try text.append(" ")
            if prefix != 0 {
                try text.appendHex(UInt64(prefix))
                try text.append(" ")
            }
            try text.appendHex(UInt64(code))
        case .count(let count, let limit):
            try text.append(": ")
            try text.appendDecimal(count)
            try text.append(" exceeds the limit of ")
            try text.appendDecimal(limit)
        }
        try text.append(" (")
        if let function {
            try text.append("function ")
            try text.appendDecimal(UInt64(truncatingIfNeeded: function))
        } else if let section {
            try text.append("section ")
            try text.appendDecimal(UInt64(section))
        } else {
            try text.append("module")
        }
        try text.append(", offset ")
        try text.appendHex(UInt64(truncatingIfNeeded: offset))
        try text.append(")")
    }
}

extension ValueType {
    /// The unknown type of the validator's polymorphic stack (also "nothing" in messages).
    static let bottom = ValueType(code: 0)

    /// The name used in validation messages (`bottom` reads as "any").
    var validationName: StaticString {
        code == 0 ? "any" : name
    }
}
