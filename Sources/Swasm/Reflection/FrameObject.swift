/// `wasm_frame_t`: one WebAssembly frame of a trap's or error's backtrace.
public struct FrameObject: ~Copyable {
    public var functionIndex: UInt32
    public var functionOffset: Int
    public var moduleOffset: Int
    /// Names from the module's `name` section (empty when absent), owned.
    public var functionName: RawVector
    public var moduleName: RawVector

    deinit {
        CVector.release(functionName)
        CVector.release(moduleName)
    }

    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<FrameObject> {
        UnsafeMutablePointer(object)
    }

    public static func delete(_ object: OpaquePointer) { Heap.destroy(pointer(object)) }

    /// A frame object for a backtrace entry, with the names the module's name section gives.
    public static func make(_ frame: TrapFrame) throws(SwasmError) -> OpaquePointer {
        var functionName = RawVector()
        var moduleName = RawVector()
        if let raw = frame.instance {
            let module = raw.assumingMemoryBound(to: Instance.self).pointee.module.pointer
            let description = withUnsafeMutablePointer(to: &module.pointee.description) { UnsafePointer($0) }
            if let range = description.pointee.functionName(frame.functionIndex) {
                let bytes = description.pointee.slice(range)
                guard CVector.makeBytes(&functionName, bytes.baseAddress, count: bytes.count) else { throw .outOfMemory }
            }
            if let range = description.pointee.moduleName {
                let bytes = description.pointee.slice(range)
                guard CVector.makeBytes(&moduleName, bytes.baseAddress, count: bytes.count) else {
                    CVector.release(functionName)
                    throw .outOfMemory
                }
            }
        }
        let object = FrameObject(functionIndex: frame.functionIndex, functionOffset: frame.functionOffset,
                                 moduleOffset: frame.moduleOffset, functionName: functionName, moduleName: moduleName)
        return OpaquePointer(try Heap.create(object))
    }

    public static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        let source = pointer(object)
        var functionName = RawVector()
        var moduleName = RawVector()
        guard CVector.makeBytes(&functionName, source.pointee.functionName.data, count: source.pointee.functionName.size) else { return nil }
        guard CVector.makeBytes(&moduleName, source.pointee.moduleName.data, count: source.pointee.moduleName.size) else {
            CVector.release(functionName)
            return nil
        }
        let frame = FrameObject(functionIndex: source.pointee.functionIndex, functionOffset: source.pointee.functionOffset,
                                moduleOffset: source.pointee.moduleOffset, functionName: functionName, moduleName: moduleName)
        return (try? Heap.create(frame)).map { OpaquePointer($0) }
    }
}
