/// Renders a function's internal code as text, one instruction per line:
///
///     0012  i32_add_imm     d=5 x=3 imm=1
///     0015  br_not_i32_lt_u d=- x=5 y=2 -> 0004
///     0018  call            d=4 function=2  refs=1,3
///
/// A safepoint with a stack map lists the slots it names (`refs=`). Handler words are mapped back
/// to opcodes by address, so this works on threaded code.
enum Disassembler {
    static func render(_ function: borrowing CompiledFunction, into text: inout ByteBuffer) throws(SwasmError) {
        let code = function.code.base!
        let count = function.code.count
        var position = 0
        while position < count {
            guard let opcode = opcode(forHandler: code[position]) else {
                try text.append("????  unknown handler word\n")
                return
            }
            let length = Threading.length(of: opcode, at: position, in: function.code)
            try appendPadded(UInt64(position), width: 4, into: &text)
            try text.append("  ")
            try text.append(opcode.name)
            try text.append(" ")
            try operands(opcode, at: position, in: function.code, into: &text)
            if let map = function.stackMaps.index(at: position) {
                try text.append(" refs=")
                for entry in function.stackMaps.range(map) {
                    if entry > function.stackMaps.range(map).lowerBound { try text.append(",") }
                    try text.appendDecimal(UInt64(function.stackMaps.slots[entry]))
                }
            }
            try text.append("\n")
            position &+= length
        }
    }

    static func opcode(forHandler word: UInt64) -> Opcode? {
        for candidate in Opcode.allCases where handlerAddress(candidate.rawValue) == word { return candidate }
        return Opcode(rawValue: UInt16(truncatingIfNeeded: word)) // not yet threaded
    }

    static func operands(_ opcode: Opcode, at position: Int, in code: borrowing FallibleVector<UInt64>, into text: inout ByteBuffer) throws(SwasmError) {
        let format = opcode.format
        let word = position &+ 1 < code.count ? code[position &+ 1] : 0
        func slot(_ index: Int) -> UInt64 { (word >> UInt64(index &* 16)) & 0xffff }
        func target(_ at: Int) -> UInt64 { UInt64(bitPattern: Int64(position) &+ Int64(bitPattern: code[at])) }
        let name = ByteBufferName(format)
        if name.is("d") || name.is("dx") || name.is("dxy") || name.is("dxyz") || name.is("di") || name.is("dxi") || name.is("call") || name.is("dxyi") || name.is("dxit")
            || name.is("dxyzi") || name.is("dxyzii") {
            try field("d", slot(0), into: &text)
        }
        let wide = name.is("dxyzi") || name.is("dxyzii")
        if name.is("dx") || name.is("dxy") || name.is("dxyz") || name.is("dxi") || name.is("dxyi") || name.is("dxit") || wide { try field("x", slot(1), into: &text) }
        if name.is("dxy") || name.is("dxyz") || name.is("dxyi") || wide { try field("y", slot(2), into: &text) }
        if name.is("dxyz") || wide { try field("z", slot(3), into: &text) }
        if name.is("xt") || name.is("xyt") || name.is("xyi") || name.is("xit") || name.is("table") || name.is("xyz") || name.is("xyzi") {
            try field("x", slot(0), into: &text)
        }
        if name.is("xyt") || name.is("xyi") || name.is("xyz") || name.is("xyzi") { try field("y", slot(1), into: &text) }
        if name.is("xyz") || name.is("xyzi") { try field("z", slot(2), into: &text) }
        if name.is("di") || name.is("dxi") || name.is("xyi") || name.is("xit") || name.is("xyzi") || name.is("dxyi") || name.is("dxit") || wide {
            try field("imm", code[position &+ 2], into: &text)
        }
        if name.is("dxyzii") { try field("imm2", code[position &+ 3], into: &text) }
        if name.is("call") { try field("function", code[position &+ 2], into: &text) }
        if name.is("t") { try arrow(target(position &+ 1), into: &text) }
        if name.is("xt") || name.is("xyt") { try arrow(target(position &+ 2), into: &text) }
        if name.is("xit") || name.is("dxit") { try arrow(target(position &+ 3), into: &text) }
        if name.is("table") {
            let count = Int(truncatingIfNeeded: code[position &+ 2])
            for entry in 0...count { try arrow(target(position &+ 3 &+ entry), into: &text) }
        }
    }

    static func field(_ label: StaticString, _ value: UInt64, into text: inout ByteBuffer) throws(SwasmError) {
        try text.append(" ")
        try text.append(label)
        try text.append("=")
        try text.appendDecimal(value)
    }

    static func arrow(_ target: UInt64, into text: inout ByteBuffer) throws(SwasmError) {
        try text.append(" -> ")
        try appendPadded(target, width: 4, into: &text)
    }

    static func appendPadded(_ value: UInt64, width: Int, into text: inout ByteBuffer) throws(SwasmError) {
        var digits = 1
        var rest = value / 10
        while rest > 0 { digits &+= 1; rest /= 10 }
        var padding = width &- digits
        while padding > 0 { try text.append("0"); padding &-= 1 }
        try text.appendDecimal(value)
    }
}

/// Compares a `StaticString` with literal format names.
struct ByteBufferName {
    let text: StaticString
    init(_ text: StaticString) { self.text = text }
    func `is`(_ other: StaticString) -> Bool {
        guard text.utf8CodeUnitCount == other.utf8CodeUnitCount else { return false }
        for index in 0..<text.utf8CodeUnitCount where text.utf8Start[index] != other.utf8Start[index] { return false }
        return true
    }
}
