import CSwasm

/// The table instructions beyond get/set/size (out of line: they loop or allocate).
extension Interpreter {
    @inline(__always)
    static func table(_ ex: UnsafeMutablePointer<swasm_exec>, _ index: UInt64) -> UnsafeMutablePointer<swasm_table> {
        ex.pointee.context.pointee.tables[Int(truncatingIfNeeded: index)]!
    }

    /// `table.init`: imm = table | element segment << 32; x destination, y source, z count.
    @inline(never)
    static func tableInit(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                          _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let target = table(ex, imm & 0xffff_ffff)
        let segment = ex.pointee.context.pointee.elements.advanced(by: Int(truncatingIfNeeded: imm >> 32))
        let destination = UInt64(fp.i32(x)), source = UInt64(fp.i32(y)), count = UInt64(fp.i32(z))
        guard destination &+ count <= target.pointee.size, source &+ count <= segment.pointee.size else { return trap(ex, .tableOutOfBounds) }
        if count > 0 {
            let values = UnsafeRawPointer(segment.pointee.bytes!).assumingMemoryBound(to: UInt64.self)
            target.pointee.elements.advanced(by: Int(destination)).update(from: values.advanced(by: Int(source)), count: Int(count))
        }
        if chargeFuel(ex, units: count) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `table.copy`: imm = destination table | source table << 32; x destination, y source, z count.
    @inline(never)
    static func tableCopy(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                          _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let target = table(ex, imm & 0xffff_ffff)
        let origin = table(ex, imm >> 32)
        let destination = UInt64(fp.i32(x)), source = UInt64(fp.i32(y)), count = UInt64(fp.i32(z))
        guard destination &+ count <= target.pointee.size, source &+ count <= origin.pointee.size else { return trap(ex, .tableOutOfBounds) }
        if count > 0 {
            UnsafeMutableRawPointer(target.pointee.elements.advanced(by: Int(destination)))
                .copyMemory(from: origin.pointee.elements.advanced(by: Int(source)), byteCount: Int(count) &* 8)
        }
        if chargeFuel(ex, units: count) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `table.fill`: imm = table; x index, y value, z count.
    @inline(never)
    static func tableFill(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                          _ x: Int, _ y: Int, _ z: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let target = table(ex, imm)
        let start = UInt64(fp.i32(x)), count = UInt64(fp.i32(z))
        guard start &+ count <= target.pointee.size else { return trap(ex, .tableOutOfBounds) }
        if count > 0 { target.pointee.elements.advanced(by: Int(start)).update(repeating: fp[y], count: Int(count)) }
        if chargeFuel(ex, units: count) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }

    /// `table.grow`: d result (old size or -1), x initial value, y delta; imm = table.
    @inline(never)
    static func tableGrow(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                          _ d: Int, _ x: Int, _ y: Int, _ imm: UInt64) -> UnsafePointer<UInt64>? {
        let target = table(ex, imm)
        let delta = UInt64(fp.i32(y))
        guard let old = Store.running(ex).pointee.growTable(target, by: delta, fill: fp[x]) else {
            fp.setI32(d, UInt32.max)
            if chargeFuel(ex, units: 0) { return trap(ex, .outOfFuel) }
            return ip.advanced(by: 3)
        }
        fp.setI32(d, UInt32(truncatingIfNeeded: old))
        if chargeFuel(ex, units: delta) { return trap(ex, .outOfFuel) }
        return ip.advanced(by: 3)
    }
}

/// The slow path of `call_indirect` and `call_ref` (SwasmExec.h): whether the function's type
/// matches the expected type of the calling instance's module, through the engine's registry.
@_silgen_name("swasm_signature_matches")
func swasmSignatureMatches(_ function: UnsafeMutablePointer<swasm_function>, _ context: UnsafeMutablePointer<swasm_context>,
                           _ typeIndex: UInt32) -> Bool {
    let instance = context.pointee.instance.assumingMemoryBound(to: Instance.self)
    return ImportMatching.functionMatches(function, typeIndex, of: UnsafePointer(instance.pointee.module.pointer))
}
