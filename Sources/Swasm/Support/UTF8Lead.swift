/// What a UTF-8 sequence's first byte says (the Unicode standard's table of well-formed byte
/// sequences): its length in bytes and the range its second byte must fall in (later bytes are
/// always 0x80...0xbf). nil for a byte that cannot start a multi-byte sequence (ASCII included).
@inline(__always)
func utf8LeadShape(_ lead: UInt8) -> (length: Int, low: UInt8, high: UInt8)? {
    switch lead {
    case 0xc2...0xdf: return (2, 0x80, 0xbf)
    case 0xe0: return (3, 0xa0, 0xbf)
    case 0xe1...0xec, 0xee...0xef: return (3, 0x80, 0xbf)
    case 0xed: return (3, 0x80, 0x9f)
    case 0xf0: return (4, 0x90, 0xbf)
    case 0xf1...0xf3: return (4, 0x80, 0xbf)
    case 0xf4: return (4, 0x80, 0x8f)
    default: return nil
    }
}
