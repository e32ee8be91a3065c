/// The element section: references to put into tables, at instantiation (active segments) or by
/// `table.init` (passive segments), or only declared for `ref.func` (declarative segments).
///
/// Flags 0-7 of the 2.0 format: bit 0 passive or declarative (with bit 1 set: declarative), bit 1
/// an explicit table index (active) or element kind / type, bit 2 items as constant expressions
/// instead of function indices.
extension ModuleDecoderState {
    mutating func decodeElementSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(count, ImplementationLimits.elementSegments, "too many element segments", at: countAt)
        try description.elements.reserve(reader.reservation(count, minimumSize: 3))
        for _ in 0..<count {
            let flagsAt = reader.position
            let flags = try reader.readU32()
            guard flags <= 7 else {
                throw reader.malformed("malformed elements segment kind", at: flagsAt, .index(UInt64(flags)))
            }
            if flags != 0 && !features.contains(.bulkMemory) && !features.contains(.referenceTypes) {
                reader.recordInvalid("bulk memory support is not enabled (element segment kind)", at: flagsAt)
            }
            let usesExpressions = flags & 4 != 0
            var tableIndex: UInt32 = 0
            var tableAt = flagsAt
            var offset: ConstantExpression? = nil
            switch flags & 3 {
            case 0:
                offset = try decodeConstantExpression(type: description.addressType(table: 0), in: description)
            case 2:
                tableAt = reader.position
                tableIndex = try reader.readU32()
                offset = try decodeConstantExpression(type: description.addressType(table: tableIndex), in: description)
            default:
                break
            }
            // Function indices are non-null references to functions (`(ref func)`); expressions
            // without a type are funcref.
            var type = usesExpressions ? ValueType.funcref : ValueType(heap: .function, nullable: !features.contains(.functionReferences))
            if flags & 3 != 0 {
                if usesExpressions {
                    type = try reader.readReferenceType(features: features)
                } else {
                    let kindAt = reader.position
                    guard try reader.readByte() == 0x00 else {
                        throw reader.malformed("malformed element kind", at: kindAt)
                    }
                }
            }
            let mode: SegmentMode
            if let offset {
                mode = .active(index: tableIndex, offset: offset)
            } else {
                mode = flags & 3 == 3 ? .declarative : .passive
            }
            var segment = ElementSegment(type: type, mode: mode, usesExpressions: usesExpressions)
            let itemsAt = reader.position
            let itemCount = try reader.readCount()
            try checkLimit(itemCount, ImplementationLimits.elementItems, "too many elements in a segment", at: itemsAt)
            if usesExpressions {
                try segment.expressions.reserve(reader.reservation(itemCount, minimumSize: 2))
                for _ in 0..<itemCount {
                    try segment.expressions.append(try decodeConstantExpression(type: type, in: description))
                }
            } else {
                try segment.functionIndices.reserve(itemCount)
                for _ in 0..<itemCount {
                    let at = reader.position
                    let index = try reader.readU32()
                    try referenceFunction(index, in: description, at: at)
                    try segment.functionIndices.append(index)
                }
            }
            if offset != nil {
                validateElementTable(tableIndex, type: type, in: description, at: tableAt)
            }
            try description.elements.append(segment)
        }
    }
}
