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

    /// The engine type of `function`: a module function's, or the one a host function was made
    /// with (nil for a host function typed by its signature alone).
    static func engineTypeID(of function: UnsafeMutablePointer<swasm_function>) -> UInt32? {
        function.pointee.host != nil ? HostFunction.from(function).pointee.engineTypeID : function.pointee.engine_type_id
    }

    /// A type of `function`'s signature (`signature(of:)`) in the engine's index space.
    static func engineType(_ type: ValueType, of function: UnsafeMutablePointer<swasm_function>) -> ValueType {
        guard type.isReference, type.heapType.isConcrete, function.pointee.host == nil, let instance = function.pointee.instance else { return type }
        return instance.assumingMemoryBound(to: Instance.self).pointee.module.pointer.pointee.engineType(type)
    }

    /// Whether `function`'s type is type `typeIndex` of `module` or a subtype of it. A host
    /// function's type is final, has no supertype and names no concrete type: it matches a type
    /// of the same signature that is final and has no supertype either.
    static func functionMatches(_ function: UnsafeMutablePointer<swasm_function>, _ typeIndex: UInt32,
                                of module: UnsafePointer<CompiledModule>) -> Bool {
        if function.pointee.host != nil, let id = HostFunction.from(function).pointee.engineTypeID {
            return module.pointee.engine.pointer.pointee.types.isDeclaredSubtype(id, of: module.pointee.engineTypeIDs[Int(typeIndex)])
        }
        if function.pointee.host != nil {
            let definition = module.pointee.description.typeDefinitions[Int(typeIndex)]
            guard definition.kind == .function, definition.isFinal, definition.supertype == TypeDefinition.noSupertype else { return false }
            // A host function's concrete types are in the engine's index space.
            let provided = signature(of: function)
            let wanted = module.pointee.description.functionType(typeIndex)
            guard provided.parameters.count == wanted.pointee.parameters.count, provided.results.count == wanted.pointee.results.count else {
                return false
            }
            for index in 0..<provided.parameters.count where provided.parameters[index] != module.pointee.engineType(wanted.pointee.parameters[index]) {
                return false
            }
            for index in 0..<provided.results.count where provided.results[index] != module.pointee.engineType(wanted.pointee.results[index]) {
                return false
            }
            return true
        }
        return module.pointee.engine.pointer.pointee.types.isDeclaredSubtype(function.pointee.engine_type_id,
                                                                             of: module.pointee.engineTypeIDs[Int(typeIndex)])
    }

    static func matches(_ value: ExternValue, _ expected: ExternType, in module: UnsafePointer<CompiledModule>) -> Bool {
        switch (value, expected) {
        case (.function(let function), .function(let typeIndex)):
            return functionMatches(function, typeIndex, of: module)
        case (.global(let global), .global(let type)):
            // Mutable globals are invariant, immutable ones covariant.
            let wanted = module.pointee.engineType(type.content), provided = global.pointee.type.content
            guard global.pointee.type.isMutable == type.isMutable else { return false }
            return type.isMutable ? provided == wanted : module.pointee.engine.pointer.pointee.types.matches(provided, wanted)
        case (.table(let object), .table(let type)):
            guard object.pointee.type.element == module.pointee.engineType(type.element), object.pointee.type.is64 == type.is64 else { return false }
            let actual = Limits(minimum: object.pointee.table.pointee.size, maximum: object.pointee.type.limits.maximum)
            return actual.isSubtype(of: type.limits)
        case (.tag(let tag), .tag(let typeIndex)):
            // A module's tag matches exactly its own type (a recursion group's position
            // included); a host tag, by its signature.
            if let id = tag.pointee.engineTypeID { return id == module.pointee.engineTypeIDs[Int(typeIndex)] }
            let wanted = module.pointee.description.functionType(typeIndex)
            guard tag.pointee.parameters.count == wanted.pointee.parameters.count, wanted.pointee.results.count == 0 else { return false }
            for index in 0..<tag.pointee.parameters.count where tag.pointee.parameters[index] != module.pointee.engineType(wanted.pointee.parameters[index]) {
                return false
            }
            return true
        case (.memory(let memory), .memory(let type)):
            guard memory.pointee.type.is64 == type.is64, memory.pointee.type.isShared == type.isShared,
                  memory.pointee.type.pageSizeLog2 == type.pageSizeLog2 else { return false }
            let actual = Limits(minimum: memory.pointee.pageCount, maximum: memory.pointee.type.limits.maximum)
            return actual.isSubtype(of: type.limits)
        default:
            return false
        }
    }

    /// Why `value` does not fit the import type `expected`, in wasmtime's words.
    static func describeMismatch(_ value: ExternValue, _ expected: ExternType, in module: borrowing ModuleDescription,
                                 into text: inout ByteBuffer) throws(SwasmError) {
        switch (value, expected) {
        case (.function(let function), .function(let typeIndex)):
            let provided = signature(of: function)
            let wanted = module.functionType(typeIndex)
            try text.append("types incompatible: expected type `")
            try appendFunctionType(UnsafeBufferPointer(start: wanted.pointee.parameters.base, count: wanted.pointee.parameters.count),
                                   UnsafeBufferPointer(start: wanted.pointee.results.base, count: wanted.pointee.results.count), to: &text)
            try text.append("`, found type `")
            try appendFunctionType(provided.parameters, provided.results, to: &text)
            try text.append("`")
        case (.global(let global), .global(let type)):
            try text.append("global types incompatible: ")
            if global.pointee.type.content != type.content {
                try appendTypes("global", expected: type.content, provided: global.pointee.type.content, to: &text)
            } else {
                try text.append(type.isMutable ? "expected mutable global, found immutable global" : "expected immutable global, found mutable global")
            }
        case (.table(let object), .table(let type)):
            try text.append("table types incompatible: ")
            if object.pointee.type.element != type.element {
                try appendTypes("table", expected: type.element, provided: object.pointee.type.element, to: &text)
            } else if object.pointee.type.is64 != type.is64 {
                try text.append(type.is64 ? "expected 64-bit table, found 32-bit table" : "expected 32-bit table, found 64-bit table")
            } else {
                try appendLimits("table", expected: type.limits,
                                 provided: Limits(minimum: object.pointee.table.pointee.size, maximum: object.pointee.type.limits.maximum), to: &text)
            }
        case (.memory(let memory), .memory(let type)):
            try text.append("memory types incompatible: ")
            if memory.pointee.type.is64 != type.is64 {
                try text.append(type.is64 ? "expected 64-bit memory, found 32-bit memory" : "expected 32-bit memory, found 64-bit memory")
            } else {
                try appendLimits("memory", expected: type.limits,
                                 provided: Limits(minimum: memory.pointee.pageCount, maximum: memory.pointee.type.limits.maximum), to: &text)
            }
        case (.tag(let tag), .tag(let typeIndex)):
            let wanted = module.functionType(typeIndex)
            try text.append("types incompatible: expected tag of type `")
            try appendFunctionType(UnsafeBufferPointer(start: wanted.pointee.parameters.base, count: wanted.pointee.parameters.count),
                                   UnsafeBufferPointer(start: nil, count: 0), to: &text)
            try text.append("`, found tag of type `")
            try appendFunctionType(UnsafeBufferPointer(start: tag.pointee.parameters.base, count: tag.pointee.parameters.count),
                                   UnsafeBufferPointer(start: nil, count: 0), to: &text)
            try text.append("`")
        default:
            try text.append("expected ")
            switch expected {
            case .function: try text.append("func")
            case .table: try text.append("table")
            case .memory: try text.append("memory")
            case .global: try text.append("global")
            default: try text.append("tag")
            }
            try text.append(", but found ")
            switch value {
            case .function: try text.append("function")
            case .table: try text.append("table")
            case .memory: try text.append("memory")
            case .global: try text.append("global")
            case .tag: try text.append("tag")
            }
        }
    }

    /// `(func (param i32 i64) (result f32))`, as wasmtime prints a function type.
    private static func appendFunctionType(_ parameters: UnsafeBufferPointer<ValueType>, _ results: UnsafeBufferPointer<ValueType>,
                                           to text: inout ByteBuffer) throws(SwasmError) {
        try text.append("(func")
        try appendTypeList("param", parameters, to: &text)
        try appendTypeList("result", results, to: &text)
        try text.append(")")
    }

    private static func appendTypeList(_ word: StaticString, _ types: UnsafeBufferPointer<ValueType>, to text: inout ByteBuffer) throws(SwasmError) {
        guard !types.isEmpty else { return }
        try text.append(" (")
        try text.append(word)
        for index in 0..<types.count {
            try text.append(" ")
            try text.append(types[index].name)
        }
        try text.append(")")
    }

    /// "expected WHAT of type `T`, found WHAT of type `U`".
    private static func appendTypes(_ what: StaticString, expected: ValueType, provided: ValueType, to text: inout ByteBuffer) throws(SwasmError) {
        try text.append("expected ")
        try text.append(what)
        try text.append(" of type `")
        try text.append(expected.name)
        try text.append("`, found ")
        try text.append(what)
        try text.append(" of type `")
        try text.append(provided.name)
        try text.append("`")
    }

    private static func appendLimits(_ what: StaticString, expected: Limits, provided: Limits, to text: inout ByteBuffer) throws(SwasmError) {
        try text.append("expected ")
        try text.append(what)
        try text.append(" limits ")
        try appendLimits(expected, to: &text)
        try text.append(" doesn't match provided ")
        try text.append(what)
        try text.append(" limits ")
        try appendLimits(provided, to: &text)
    }

    private static func appendLimits(_ limits: Limits, to text: inout ByteBuffer) throws(SwasmError) {
        try text.append("(min: ")
        try text.appendDecimal(limits.minimum)
        try text.append(", max: ")
        if let maximum = limits.maximum { try text.appendDecimal(maximum) } else { try text.append("none") }
        try text.append(")")
    }
}
