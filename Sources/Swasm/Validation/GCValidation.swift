/// Validation of the garbage-collection instructions (0xFB prefix, and `ref.eq`): struct and
/// array allocation and access, i31 references, casts and the conversions between the internal
/// (any) and external (extern) hierarchies.
extension FunctionValidator {
    mutating func gc(_ module: borrowing ModuleDescription) throws(SwasmError) {
        let code = try reader.readU32()
        guard let immediate = WasmInstructions.immediateFB(code) else {
            throw reader.illegalOpcode(code, prefix: 0xfb, at: instructionStart)
        }
        var first: UInt32 = 0, second: UInt32 = 0
        switch immediate {
        case .type: first = try reader.readU32()
        case .field, .typeCount, .typeData, .typeElement, .typeType:
            first = try reader.readU32()
            second = try reader.readU32()
        default: break
        }
        try require(.gc, "gc support is not enabled")
        switch code {
        case 0x00, 0x01: // struct.new, struct.new_default
            let type = try compositeType(first, .structure, module)
            let fields = fieldRange(type)
            if code == 0x00 {
                var index = fields.upperBound
                while index > fields.lowerBound {
                    index &-= 1
                    try pop(module.fields[index].unpacked)
                }
            } else {
                for index in fields where !module.fields[index].storage.isDefaultable {
                    throw invalid("type mismatch", .note("struct.new_default needs defaultable fields"))
                }
            }
            try push(reference(to: first, module))
        case 0x02, 0x03, 0x04: // struct.get, struct.get_s, struct.get_u
            let field = try structField(first, second, module)
            try requirePacking(field, packed: code != 0x02)
            try pop(nullableReference(to: first, module))
            try push(field.unpacked)
        case 0x05: // struct.set
            let field = try structField(first, second, module)
            if !field.isMutable { throw invalid("immutable field") }
            try pop(field.unpacked)
            try pop(nullableReference(to: first, module))
        case 0x06, 0x07: // array.new, array.new_default
            let element = try arrayElement(first, module)
            try pop(.i32)
            if code == 0x06 {
                try pop(element.unpacked)
            } else if !element.storage.isDefaultable {
                throw invalid("type mismatch", .note("array.new_default needs a defaultable element type"))
            }
            try push(reference(to: first, module))
        case 0x08: // array.new_fixed
            let element = try arrayElement(first, module)
            if second > ImplementationLimits.arrayNewFixed {
                throw reader.limitExceeded("array.new_fixed with too many elements", at: instructionStart, count: UInt64(second),
                                           limit: Int(ImplementationLimits.arrayNewFixed))
            }
            for _ in 0..<second { try pop(element.unpacked) }
            try push(reference(to: first, module))
        case 0x09, 0x12: // array.new_data, array.init_data
            if module.dataCount == nil { reader.usesDataWithoutCount = true }
            let element = try arrayElement(first, module)
            if code == 0x12 && !element.isMutable { throw invalid("immutable array") }
            if element.storage.isReference {
                throw invalid("array type is not numeric or vector")
            }
            try requireDataSegment(second, module)
            try pop(.i32)
            try pop(.i32)
            if code == 0x09 {
                try push(reference(to: first, module))
            } else {
                try pop(.i32)
                try pop(nullableReference(to: first, module))
            }
        case 0x0a, 0x13: // array.new_elem, array.init_elem
            let element = try arrayElement(first, module)
            if code == 0x13 && !element.isMutable { throw invalid("immutable array") }
            let segment = try elementSegment(second, module)
            if !element.storage.isReference || !typeTable.matches(segment, element.storage) {
                throw typeMismatch(element.storage, segment)
            }
            try pop(.i32)
            try pop(.i32)
            if code == 0x0a {
                try push(reference(to: first, module))
            } else {
                try pop(.i32)
                try pop(nullableReference(to: first, module))
            }
        case 0x0b, 0x0c, 0x0d: // array.get, array.get_s, array.get_u
            let element = try arrayElement(first, module)
            try requirePacking(element, packed: code != 0x0b)
            try pop(.i32)
            try pop(nullableReference(to: first, module))
            try push(element.unpacked)
        case 0x0e: // array.set
            let element = try arrayElement(first, module)
            if !element.isMutable { throw invalid("immutable array") }
            try pop(element.unpacked)
            try pop(.i32)
            try pop(nullableReference(to: first, module))
        case 0x0f: // array.len
            try pop(ValueType(heap: .array, nullable: true))
            try push(.i32)
        case 0x10: // array.fill
            let element = try arrayElement(first, module)
            if !element.isMutable { throw invalid("immutable array") }
            try pop(.i32)
            try pop(element.unpacked)
            try pop(.i32)
            try pop(nullableReference(to: first, module))
        case 0x11: // array.copy
            let destination = try arrayElement(first, module)
            let source = try arrayElement(second, module)
            if !destination.isMutable { throw invalid("immutable array") }
            if !module.matchesStorage(source.storage, destination.storage) { throw invalid("array types do not match") }
            try pop(.i32)
            try pop(.i32)
            try pop(nullableReference(to: second, module))
            try pop(.i32)
            try pop(nullableReference(to: first, module))
        case 0x14, 0x15, 0x16, 0x17: // ref.test, ref.cast (nullable with odd codes)
            let heap = try reader.readHeapType(features: features)
            try stopIfInvalid()
            let target = ValueType(heap: heap, nullable: code & 1 != 0)
            try pop(ValueType(heap: typeTable.topType(of: heap), nullable: true))
            try push(code <= 0x15 ? .i32 : target)
        case 0x18, 0x19: // br_on_cast, br_on_cast_fail
            let flags = try reader.readCastFlags()
            let label = try reader.readU32()
            let source = ValueType(heap: try reader.readHeapType(features: features), nullable: flags & 1 != 0)
            let target = ValueType(heap: try reader.readHeapType(features: features), nullable: flags & 2 != 0)
            try stopIfInvalid()
            try branchOnCast(try labelFrame(label), source: source, target: target, onFailure: code == 0x19, module)
        case 0x1a, 0x1b: // any.convert_extern, extern.convert_any
            let from: HeapType = code == 0x1a ? .extern : .any
            let operand = try popReference("a conversion needs a reference")
            if operand.heapType != .unknown && typeTable.topType(of: operand.heapType) != from {
                throw typeMismatch(ValueType(heap: from, nullable: true), operand)
            }
            try push(ValueType(heap: code == 0x1a ? .any : .extern, nullable: operand.isNullable))
        case 0x1c: // ref.i31
            try pop(.i32)
            try push(ValueType(heap: .i31, nullable: false))
        case 0x1d, 0x1e: // i31.get_s, i31.get_u
            try pop(.i31ref)
            try push(.i32)
        default:
            throw reader.illegalOpcode(code, prefix: 0xfb, at: instructionStart)
        }
    }

    /// `ref.eq`: two references of the eq hierarchy.
    mutating func referenceEquality() throws(SwasmError) {
        try require(.gc, "gc support is not enabled")
        try pop(.eqref)
        try pop(.eqref)
        try push(.i32)
    }

    // MARK: Types

    /// Type `index`, which must be a composite type of `kind`.
    private mutating func compositeType(_ index: UInt32, _ kind: CompositeKind, _ module: borrowing ModuleDescription) throws(SwasmError) -> TypeDefinition {
        guard Int(index) < module.typeDefinitions.count else { throw invalid("unknown type", .index(UInt64(index))) }
        let definition = module.typeDefinitions[Int(index)]
        guard definition.kind == kind else {
            throw invalid("type mismatch", .note(kind == .structure ? "the type index must name a struct type" : "the type index must name an array type"))
        }
        return definition
    }

    private func fieldRange(_ definition: TypeDefinition) -> Range<Int> {
        Int(definition.fieldsStart)..<(Int(definition.fieldsStart) &+ Int(definition.fieldCount))
    }

    private mutating func structField(_ type: UInt32, _ field: UInt32, _ module: borrowing ModuleDescription) throws(SwasmError) -> FieldType {
        let definition = try compositeType(type, .structure, module)
        guard field < definition.fieldCount else { throw invalid("unknown field", .index(UInt64(field))) }
        return module.fields[Int(definition.fieldsStart &+ field)]
    }

    private mutating func arrayElement(_ type: UInt32, _ module: borrowing ModuleDescription) throws(SwasmError) -> FieldType {
        let definition = try compositeType(type, .array, module)
        return module.fields[Int(definition.fieldsStart)]
    }

    /// `get` reads unpacked storage, `get_s`/`get_u` packed storage.
    private mutating func requirePacking(_ field: FieldType, packed: Bool) throws(SwasmError) {
        if field.storage.isPacked != packed {
            throw invalid("type mismatch", .note(packed ? "get_s and get_u read packed storage only" : "packed storage needs get_s or get_u"))
        }
    }

    /// `(ref $index)` with the type's canonical index.
    private func reference(to index: UInt32, _ module: borrowing ModuleDescription) -> ValueType {
        let definition = module.typeDefinitions[Int(index)]
        return ValueType(heap: .concrete(definition.canonical, kind: definition.kind), nullable: false)
    }

    private func nullableReference(to index: UInt32, _ module: borrowing ModuleDescription) -> ValueType {
        reference(to: index, module).withNullable(true)
    }

    // MARK: Branches

    /// `br_on_cast l rt1 rt2` (`onFailure`: `br_on_cast_fail`): the target type matches the
    /// source type; the label's last type takes what the branch carries (`rt2`, or on failure
    /// `rt1` without what `rt2` covers); the operand is `rt1`; the fallthrough leaves the other.
    private mutating func branchOnCast(_ frame: ControlFrame, source: ValueType, target: ValueType, onFailure: Bool,
                                       _ module: borrowing ModuleDescription) throws(SwasmError) {
        if !typeTable.matches(target, source) { throw typeMismatch(source, target) }
        // rt1 \ rt2: null cannot be left after a cast that admits it.
        let difference = target.isNullable ? source.withNullable(false) : source
        let branched = onFailure ? difference : target
        let remaining = onFailure ? target : difference
        let results = frame.kind != 0x03
        let count = typeCount(frame.blockType, results: results, module)
        guard count > 0 else { throw invalid("type mismatch", .note("a cast branch's label must take a reference")) }
        let last = typeAt(frame.blockType, results: results, count &- 1, module)
        if !typeTable.matches(branched, last) { throw typeMismatch(last, branched) }
        try pop(source)
        try passLabelPrefix(frame, count: count &- 1, module)
        try push(remaining)
    }
}
