import CSwasm

extension swasm_table {
    /// Grows the table by `delta` elements holding `fill`: the previous size, or nil when the
    /// table's maximum, the 32-bit index space, the store's limiter or memory stops it (the table
    /// is then unchanged). `table.grow`, `wasmtime_table_grow` and `wasm_table_grow` all come here.
    public mutating func grow(by delta: UInt64, fill: UInt64, limits: StoreLimits) -> UInt64? {
        let old = size
        let (grownSize, overflow) = old.addingReportingOverflow(delta)
        // Below 2^32 - 1: a 64-bit table's index from 2^32 on is read as 2^32 - 1, out of bounds.
        let limit = Swift.min(maximum, UInt64(UInt32.max) &- 1, limits.tableElements ?? UInt64.max)
        guard !overflow, grownSize <= limit else { return nil }
        if delta > 0 {
            guard let grown = try? Heap.reallocate(elements, UInt64.self, count: Int(grownSize)) else { return nil }
            grown.advanced(by: Int(old)).update(repeating: fill, count: Int(delta))
            elements = grown
            size = grownSize
        }
        return old
    }
}
