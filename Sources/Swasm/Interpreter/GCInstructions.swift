import CSwasm

/// The GC instructions (structs, arrays, casts), out of line: they allocate, loop or look at
/// types. As in wasmtime, the array instructions that touch every element (`array.new`,
/// `array.new_default`, `_data`, `_elem`, `array.fill`, `copy`, `init_*`) charge one unit of fuel
/// per element after the work, as the bulk memory instructions do. Reference words are described in docs/gc.md: 0 null, odd an i31, an 8-aligned address
/// a GC object (or, in the extern hierarchy, an externref box), `| 2` the other hierarchy's
/// value converted.
///
/// Every access checks that the object is an instance of the type its immediate names (one
/// comparison on the common path): validation guarantees it for compiled code, and the check
/// keeps a forged artifact from reading an object with another type's layout.
extension Interpreter {
    /// The layout of struct or array type `index` of the running instance's module.
    @inline(__always)
    static func layout(_ ex: UnsafeMutablePointer<swasm_exec>, _ index: UInt64) -> UnsafePointer<GCType>? {
        ex.pointee.context.pointee.gc_layouts?[Int(truncatingIfNeeded: index & 0xffff_ffff)]?.assumingMemoryBound(to: GCType.self)
    }

    /// A new object (zeroed) for the instruction at `ip`, or nil after a trap: out of memory (the
    /// call ends with the out-of-memory error) or an object too large. The instruction is a
    /// safepoint: a collection the allocation runs sees the frames through their stack maps.
    static func allocate(_ type: UnsafePointer<GCType>, dataBytes: UInt64, length: UInt32, _ ip: UnsafePointer<UInt64>,
                         _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>) -> UnsafeMutablePointer<GCObject>? {
        let store = Store.running(ex)
        let point = Safepoint(fp: fp, ip: ip, depth: Int(ex.pointee.call_depth), previous: nil)
        return Store.atSafepoint(store, point) {
            do throws(SwasmError) {
                return try store.pointee.allocateObject(type, dataBytes: dataBytes, length: length)
            } catch {
                if error == .trap { _ = trap(ex, .allocationTooLarge) } else { ex.pointee.trap = ExecutionStop.outOfMemory }
                return nil
            }
        }
    }

    /// The object in `slot` if it is an instance of `type`; nil after a trap (null, or, only in
    /// forged code, anything else).
    @inline(__always)
    static func object(in fp: UnsafeMutablePointer<UInt64>, _ slot: Int, of type: UnsafePointer<GCType>?, _ ex: UnsafeMutablePointer<swasm_exec>,
                       null: TrapCode) -> UnsafeMutablePointer<GCObject>? {
        let word = fp[slot]
        guard word != 0 else { _ = trap(ex, null); return nil }
        guard word & 7 == 0, let type else { _ = trap(ex, .castFailure); return nil }
        let object = GCObject.of(word)
        guard object.pointee.type == type || object.pointee.type.pointee.isSubtype(of: type) else { _ = trap(ex, .castFailure); return nil }
        return object
    }

    // MARK: values in objects

    /// Writes the value at `slot` into a field or element of `size` bytes at `address`.
    @inline(__always)
    static func store(_ fp: UnsafeMutablePointer<UInt64>, _ slot: Int, size: UInt8, to address: UnsafeMutableRawPointer) {
        GCObject.store(fp[slot], size == 16 ? fp[slot &+ 1] : 0, size: size, at: address)
    }

    /// Reads a field or element of `size` bytes at `address` into `slot` (packed values
    /// sign-extended when `signed`, else zero-extended, to an i32).
    @inline(__always)
    static func load(_ fp: UnsafeMutablePointer<UInt64>, _ slot: Int, size: UInt8, signed: Bool, from address: UnsafeRawPointer) {
        let value = GCObject.load(size: size, from: address)
        switch size {
        case 1 where signed: fp.setI32(slot, UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: value.low))))
        case 2 where signed: fp.setI32(slot, UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: value.low))))
        case 16:
            fp[slot] = value.low
            fp[slot &+ 1] = value.high
        default: fp[slot] = value.low
        }
    }

    // MARK: structs

    /// `struct.new`: d result, x the first field's slot (fields in consecutive slots); imm = type.
    @inline(never)
    static func structNew(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                          _ d: Int, _ x: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard let type = layout(ex, imm) else { return trap(ex, .castFailure) }
        guard let object = allocate(type, dataBytes: UInt64(type.pointee.dataSize), length: 0, ip, fp, ex) else { return nil }
        let data = GCObject.data(object)
        var slot = x
        for index in 0..<type.pointee.fieldCount {
            let field = type.pointee.field(index)
            store(fp, slot, size: field.size, to: data.advanced(by: Int(field.offset)))
            slot &+= field.slotWidth
        }
        fp[d] = UInt64(UInt(bitPattern: object))
        return ip.advanced(by: 3)
    }

    /// `struct.new_default`: d result; imm = type.
    @inline(never)
    static func structNewDefault(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                                 _ d: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard let type = layout(ex, imm) else { return trap(ex, .castFailure) }
        guard let object = allocate(type, dataBytes: UInt64(type.pointee.dataSize), length: 0, ip, fp, ex) else { return nil }
        fp[d] = UInt64(UInt(bitPattern: object))
        return ip.advanced(by: 3)
    }

    /// `struct.get(_s|_u)`: d result, x the struct; imm = type | field << 32 | signed << 63.
    @inline(never)
    static func structGet(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                          _ d: Int, _ x: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let type = layout(ex, imm)
        guard let object = object(in: fp, x, of: type, ex, null: .nullReference) else { return nil }
        let index = Int(truncatingIfNeeded: (imm >> 32) & 0x7fff_ffff)
        guard index < object.pointee.type.pointee.fieldCount else { return trap(ex, .castFailure) }
        let field = object.pointee.type.pointee.field(index)
        load(fp, d, size: field.size, signed: imm >> 63 != 0, from: GCObject.data(object).advanced(by: Int(field.offset)))
        return ip.advanced(by: 3)
    }

    /// `struct.set`: x the struct, y the value; imm = type | field << 32.
    @inline(never)
    static func structSet(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                          _ x: Int, _ y: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let type = layout(ex, imm)
        guard let object = object(in: fp, x, of: type, ex, null: .nullReference) else { return nil }
        let index = Int(truncatingIfNeeded: imm >> 32)
        guard index < object.pointee.type.pointee.fieldCount else { return trap(ex, .castFailure) }
        let field = object.pointee.type.pointee.field(index)
        store(fp, y, size: field.size, to: GCObject.data(object).advanced(by: Int(field.offset)))
        return ip.advanced(by: 3)
    }

    // MARK: arrays

    /// A new array of `type` with `length` elements, or nil after a trap.
    @inline(__always)
    static func newArray(_ type: UnsafePointer<GCType>, length: UInt32, _ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>,
                         _ ex: UnsafeMutablePointer<swasm_exec>) -> UnsafeMutablePointer<GCObject>? {
        guard type.pointee.kind == .array else { _ = trap(ex, .castFailure); return nil }
        return allocate(type, dataBytes: UInt64(length) &* UInt64(type.pointee.field(0).size), length: length, ip, fp, ex)
    }

    /// `array.new`: d result, x the initial value, y the length; imm = type.
    @inline(never)
    static func arrayNew(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                         _ d: Int, _ x: Int, _ y: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard let type = layout(ex, imm) else { return trap(ex, .castFailure) }
        guard let object = newArray(type, length: fp.i32(y), ip, fp, ex) else { return nil }
        let size = type.pointee.field(0).size
        let data = GCObject.data(object)
        for index in 0..<Int(object.pointee.length) { store(fp, x, size: size, to: data.advanced(by: index &* Int(size))) }
        fp[d] = UInt64(UInt(bitPattern: object))
        if chargeFuel(ex, units: UInt64(object.pointee.length)) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `array.new_default`: d result, x the length; imm = type.
    @inline(never)
    static func arrayNewDefault(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                                _ d: Int, _ x: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard let type = layout(ex, imm) else { return trap(ex, .castFailure) }
        guard let object = newArray(type, length: fp.i32(x), ip, fp, ex) else { return nil }
        fp[d] = UInt64(UInt(bitPattern: object))
        if chargeFuel(ex, units: UInt64(object.pointee.length)) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `array.new_fixed`: d result, x the first element's slot; imm = type | count << 32.
    @inline(never)
    static func arrayNewFixed(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                              _ d: Int, _ x: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard let type = layout(ex, imm) else { return trap(ex, .castFailure) }
        guard let object = newArray(type, length: UInt32(truncatingIfNeeded: imm >> 32), ip, fp, ex) else { return nil }
        let field = type.pointee.field(0)
        let data = GCObject.data(object)
        for index in 0..<Int(object.pointee.length) {
            store(fp, x &+ index &* field.slotWidth, size: field.size, to: data.advanced(by: index &* Int(field.size)))
        }
        fp[d] = UInt64(UInt(bitPattern: object))
        return ip.advanced(by: 3)
    }

    /// `array.new_data`: d result, x the segment offset, y the length; imm = type | segment << 32.
    @inline(never)
    static func arrayNewData(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                             _ d: Int, _ x: Int, _ y: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard let type = layout(ex, imm), type.pointee.kind == .array, !type.pointee.field(0).isReference else { return trap(ex, .castFailure) }
        let segment = ex.pointee.context.pointee.data.advanced(by: Int(truncatingIfNeeded: imm >> 32))
        let offset = UInt64(fp.i32(x)), length = UInt64(fp.i32(y))
        let bytes = length &* UInt64(type.pointee.field(0).size)
        guard offset <= segment.pointee.size, bytes <= segment.pointee.size &- offset else { return trap(ex, .memoryOutOfBounds) }
        guard let object = newArray(type, length: UInt32(length), ip, fp, ex) else { return nil }
        if bytes > 0 { GCObject.data(object).copyMemory(from: segment.pointee.bytes!.advanced(by: Int(offset)), byteCount: Int(bytes)) }
        fp[d] = UInt64(UInt(bitPattern: object))
        if chargeFuel(ex, units: UInt64(object.pointee.length)) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `array.new_elem`: d result, x the segment offset, y the length; imm = type | segment << 32.
    @inline(never)
    static func arrayNewElem(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                             _ d: Int, _ x: Int, _ y: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard let type = layout(ex, imm), type.pointee.kind == .array, type.pointee.field(0).isReference else { return trap(ex, .castFailure) }
        let segment = ex.pointee.context.pointee.elements.advanced(by: Int(truncatingIfNeeded: imm >> 32))
        let offset = UInt64(fp.i32(x)), length = UInt64(fp.i32(y))
        guard offset <= segment.pointee.size, length <= segment.pointee.size &- offset else { return trap(ex, .tableOutOfBounds) }
        guard let object = newArray(type, length: UInt32(length), ip, fp, ex) else { return nil }
        if length > 0 {
            let values = UnsafeRawPointer(segment.pointee.bytes!).advanced(by: Int(offset) &* 8)
            GCObject.data(object).copyMemory(from: values, byteCount: Int(length) &* 8)
        }
        fp[d] = UInt64(UInt(bitPattern: object))
        if chargeFuel(ex, units: UInt64(object.pointee.length)) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// The array in `slot` (of `type`) and the element index in `indexSlot`, if in bounds; nil
    /// after a trap.
    @inline(__always)
    static func element(_ fp: UnsafeMutablePointer<UInt64>, _ slot: Int, _ indexSlot: Int, _ type: UnsafePointer<GCType>?,
                        _ ex: UnsafeMutablePointer<swasm_exec>) -> (UnsafeMutableRawPointer, UInt8)? {
        guard let object = object(in: fp, slot, of: type, ex, null: .nullReference) else { return nil }
        guard object.pointee.type.pointee.kind == .array else { _ = trap(ex, .castFailure); return nil }
        let index = fp.i32(indexSlot)
        guard index < object.pointee.length else { _ = trap(ex, .arrayOutOfBounds); return nil }
        let size = object.pointee.type.pointee.field(0).size
        return (GCObject.data(object).advanced(by: Int(index) &* Int(size)), size)
    }

    /// `array.get(_s|_u)`: d result, x the array, y the index; imm = type | signed << 63.
    @inline(never)
    static func arrayGet(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                         _ d: Int, _ x: Int, _ y: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard let (address, size) = element(fp, x, y, layout(ex, imm), ex) else { return nil }
        load(fp, d, size: size, signed: imm >> 63 != 0, from: address)
        return ip.advanced(by: 3)
    }

    /// `array.set`: x the array, y the index, z the value; imm = type.
    @inline(never)
    static func arraySet(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                         _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard let (address, size) = element(fp, x, y, layout(ex, imm), ex) else { return nil }
        store(fp, z, size: size, to: address)
        return ip.advanced(by: 3)
    }

    /// `array.len`: d result, x the array (of any array type).
    @inline(never)
    static func arrayLength(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                            _ d: Int, _ x: Int) -> UnsafePointer<UInt64>? {
        let word = fp[x]
        guard word != 0 else { return trap(ex, .nullReference) }
        guard word & 7 == 0, GCObject.of(word).pointee.type.pointee.kind == .array else { return trap(ex, .castFailure) }
        fp.setI32(d, GCObject.of(word).pointee.length)
        return ip.advanced(by: 2)
    }

    /// The array in `slot` and the range `start ..< start + count` of its elements, if in
    /// bounds: the range's address and the element size; nil after a trap.
    @inline(__always)
    static func elements(_ fp: UnsafeMutablePointer<UInt64>, _ slot: Int, start: UInt32, count: UInt32, _ type: UnsafePointer<GCType>?,
                         _ ex: UnsafeMutablePointer<swasm_exec>) -> (UnsafeMutableRawPointer, Int)? {
        guard let object = object(in: fp, slot, of: type, ex, null: .nullReference) else { return nil }
        guard object.pointee.type.pointee.kind == .array else { _ = trap(ex, .castFailure); return nil }
        guard UInt64(start) &+ UInt64(count) <= UInt64(object.pointee.length) else { _ = trap(ex, .arrayOutOfBounds); return nil }
        let size = Int(object.pointee.type.pointee.field(0).size)
        return (GCObject.data(object).advanced(by: Int(start) &* size), size)
    }

    /// `array.fill`: d the array, x the offset, y the value, z the count; imm = type.
    @inline(never)
    static func arrayFill(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                          _ d: Int, _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let count = fp.i32(z)
        guard let (address, size) = elements(fp, d, start: fp.i32(x), count: count, layout(ex, imm), ex) else { return nil }
        for index in 0..<Int(count) { store(fp, y, size: UInt8(size), to: address.advanced(by: index &* size)) }
        if chargeFuel(ex, units: UInt64(count)) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `array.copy`: d the destination array, x its offset, y the source array, z its offset;
    /// imm = destination type | source type << 32; imm2 = the count's slot.
    @inline(never)
    static func arrayCopy(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                          _ d: Int, _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64, _ imm2: UInt64) -> UnsafePointer<UInt64>? {
        let count = fp.i32(Int(truncatingIfNeeded: imm2 & 0xffff))
        guard let (target, size) = elements(fp, d, start: fp.i32(x), count: count, layout(ex, imm), ex),
              let (source, sourceSize) = elements(fp, y, start: fp.i32(z), count: count, layout(ex, imm >> 32), ex) else { return nil }
        guard size == sourceSize else { return trap(ex, .castFailure) }
        if count > 0 { target.copyMemory(from: source, byteCount: Int(count) &* size) } // memmove: the ranges may overlap
        if chargeFuel(ex, units: UInt64(count)) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 4)
    }

    /// `array.init_data`: d the array, x its offset, y the segment offset, z the count;
    /// imm = type | segment << 32.
    @inline(never)
    static func arrayInitData(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                              _ d: Int, _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let count = fp.i32(z)
        guard let (target, size) = elements(fp, d, start: fp.i32(x), count: count, layout(ex, imm), ex) else { return nil }
        guard layout(ex, imm)?.pointee.field(0).isReference == false else { return trap(ex, .castFailure) }
        let segment = ex.pointee.context.pointee.data.advanced(by: Int(truncatingIfNeeded: imm >> 32))
        let offset = UInt64(fp.i32(y)), bytes = UInt64(count) &* UInt64(size)
        guard offset <= segment.pointee.size, bytes <= segment.pointee.size &- offset else { return trap(ex, .memoryOutOfBounds) }
        if bytes > 0 { target.copyMemory(from: segment.pointee.bytes!.advanced(by: Int(offset)), byteCount: Int(bytes)) }
        if chargeFuel(ex, units: UInt64(count)) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `array.init_elem`: d the array, x its offset, y the segment offset, z the count;
    /// imm = type | segment << 32.
    @inline(never)
    static func arrayInitElem(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                              _ d: Int, _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let count = fp.i32(z)
        guard let (target, size) = elements(fp, d, start: fp.i32(x), count: count, layout(ex, imm), ex) else { return nil }
        guard size == 8, layout(ex, imm)?.pointee.field(0).isReference == true else { return trap(ex, .castFailure) }
        let segment = ex.pointee.context.pointee.elements.advanced(by: Int(truncatingIfNeeded: imm >> 32))
        let offset = UInt64(fp.i32(y))
        guard offset <= segment.pointee.size, UInt64(count) <= segment.pointee.size &- offset else { return trap(ex, .tableOutOfBounds) }
        if count > 0 { target.copyMemory(from: UnsafeRawPointer(segment.pointee.bytes!).advanced(by: Int(offset) &* 8), byteCount: Int(count) &* 8) }
        if chargeFuel(ex, units: UInt64(count)) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    // MARK: casts

    /// Whether the reference `word` is a value of type `type` (module index space of the
    /// running instance; `imm` of `ref.test`, `ref.cast`, `br_on_cast(_fail)`).
    @inline(never)
    static func isInstance(_ word: UInt64, of type: ValueType, _ ex: UnsafeMutablePointer<swasm_exec>) -> Bool {
        guard word != 0 else { return type.isNullable }
        let heap = type.heapType
        guard heap.isConcrete else { return ReferenceTests.isInstance(word, ofAbstract: heap) }
        let index = Int(heap.index)
        if heap.concreteKind == .function {
            // As `call_ref` checks its callee (SwasmExec.h).
            return swasm_callee_type_matches(UnsafeMutablePointer<swasm_function>(bitPattern: UInt(word))!, ex.pointee.context!, UInt32(index)) != 0
        }
        guard word & 3 == 0, let target = layout(ex, UInt64(index)) else { return false }
        let object = GCObject.of(word)
        return object.pointee.type == target || object.pointee.type.pointee.isSubtype(of: target)
    }

    /// `ref.test`: d result, x the reference; imm = the target type's bits.
    @inline(never)
    static func refTest(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                        _ d: Int, _ x: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        fp.setI32(d, isInstance(fp[x], of: ValueType(bits: UInt32(truncatingIfNeeded: imm)), ex) ? 1 : 0)
        return ip.advanced(by: 3)
    }

    /// `ref.cast`: d result, x the reference; imm = the target type's bits.
    @inline(never)
    static func refCast(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                        _ d: Int, _ x: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        guard isInstance(fp[x], of: ValueType(bits: UInt32(truncatingIfNeeded: imm)), ex) else { return trap(ex, .castFailure) }
        fp[d] = fp[x]
        return ip.advanced(by: 3)
    }

    /// `br_on_cast` (`whenInstance`) or `br_on_cast_fail`: x the reference; imm = the target
    /// type's bits; branches by the word at ip[3].
    @inline(never)
    static func branchOnCast(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                             _ x: Int, _ imm: UInt64, whenInstance: Bool) -> UnsafePointer<UInt64>? {
        let taken = isInstance(fp[x], of: ValueType(bits: UInt32(truncatingIfNeeded: imm)), ex) == whenInstance
        return taken ? ip.advanced(by: Int(truncatingIfNeeded: ip[3])) : ip.advanced(by: 4)
    }
}

/// Tests of reference words against abstract heap types, shared by the instructions and the
/// host API.
enum ReferenceTests {
    /// Whether the non-null reference `word` is a value of abstract heap type `heap` (of the
    /// word's own hierarchy).
    static func isInstance(_ word: UInt64, ofAbstract heap: HeapType) -> Bool {
        switch heap {
        case .any, .extern, .function, .exception: return true
        case .eq: return word & 1 != 0 || word & 2 == 0
        case .i31: return word & 1 != 0
        case .structure: return word & 3 == 0 && GCObject.of(word).pointee.type.pointee.kind == .structure
        case .array: return word & 3 == 0 && GCObject.of(word).pointee.type.pointee.kind == .array
        default: return false // the bottom types hold only null
        }
    }

    /// The i31 reference of an i32's low 31 bits.
    @inline(__always)
    static func i31(_ value: UInt32) -> UInt64 { UInt64(value << 1 | 1) }

    /// An i31 reference's value, sign- or zero-extended to 32 bits.
    @inline(__always)
    static func i31Value(_ word: UInt64, signed: Bool) -> UInt32 {
        let bits = UInt32(truncatingIfNeeded: word)
        return signed ? UInt32(bitPattern: Int32(bitPattern: bits) >> 1) : bits >> 1
    }

    /// `any.convert_extern` and `extern.convert_any`: the same value in the other hierarchy.
    @inline(__always)
    static func converted(_ word: UInt64) -> UInt64 { word == 0 || word & 1 != 0 ? word : word ^ 2 }
}
