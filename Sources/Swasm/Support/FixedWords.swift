/// 128 words of storage inside a value (so on the stack), for bounded work that must not
/// allocate: evaluating and validating constant expressions (`ImplementationLimits.constantExpressionStack`).
struct FixedWords {
    typealias Sixteen = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                         UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    static let capacity = 128
    private static let zero: Sixteen = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private var storage: (Sixteen, Sixteen, Sixteen, Sixteen, Sixteen, Sixteen, Sixteen, Sixteen) =
        (zero, zero, zero, zero, zero, zero, zero, zero)

    init() {}

    /// Word `index` (below `capacity`: the caller checks).
    @inline(__always)
    subscript(index: Int) -> UInt64 {
        get { withUnsafeBytes(of: storage) { $0.load(fromByteOffset: index &* 8, as: UInt64.self) } }
        set { withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: index &* 8, as: UInt64.self) } }
    }
}
