/// Typed access to frame slots. Every slot is 8 bytes; narrower values sit in the low bits
/// (zero-extended), floats as their bit patterns.
extension UnsafeMutablePointer where Pointee == UInt64 {
    @inline(__always) func i32(_ slot: Int) -> UInt32 { UInt32(truncatingIfNeeded: self[slot]) }
    @inline(__always) func i64(_ slot: Int) -> UInt64 { self[slot] }
    @inline(__always) func f32(_ slot: Int) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: self[slot])) }
    @inline(__always) func f64(_ slot: Int) -> Double { Double(bitPattern: self[slot]) }
    @inline(__always) func setI32(_ slot: Int, _ value: UInt32) { self[slot] = UInt64(value) }
    @inline(__always) func setI64(_ slot: Int, _ value: UInt64) { self[slot] = value }
    @inline(__always) func setF32(_ slot: Int, _ value: Float) { self[slot] = UInt64(value.bitPattern) }
    @inline(__always) func setF64(_ slot: Int, _ value: Double) { self[slot] = value.bitPattern }
}
