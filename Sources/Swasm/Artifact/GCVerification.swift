/// Verification of the GC instructions of deserialized code (immediate kind "gc"): their
/// immediates must name types of the right kind, fields that exist (and are mutable where
/// written), segments whose contents suit the array's elements; their slots (which depend on
/// those types) must lie in the frame; and `ReferenceFlow` must prove that every slot they read
/// as an object or a reference holds one. The instructions check at run time that an object is
/// an instance of the type the immediate names, so a proven reference of the right hierarchy is
/// all memory safety needs.

/// One slot operand of a GC instruction: where, how wide, whether written, and what it holds.
struct GCOperand {
    enum Content {
        /// A number (or a reference read as bits, which the instruction never follows).
        case number
        /// A reference of the any hierarchy that the instruction follows to an object.
        case object
        /// A value of this type (a field's or element's, or a cast's target).
        case value(ValueType)
    }

    var slot: Int
    var width: Int
    var isWrite: Bool
    var content: Content
}

extension ModuleDescription {
    /// The definition of struct or array type `index` of the immediate, if it is one of `kind`.
    func compositeDefinition(_ immediate: UInt64, _ kind: CompositeKind) -> TypeDefinition? {
        let index = immediate & 0xffff_ffff
        guard index < UInt64(typeDefinitions.count), typeDefinitions[Int(index)].kind == kind else { return nil }
        return typeDefinitions[Int(index)]
    }

    func field(of definition: TypeDefinition, _ index: Int) -> FieldType {
        fields[Int(definition.fieldsStart) &+ index]
    }

    /// A cast immediate's target type, if it is a reference type whose concrete index exists.
    func castTarget(_ immediate: UInt64) -> ValueType? {
        guard immediate <= UInt64(UInt32.max) else { return nil }
        let type = ValueType(bits: UInt32(immediate))
        guard type.isReference, type.heapType != .unknown else { return nil }
        if type.heapType.isConcrete {
            guard type.heapType.space == .module, type.heapType.index < UInt32(typeDefinitions.count),
                  typeDefinitions[Int(type.heapType.index)].kind == type.heapType.concreteKind else { return nil }
        }
        return type
    }
}

enum GCVerification {
    /// Checks a GC instruction's immediates and calls `body` for each of its slot operands.
    static func forEachOperand(_ opcode: Opcode, _ code: UnsafePointer<UInt64>, module: UnsafePointer<ModuleDescription>, at position: Int,
                               _ body: (GCOperand) throws(VerificationFailure) -> Void) throws(VerificationFailure) {
        let operands = code[1]
        let immediate = opcode.fixedLength > 2 ? code[2] : 0
        func slot(_ index: Int) -> Int { Int(truncatingIfNeeded: (operands >> UInt64(index &* 16)) & 0xffff) }
        func fail(_ reason: StaticString) -> VerificationFailure { VerificationFailure(reason, at: position, opcode) }
        func structure() throws(VerificationFailure) -> TypeDefinition {
            guard let definition = module.pointee.compositeDefinition(immediate, .structure) else { throw fail("not a struct type") }
            return definition
        }
        func array(_ immediate: UInt64) throws(VerificationFailure) -> FieldType {
            guard let definition = module.pointee.compositeDefinition(immediate, .array) else { throw fail("not an array type") }
            return module.pointee.field(of: definition, 0)
        }
        func structField() throws(VerificationFailure) -> FieldType {
            let definition = try structure()
            let index = (immediate >> 32) & 0x7fff_ffff
            guard index < UInt64(definition.fieldCount) else { throw fail("field index out of range") }
            return module.pointee.field(of: definition, Int(index))
        }
        func value(_ field: FieldType) -> GCOperand.Content { .value(field.unpacked) }
        func read(_ index: Int, _ content: GCOperand.Content, width: Int = 1) throws(VerificationFailure) {
            try body(GCOperand(slot: slot(index), width: width, isWrite: false, content: content))
        }
        func write(_ index: Int, _ content: GCOperand.Content, width: Int = 1) throws(VerificationFailure) {
            try body(GCOperand(slot: slot(index), width: width, isWrite: true, content: content))
        }
        switch opcode {
        case .structNew:
            let definition = try structure()
            var at = slot(1)
            for index in 0..<Int(definition.fieldCount) {
                let field = module.pointee.field(of: definition, index)
                try body(GCOperand(slot: at, width: field.storage.slotCount, isWrite: false, content: value(field)))
                at &+= field.storage.slotCount
            }
            try write(0, .object)
        case .structNewDefault:
            let definition = try structure()
            for index in 0..<Int(definition.fieldCount) where !module.pointee.field(of: definition, index).storage.isDefaultable {
                throw fail("a field has no default value")
            }
            try write(0, .object)
        case .structGet:
            let field = try structField()
            guard field.storage.isPacked || immediate >> 63 == 0 else { throw fail("a signed read of an unpacked field") }
            try read(1, .object)
            try write(0, value(field), width: field.storage.slotCount)
        case .structSet:
            let field = try structField()
            guard field.isMutable else { throw fail("the field is immutable") }
            try read(0, .object)
            try read(1, value(field), width: field.storage.slotCount)
        case .arrayNew:
            let element = try array(immediate)
            try read(1, value(element), width: element.storage.slotCount)
            try read(2, .number)
            try write(0, .object)
        case .arrayNewDefault:
            guard try array(immediate).storage.isDefaultable else { throw fail("the element has no default value") }
            try read(1, .number)
            try write(0, .object)
        case .arrayNewFixed:
            let element = try array(immediate)
            let count = Int(truncatingIfNeeded: immediate >> 32)
            for index in 0..<count {
                try body(GCOperand(slot: slot(1) &+ index &* element.storage.slotCount, width: element.storage.slotCount, isWrite: false,
                                   content: value(element)))
            }
            try write(0, .object)
        case .arrayNewData, .arrayNewElem, .arrayInitData, .arrayInitElem:
            let element = try array(immediate)
            let segment = Int(truncatingIfNeeded: immediate >> 32)
            if opcode == .arrayNewData || opcode == .arrayInitData {
                guard segment < module.pointee.data.count else { throw fail("data segment index out of range") }
                guard element.storage.isNumeric || element.storage.isPacked || element.storage == .v128 else { throw fail("the array holds references") }
            } else {
                guard segment < module.pointee.elements.count else { throw fail("element segment index out of range") }
                guard element.storage.isReference, module.pointee.matches(module.pointee.elements[segment].type, element.storage) else {
                    throw fail("the element segment's type differs from the array's")
                }
            }
            if opcode == .arrayNewData || opcode == .arrayNewElem {
                try read(1, .number)
                try read(2, .number)
                try write(0, .object)
            } else {
                guard element.isMutable else { throw fail("the array is immutable") }
                try read(0, .object)
                for index in 1...3 { try read(index, .number) }
            }
        case .arrayGet:
            let element = try array(immediate & 0x7fff_ffff_ffff_ffff)
            guard element.storage.isPacked || immediate >> 63 == 0 else { throw fail("a signed read of an unpacked element") }
            try read(1, .object)
            try read(2, .number)
            try write(0, value(element), width: element.storage.slotCount)
        case .arraySet:
            let element = try array(immediate)
            guard element.isMutable else { throw fail("the array is immutable") }
            try read(0, .object)
            try read(1, .number)
            try read(2, value(element), width: element.storage.slotCount)
        case .arrayLen:
            try read(1, .object)
            try write(0, .number)
        case .arrayFill:
            let element = try array(immediate)
            guard element.isMutable else { throw fail("the array is immutable") }
            try read(0, .object)
            try read(1, .number)
            try read(2, value(element), width: element.storage.slotCount)
            try read(3, .number)
        case .arrayCopy:
            let target = try array(immediate & 0xffff_ffff)
            let source = try array(immediate >> 32)
            guard target.isMutable, module.pointee.matchesStorage(source.storage, target.storage) else { throw fail("the arrays' elements differ") }
            guard code[3] <= 0xffff else { throw fail("the count's slot is out of range") }
            try read(0, .object)
            try read(1, .number)
            try read(2, .object)
            try read(3, .number)
            try body(GCOperand(slot: Int(code[3]), width: 1, isWrite: false, content: .number))
        case .refTest, .refCast, .brOnCast, .brOnCastFail:
            guard let target = module.pointee.castTarget(immediate) else { throw fail("the cast's type is not a reference type") }
            let reference = opcode == .brOnCast || opcode == .brOnCastFail ? 0 : 1
            try read(reference, .value(target.hierarchy))
            if opcode == .refTest { try write(0, .number) }
            if opcode == .refCast { try write(0, .value(target)) }
        default:
            throw fail("unknown immediate kind")
        }
    }
}
