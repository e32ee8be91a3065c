/// Writes JSON text into a `ByteBuffer`, compactly (no spaces), placing the commas between
/// members and elements itself. Strings are taken as UTF-8 and escaped as JSON requires:
/// quotation mark, reverse solidus and control characters.
struct JSONWriter: ~Copyable {
    var text = ByteBuffer()
    /// A value or member was just written at the current level: the next one needs a comma.
    private var afterValue = false

    mutating func beginObject() throws(SwasmError) { try open(UInt8(ascii: "{")) }
    mutating func endObject() throws(SwasmError) { try close(UInt8(ascii: "}")) }
    mutating func beginArray() throws(SwasmError) { try open(UInt8(ascii: "[")) }
    mutating func endArray() throws(SwasmError) { try close(UInt8(ascii: "]")) }

    /// The name of the next member of the object being written.
    mutating func key(_ name: StaticString) throws(SwasmError) {
        try string(name)
        try text.append(UInt8(ascii: ":"))
        afterValue = false
    }

    mutating func string(_ value: StaticString) throws(SwasmError) {
        try string(UnsafeRawPointer(value.utf8Start), count: value.utf8CodeUnitCount)
    }

    mutating func string(_ bytes: UnsafeRawPointer?, count: Int) throws(SwasmError) {
        try separate()
        try text.append(UInt8(ascii: "\""))
        if let bytes {
            for index in 0..<count {
                let byte = bytes.load(fromByteOffset: index, as: UInt8.self)
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    try text.append(UInt8(ascii: "\\"))
                    try text.append(byte)
                case 0x0a: try text.append("\\n")
                case 0x0d: try text.append("\\r")
                case 0x09: try text.append("\\t")
                case 0x08: try text.append("\\b")
                case 0x0c: try text.append("\\f")
                case 0..<0x20:
                    try text.append("\\u00")
                    try text.append(Self.hexDigit(byte >> 4))
                    try text.append(Self.hexDigit(byte & 0xf))
                default:
                    try text.append(byte)
                }
            }
        }
        try text.append(UInt8(ascii: "\""))
        afterValue = true
    }

    mutating func number(_ value: UInt64) throws(SwasmError) {
        try separate()
        try text.appendDecimal(value)
        afterValue = true
    }

    mutating func number(_ value: Int) throws(SwasmError) {
        try separate()
        try text.appendDecimal(Int64(value))
        afterValue = true
    }

    /// `nanoseconds` as a number of milliseconds with up to six decimals and at least one
    /// (`1.0`, `0.117414`), exact since a nanosecond is a millionth of a millisecond.
    mutating func milliseconds(nanoseconds: UInt64) throws(SwasmError) {
        try separate()
        try text.appendDecimal(nanoseconds / 1_000_000)
        try text.append(UInt8(ascii: "."))
        var fraction = nanoseconds % 1_000_000
        var digits = 6
        while digits > 1 && fraction % 10 == 0 {
            fraction /= 10
            digits &-= 1
        }
        var divisor: UInt64 = 1
        for _ in 1..<digits { divisor &*= 10 }
        while divisor > 0 {
            try text.append(UInt8(truncatingIfNeeded: (fraction / divisor) % 10) &+ 48)
            divisor /= 10
        }
        afterValue = true
    }

    mutating func bool(_ value: Bool) throws(SwasmError) {
        try separate()
        try text.append(value ? "true" : "false")
        afterValue = true
    }

    mutating func null() throws(SwasmError) {
        try separate()
        try text.append("null")
        afterValue = true
    }

    private mutating func open(_ bracket: UInt8) throws(SwasmError) {
        try separate()
        try text.append(bracket)
        afterValue = false
    }

    private mutating func close(_ bracket: UInt8) throws(SwasmError) {
        try text.append(bracket)
        afterValue = true
    }

    private mutating func separate() throws(SwasmError) {
        if afterValue { try text.append(UInt8(ascii: ",")) }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? value &+ 48 : value &+ 87
    }
}
