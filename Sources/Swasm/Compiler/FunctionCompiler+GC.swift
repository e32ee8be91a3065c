/// The GC instructions (0xFB prefix, and `ref.eq`): see Interpreter/GCInstructions.swift for what
/// each internal instruction's operands and immediates hold.
extension FunctionCompiler {
    /// The composite kind of type `index` of the module.
    func compositeKind(_ index: UInt32) -> CompositeKind {
        Int(index) < module.pointee.typeDefinitions.count ? module.pointee.typeDefinitions[Int(index)].kind : .function
    }

    /// Field `field` of struct type `index` (or the element of array type `index`, field 0).
    func fieldType(_ index: UInt32, _ field: UInt32 = 0) -> FieldType {
        let definition = module.pointee.typeDefinitions[Int(index)]
        return module.pointee.fields[Int(definition.fieldsStart) &+ Int(field)]
    }

    /// `type` with the composite kind of its concrete heap type filled in (`CodeReader` reads
    /// types without it; stack maps need it to tell struct and array references from function
    /// references).
    func withKind(_ type: ValueType) -> ValueType {
        guard type.isReference, type.heapType.isConcrete else { return type }
        return ValueType(heap: .concrete(type.heapType.index, kind: compositeKind(type.heapType.index)), nullable: type.isNullable)
    }

    /// `(ref $index)`, the type of a new object.
    func objectType(_ index: UInt32) -> ValueType {
        ValueType(heap: .concrete(index, kind: compositeKind(index)), nullable: false)
    }

    /// A heap type immediate (s33) as the interpreter reads it in a cast's immediate: the bits
    /// of the reference type (concrete types by the module's type index, with their kind).
    mutating func castTarget(_ reader: inout CodeReader, nullable: Bool) -> ValueType {
        let heap = reader.s64()
        if heap >= 0 {
            let index = UInt32(truncatingIfNeeded: heap)
            return ValueType(heap: .concrete(index, kind: compositeKind(index)), nullable: nullable)
        }
        return ValueType(heap: HeapType(abstract: UInt8(truncatingIfNeeded: heap) & 0x7f), nullable: nullable)
    }

    /// Emits `opcode` with one operand word and one immediate.
    mutating func emitGC(_ opcode: Opcode, _ slots: UInt64, _ immediate: UInt64) throws(SwasmError) {
        invalidateFusion()
        try code.emit(opcode)
        try code.emit(slots)
        try code.emit(immediate)
    }

    /// The slot of the first of the top `count` operands, materialized in their home slots (the
    /// next free slot when `count` is 0); pops them.
    mutating func popConsecutive(_ count: Int) throws(SwasmError) -> Int {
        let first = operands.count &- count
        for index in first..<operands.count { try materialize(index) }
        let base = count > 0 ? operands[first].home : localsSlotCount &+ slotHeight
        for _ in 0..<count { pop() }
        return base
    }

    /// Pops an operand and returns the slot to read it from.
    mutating func popSlot() throws(SwasmError) -> Int { try readSlot(pop()) }

    mutating func gc(_ reader: inout CodeReader) throws(SwasmError) -> Bool {
        let sub = reader.u32()
        switch sub {
        case 0: // struct.new
            let type = reader.u32()
            let count = Int(module.pointee.typeDefinitions[Int(type)].fieldCount)
            let base = try popConsecutive(count)
            try recordStackMap(extraSlot: base, extraCount: count, extraStruct: type)
            let result = try push(objectType(type))
            try emitGC(.structNew, CodeBuffer.slots(result.home, base), UInt64(type))
        case 1: // struct.new_default
            let type = reader.u32()
            try recordStackMap()
            let result = try push(objectType(type))
            try emitGC(.structNewDefault, CodeBuffer.slots(result.home), UInt64(type))
        case 2, 3, 4: // struct.get, struct.get_s, struct.get_u
            let type = reader.u32()
            let field = reader.u32()
            let object = try popSlot()
            let result = try push(fieldType(type, field).unpacked)
            try emitGC(.structGet, CodeBuffer.slots(result.home, object), UInt64(type) | UInt64(field) << 32 | (sub == 3 ? 1 << 63 : 0))
        case 5: // struct.set
            let type = reader.u32()
            let field = reader.u32()
            let value = try popSlot()
            let object = try popSlot()
            try emitGC(.structSet, CodeBuffer.slots(object, value), UInt64(type) | UInt64(field) << 32)
        case 6: // array.new
            let type = reader.u32()
            let length = try popSlot()
            let initial = try popSlot()
            try recordStackMap(extraSlot: initial, extraCount: 1, extraType: fieldType(type).unpacked)
            let result = try push(objectType(type))
            try emitGC(.arrayNew, CodeBuffer.slots(result.home, initial, length), UInt64(type))
            try startFuelRegion() // charges per element and checks, as a region's end
        case 7: // array.new_default
            let type = reader.u32()
            let length = try popSlot()
            try recordStackMap()
            let result = try push(objectType(type))
            try emitGC(.arrayNewDefault, CodeBuffer.slots(result.home, length), UInt64(type))
            try startFuelRegion()
        case 8: // array.new_fixed
            let type = reader.u32()
            let count = reader.u32()
            let base = try popConsecutive(Int(count))
            try recordStackMap(extraSlot: base, extraCount: Int(count), extraType: fieldType(type).unpacked)
            let result = try push(objectType(type))
            try emitGC(.arrayNewFixed, CodeBuffer.slots(result.home, base), UInt64(type) | UInt64(count) << 32)
        case 9, 10: // array.new_data, array.new_elem
            let type = reader.u32()
            let segment = reader.u32()
            let length = try popSlot()
            let offset = try popSlot()
            try recordStackMap()
            let result = try push(objectType(type))
            try emitGC(sub == 9 ? .arrayNewData : .arrayNewElem, CodeBuffer.slots(result.home, offset, length), UInt64(type) | UInt64(segment) << 32)
            try startFuelRegion()
        case 11, 12, 13: // array.get, array.get_s, array.get_u
            let type = reader.u32()
            let index = try popSlot()
            let array = try popSlot()
            let result = try push(fieldType(type).unpacked)
            try emitGC(.arrayGet, CodeBuffer.slots(result.home, array, index), UInt64(type) | (sub == 12 ? 1 << 63 : 0))
        case 14: // array.set
            let type = reader.u32()
            let value = try popSlot()
            let index = try popSlot()
            let array = try popSlot()
            try emitGC(.arraySet, CodeBuffer.slots(array, index, value), UInt64(type))
        case 15: // array.len
            let array = try popSlot()
            let result = try push(.i32)
            invalidateFusion()
            try code.emit(.arrayLen)
            try code.emit(CodeBuffer.slots(result.home, array))
        case 16: // array.fill
            let type = reader.u32()
            let count = try popSlot()
            let value = try popSlot()
            let offset = try popSlot()
            let array = try popSlot()
            try emitGC(.arrayFill, CodeBuffer.slots(array, offset, value, count), UInt64(type))
            try startFuelRegion()
        case 17: // array.copy
            let target = reader.u32()
            let source = reader.u32()
            let count = try popSlot()
            let sourceOffset = try popSlot()
            let sourceArray = try popSlot()
            let targetOffset = try popSlot()
            let targetArray = try popSlot()
            try emitGC(.arrayCopy, CodeBuffer.slots(targetArray, targetOffset, sourceArray, sourceOffset), UInt64(target) | UInt64(source) << 32)
            try code.emit(UInt64(count))
            try startFuelRegion()
        case 18, 19: // array.init_data, array.init_elem
            let type = reader.u32()
            let segment = reader.u32()
            let count = try popSlot()
            let sourceOffset = try popSlot()
            let offset = try popSlot()
            let array = try popSlot()
            try emitGC(sub == 18 ? .arrayInitData : .arrayInitElem, CodeBuffer.slots(array, offset, sourceOffset, count),
                       UInt64(type) | UInt64(segment) << 32)
            try startFuelRegion()
        case 20, 21, 22, 23: // ref.test, ref.test null, ref.cast, ref.cast null
            let target = castTarget(&reader, nullable: sub == 21 || sub == 23)
            let reference = try popSlot()
            let result = try push(sub <= 21 ? .i32 : target)
            try emitGC(sub <= 21 ? .refTest : .refCast, CodeBuffer.slots(result.home, reference), UInt64(target.bits))
        case 24, 25: // br_on_cast, br_on_cast_fail
            let flags = reader.byte()
            let depth = Int(reader.u32())
            _ = reader.s64() // the source type: the value's own hierarchy decides
            let target = castTarget(&reader, nullable: flags & 2 != 0)
            try branchOnCast(depth: depth, target: target, whenInstance: sub == 24)
            try startFuelRegion()
        case 26, 27: // any.convert_extern, extern.convert_any
            let reference = try popSlot()
            let result = try push(sub == 26 ? .anyref : .externref)
            invalidateFusion()
            try code.emit(.convertReference)
            try code.emit(CodeBuffer.slots(result.home, reference))
        case 28, 29, 30: // ref.i31, i31.get_s, i31.get_u
            let operand = try popSlot()
            let result = try push(sub == 28 ? ValueType(heap: .i31, nullable: false) : .i32)
            invalidateFusion()
            try code.emit(sub == 28 ? .refI31 : (sub == 29 ? .i31GetS : .i31GetU))
            try code.emit(CodeBuffer.slots(result.home, operand))
        default:
            return false
        }
        return true
    }

    /// `ref.eq`.
    mutating func referenceEquality() throws(SwasmError) {
        let second = try popSlot()
        let first = try popSlot()
        let result = try push(.i32)
        invalidateFusion()
        try code.emit(.refEq)
        try code.emit(CodeBuffer.slots(result.home, first, second))
    }

    /// `br_on_cast` (`whenInstance`) or `br_on_cast_fail` to label `depth`: the reference stays
    /// on the stack either way, and goes with the branch. It is made a temporary in its home
    /// slot first, so that the branch's moves cannot overwrite it.
    mutating func branchOnCast(depth: Int, target: ValueType, whenInstance: Bool) throws(SwasmError) {
        try materialize(operands.count &- 1)
        let reference = operands[operands.count &- 1]
        let labelIndex = labels.count &- 1 &- depth
        let label = labels[labelIndex]
        invalidateFusion()
        if label.kind != .function && !branchNeedsMoves(label) {
            let start = code.position
            try code.emit(whenInstance ? .brOnCast : .brOnCastFail)
            try code.emit(CodeBuffer.slots(reference.home))
            try code.emit(UInt64(target.bits))
            try emitTarget(labelIndex: labelIndex, instructionStart: start)
        } else {
            let start = code.position
            try code.emit(whenInstance ? .brOnCastFail : .brOnCast)
            try code.emit(CodeBuffer.slots(reference.home))
            try code.emit(UInt64(target.bits))
            let offset = code.position
            try code.emit(0)
            try emitBranch(depth: depth)
            code.patch(offsetAt: offset, instructionStart: start, target: code.position)
        }
        invalidateFusion()
    }
}
