/// How traps and errors read when the host asks for their message (`wasm_trap_message`,
/// `wasmtime_error_message`): as wasmtime prints them. A failure that passed through WebAssembly
/// starts with its backtrace, and its message (with its cause, if any) follows as the cause:
///
///     error while executing at wasm backtrace:
///         0:     0x21 - mm!boom
///         1:     0x2a - mm!<wasm function 2>
///
///     Caused by:
///         wasm trap: wasm `unreachable` instruction executed
///
/// With two levels below the backtrace they are numbered (`0: context`, `1: cause`). Function
/// names are printed as the name section gives them (wasmtime also demangles C++ and Rust names).
/// Text with a "Caused by" section ends in a newline, as anyhow's does.
extension Failure {
    public func render(into text: inout ByteBuffer) throws(SwasmError) {
        if message.isEmpty, let exitStatus {
            // A program's exit (WASI `proc_exit`), as wasmtime words it.
            try text.append("Exited with i32 exit status ")
            return try text.appendDecimal(Int64(exitStatus))
        }
        let count = message.count
        let causeCount = cause.count
        if frames.isEmpty {
            try text.append(message.bytes.map { UnsafeRawPointer($0) }, count: count)
            if causeCount > 0 {
                try text.append("\n\nCaused by:\n    ")
                try text.append(cause.bytes.map { UnsafeRawPointer($0) }, count: causeCount)
                try text.append("\n")
            }
            return
        }
        try text.append("error while executing at wasm backtrace:")
        for index in 0..<frames.count {
            try text.append("\n")
            try Self.appendFrame(frames[index], index: index, to: &text)
        }
        try text.append("\n\nCaused by:\n    ")
        if causeCount > 0 {
            try text.append("0: ")
            try text.append(message.bytes.map { UnsafeRawPointer($0) }, count: count)
            try text.append("\n    1: ")
            try text.append(cause.bytes.map { UnsafeRawPointer($0) }, count: causeCount)
        } else {
            try text.append(message.bytes.map { UnsafeRawPointer($0) }, count: count)
        }
        try text.append("\n")
    }

    /// `  {index:>3}: {offset:#8x} - {module}!{function}` (the offset only when known).
    private static func appendFrame(_ frame: UnsafeMutablePointer<BacktraceFrame>, index: Int, to text: inout ByteBuffer) throws(SwasmError) {
        try appendPadded(decimal: UInt64(index), width: 5, to: &text)
        try text.append(": ")
        if frame.pointee.moduleOffset >= 0 {
            try appendPadded(hex: UInt64(frame.pointee.moduleOffset), width: 8, to: &text)
            try text.append(" - ")
        }
        if frame.pointee.moduleName.size > 0 {
            try text.append(frame.pointee.moduleName.data.map { UnsafeRawPointer($0) }, count: frame.pointee.moduleName.size)
        } else {
            try text.append("<unknown>")
        }
        try text.append("!")
        if frame.pointee.functionName.size > 0 {
            try text.append(frame.pointee.functionName.data.map { UnsafeRawPointer($0) }, count: frame.pointee.functionName.size)
        } else {
            try text.append("<wasm function ")
            try text.appendDecimal(UInt64(frame.pointee.functionIndex))
            try text.append(">")
        }
    }

    private static func appendPadded(decimal value: UInt64, width: Int, to text: inout ByteBuffer) throws(SwasmError) {
        var digits = 1
        var rest = value / 10
        while rest > 0 { digits &+= 1; rest /= 10 }
        for _ in 0..<max(width &- digits, 0) { try text.append(" ") }
        try text.appendDecimal(value)
    }

    private static func appendPadded(hex value: UInt64, width: Int, to text: inout ByteBuffer) throws(SwasmError) {
        var digits = 1
        var rest = value >> 4
        while rest > 0 { digits &+= 1; rest >>= 4 }
        for _ in 0..<max(width &- digits &- 2, 0) { try text.append(" ") }
        try text.append("0x")
        var shift = (digits &- 1) &* 4
        while shift >= 0 {
            let digit = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & 0xf)
            try text.append(digit < 10 ? 0x30 &+ digit : 0x57 &+ digit)
            shift &-= 4
        }
    }
}

extension ByteBuffer {
    /// `0x` and the value in lowercase hexadecimal without leading zeros (`0x0` for zero).
    mutating func appendHexNumber(_ value: UInt64) throws(SwasmError) {
        try append("0x")
        var shift: UInt64 = 60
        while shift > 0 && (value >> shift) & 0xf == 0 { shift &-= 4 }
        while true {
            let digit = UInt8(truncatingIfNeeded: (value >> shift) & 0xf)
            try append(digit < 10 ? 0x30 &+ digit : 0x57 &+ digit)
            if shift == 0 { break }
            shift &-= 4
        }
    }
}
