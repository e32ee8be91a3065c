/// The layout every `wasm_*_vec_t` shares: a count and a pointer to the elements.
public struct RawVector {
    public var size: Int
    public var data: UnsafeMutableRawPointer?

    public init() { size = 0; data = nil }
    public init(size: Int, data: UnsafeMutableRawPointer?) { self.size = size; self.data = data }
}
