/// Module-level validation, run by the section decoders as they read each item: indices in range,
/// limits, import and export types, unique export names, the start function, segments, and the set
/// of functions that `ref.func` may name in function bodies (those referenced outside functions).
///
/// Failures are recorded with `ByteReader.recordInvalid` and decoding goes on (validation stops),
/// so that a later decoding error still makes the module malformed, as in the specification.
extension ModuleDecoderState {
    mutating func validateTypeIndex(_ index: UInt32, in description: borrowing ModuleDescription, at: Int) {
        guard validating else { return }
        if Int(index) >= description.types.count {
            reader.recordInvalid("unknown type", at: at, .index(UInt64(index)))
        } else if description.typeDefinitions[Int(index)].kind != .function {
            reader.recordInvalid("type mismatch", at: at, .note("a function's type must be a function type"))
        }
    }

    /// Adds an imported or defined table after checking its type.
    mutating func addTable(_ table: TableType, to description: inout ModuleDescription, at: Int) throws(SwasmError) {
        try checkLimit(description.tables.count &+ 1, ImplementationLimits.tables, "too many tables", at: at)
        if validating {
            if !table.is64 && (table.limits.minimum > 0xffff_ffff || (table.limits.maximum ?? 0) > 0xffff_ffff) {
                reader.recordInvalid("table size must be at most 2**32-1 elements", at: at)
            } else if let maximum = table.limits.maximum, maximum < table.limits.minimum {
                reader.recordInvalid("size minimum must not be greater than maximum", at: at)
            } else if description.tables.count >= 1 && !features.contains(.referenceTypes) {
                reader.recordInvalid("multiple tables", at: at, .note("more than one table needs the reference-types feature"))
            }
        }
        try description.tables.append(table)
    }

    /// Adds an imported or defined memory after checking its type.
    mutating func addMemory(_ memory: MemoryType, to description: inout ModuleDescription, at: Int) throws(SwasmError) {
        try checkLimit(description.memories.count &+ 1, ImplementationLimits.memories, "too many memories", at: at)
        if validating {
            // 2^32 bytes of 32-bit addresses, 2^64 of 64-bit ones (2^48 pages of 64 KiB), in the
            // memory's pages.
            let pages = memory.maximumPages
            if !memory.hasValidPageSize {
                reader.recordInvalid("invalid custom page size", at: at)
            } else if memory.limits.minimum > pages || (memory.limits.maximum ?? 0) > pages {
                reader.recordInvalid(memory.is64 ? "memory size must be at most 2**48 pages" : "memory size must be at most 65536 pages (4GiB)", at: at)
            } else if let maximum = memory.limits.maximum, maximum < memory.limits.minimum {
                reader.recordInvalid("size minimum must not be greater than maximum", at: at)
            } else if memory.isShared && memory.limits.maximum == nil {
                reader.recordInvalid("shared memory must have maximum", at: at)
            } else if description.memories.count >= 1 && !features.contains(.multiMemory) {
                reader.recordInvalid("multiple memories", at: at, .note("more than one memory needs the multi-memory feature"))
            }
        }
        try description.memories.append(memory)
    }

    mutating func validateMemoryIndex(_ index: UInt32, in description: borrowing ModuleDescription, at: Int) {
        guard validating else { return }
        if Int(index) >= description.memories.count {
            reader.recordInvalid("unknown memory", at: at, .index(UInt64(index)))
        }
    }

    mutating func validateStartFunction(_ index: UInt32, in description: borrowing ModuleDescription, at: Int) {
        guard validating else { return }
        guard Int(index) < description.functions.count else {
            reader.recordInvalid("unknown function", at: at, .index(UInt64(index)))
            return
        }
        let type = description.functionType(description.functions[Int(index)])
        if type.pointee.parameters.count != 0 || type.pointee.results.count != 0 {
            reader.recordInvalid("start function", at: at, .note("must take no parameters and return nothing"))
        }
    }

    /// Checks a function index that a segment, export or constant expression references, and
    /// declares it for `ref.func` in function bodies.
    mutating func referenceFunction(_ index: UInt32, in description: borrowing ModuleDescription, at: Int) throws(SwasmError) {
        guard validating else { return }
        guard Int(index) < description.functions.count else {
            reader.recordInvalid("unknown function", at: at, .index(UInt64(index)))
            return
        }
        try validator.declareFunction(Int(index), functionCount: description.functions.count)
    }

    mutating func validateExport(kind: ExternKind, index: UInt32, name: ByteRange, in description: borrowing ModuleDescription,
                                 nameAt: Int, indexAt: Int) throws(SwasmError) {
        guard validating else { return }
        let item = Int(index)
        switch kind {
        case .function:
            try referenceFunction(index, in: description, at: indexAt)
        case .table:
            if item >= description.tables.count { reader.recordInvalid("unknown table", at: indexAt, .index(UInt64(index))) }
        case .memory:
            if item >= description.memories.count { reader.recordInvalid("unknown memory", at: indexAt, .index(UInt64(index))) }
        case .global:
            if item >= description.globals.count {
                reader.recordInvalid("unknown global", at: indexAt, .index(UInt64(index)))
            } else if description.globals[item].isMutable && !features.contains(.mutableGlobals) {
                reader.recordInvalid("mutable global export needs the mutable-globals feature", at: indexAt)
            }
        case .tag:
            if item >= description.tags.count { reader.recordInvalid("unknown tag", at: indexAt, .index(UInt64(index))) }
        }
        let key = NameKey(start: reader.base + name.start, count: name.count)
        if exportNames.contains(key) {
            reader.recordInvalid("duplicate export name", at: nameAt)
        } else {
            try exportNames.insert(key, 0)
        }
    }

    /// The table of an active element segment must exist and hold the segment's type.
    mutating func validateElementTable(_ index: UInt32, type: ValueType, in description: borrowing ModuleDescription, at: Int) {
        guard validating else { return }
        guard Int(index) < description.tables.count else {
            reader.recordInvalid("unknown table", at: at, .index(UInt64(index)))
            return
        }
        let element = description.tables[Int(index)].element
        if !description.matches(type, element) {
            reader.recordInvalid("type mismatch", at: at, .typeMismatch(expected: element, got: type))
        }
    }
}
