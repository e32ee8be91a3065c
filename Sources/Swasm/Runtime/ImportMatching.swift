import CSwasm

/// Whether a provided item fits an import's declared type (the specification's import
/// matching: equal function signatures and global types, table and memory limits that fit).
enum ImportMatching {
    /// The parameters and results of any function record (defined in an instance, or host).
    static func signature(of function: UnsafeMutablePointer<swasm_function>) -> (parameters: UnsafeBufferPointer<ValueType>, results: UnsafeBufferPointer<ValueType>) {
        if function.pointee.host != nil {
            let host = HostFunction.from(function)
            return (UnsafeBufferPointer(start: host.pointee.parameters.base, count: host.pointee.parameters.count),
                    UnsafeBufferPointer(start: host.pointee.results.base, count: host.pointee.results.count))
        }
        let instance = function.pointee.instance!.assumingMemoryBound(to: Instance.self)
        let type = instance.pointee.module.pointer.pointee.description.functionType(function.pointee.type_index)
        return (UnsafeBufferPointer(start: type.pointee.parameters.base, count: type.pointee.parameters.count),
                UnsafeBufferPointer(start: type.pointee.results.base, count: type.pointee.results.count))
    }

    static func equal(_ a: UnsafeBufferPointer<ValueType>, _ b: borrowing FallibleVector<ValueType>) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<a.count where a[index] != b[index] { return false }
        return true
    }

    static func matches(_ value: ExternValue, _ expected: ExternType, in module: borrowing ModuleDescription) -> Bool {
        switch (value, expected) {
        case (.function(let function), .function(let typeIndex)):
            let provided = signature(of: function)
            let wanted = module.functionType(typeIndex)
            return equal(provided.parameters, wanted.pointee.parameters) && equal(provided.results, wanted.pointee.results)
        case (.global(let global), .global(let type)):
            return global.pointee.type == type
        case (.table(let object), .table(let type)):
            guard object.pointee.type.element == type.element else { return false }
            let actual = Limits(minimum: object.pointee.table.pointee.size, maximum: object.pointee.type.limits.maximum)
            return actual.isSubtype(of: type.limits)
        case (.memory(let memory), .memory(let type)):
            guard memory.pointee.type.is64 == type.is64, memory.pointee.type.isShared == type.isShared,
                  memory.pointee.type.pageSizeLog2 == type.pageSizeLog2 else { return false }
            let actual = Limits(minimum: memory.pointee.pageCount, maximum: memory.pointee.type.limits.maximum)
            return actual.isSubtype(of: type.limits)
        default:
            return false
        }
    }
}
