import CSwasm

/// Builds the wasm.h type objects that describe a module's imports and exports.
public enum ModuleTypeObjects {
    /// A new extern type object (`wasm_externtype_t`) for `type` of `module`, its concrete types
    /// in the engine's index space (so that objects made from it match the module's imports).
    public static func makeExternType(_ type: ExternType, in module: UnsafePointer<CompiledModule>) throws(SwasmError) -> OpaquePointer {
        switch type {
        case .function(let typeIndex):
            return try makeFunctionType(typeIndex, in: module)
        case .tag(let typeIndex):
            return try TagTypeObject.make(taking: try makeFunctionType(typeIndex, in: module))
        case .table(let table): return try TableTypeObject.make(module.pointee.engineType(table))
        case .memory(let memory): return try MemoryTypeObject.make(memory)
        case .global(let global): return try GlobalTypeObject.make(module.pointee.engineType(global))
        }
    }

    /// A new `wasm_functype_t` for function type `typeIndex` of `module`, in the engine's index
    /// space, carrying the engine type.
    static func makeFunctionType(_ typeIndex: UInt32, in module: UnsafePointer<CompiledModule>) throws(SwasmError) -> OpaquePointer {
        let signature = module.pointee.description.functionType(typeIndex)
        let object = try makeFunctionType(parameters: UnsafeBufferPointer(start: signature.pointee.parameters.base, count: signature.pointee.parameters.count),
                                          results: UnsafeBufferPointer(start: signature.pointee.results.base, count: signature.pointee.results.count)) {
            (type: ValueType) -> ValueType in module.pointee.engineType(type)
        }
        FuncTypeObject.pointer(object).pointee.engineTypeID = module.pointee.engineTypeIDs[Int(typeIndex)]
        return object
    }

    /// A new `wasm_functype_t` for the type of a function of a store (instance or host), its
    /// concrete types in the engine's index space (as values of the store are checked against).
    public static func makeFunctionType(of function: UnsafeMutablePointer<swasm_function>) throws(SwasmError) -> OpaquePointer {
        let signature = ImportMatching.signature(of: function)
        let object = try makeFunctionType(parameters: signature.parameters, results: signature.results) { (type: ValueType) -> ValueType in
            ImportMatching.engineType(type, of: function)
        }
        FuncTypeObject.pointer(object).pointee.engineTypeID = ImportMatching.engineTypeID(of: function)
        return object
    }

    /// A new `wasm_functype_t` for a signature.
    public static func makeFunctionType(_ signature: UnsafePointer<FunctionType>) throws(SwasmError) -> OpaquePointer {
        try makeFunctionType(parameters: UnsafeBufferPointer(start: signature.pointee.parameters.base, count: signature.pointee.parameters.count),
                             results: UnsafeBufferPointer(start: signature.pointee.results.base, count: signature.pointee.results.count))
    }

    public static func makeFunctionType(parameters: UnsafeBufferPointer<ValueType>, results resultTypes: UnsafeBufferPointer<ValueType>,
                                        convert: (ValueType) -> ValueType = { $0 }) throws(SwasmError) -> OpaquePointer {
        var params = RawVector()
        var results = RawVector()
        guard ValTypeObject.makeVector(&params, parameters, convert: convert) else { throw .outOfMemory }
        guard ValTypeObject.makeVector(&results, resultTypes, convert: convert) else {
            ValTypeObject.deleteVector(&params)
            throw .outOfMemory
        }
        do {
            return try FuncTypeObject.make(takingParams: &params, results: &results)
        } catch {
            ValTypeObject.deleteVector(&params)
            ValTypeObject.deleteVector(&results)
            throw error
        }
    }

    /// Fills `out` (a `wasm_importtype_vec_t`) with the module's imports; empty on failure.
    public static func makeImports(_ out: UnsafeMutableRawPointer, of module: UnsafePointer<CompiledModule>) -> Bool {
        let count = module.pointee.description.imports.count
        PointerVector.makeNulls(out, count)
        if count > 0 && CVector.raw(out).pointee.data == nil { return false }
        for index in 0..<count {
            guard let object = try? makeImport(index, of: module) else {
                CVector.delete(out, deleteElement: ImportTypeObject.delete)
                return false
            }
            CVector.raw(out).pointee.data!.assumingMemoryBound(to: OpaquePointer?.self)[index] = object
        }
        return true
    }

    /// Fills `out` (a `wasm_exporttype_vec_t`) with the module's exports; empty on failure.
    public static func makeExports(_ out: UnsafeMutableRawPointer, of module: UnsafePointer<CompiledModule>) -> Bool {
        let count = module.pointee.description.exports.count
        PointerVector.makeNulls(out, count)
        if count > 0 && CVector.raw(out).pointee.data == nil { return false }
        for index in 0..<count {
            guard let object = try? makeExport(index, of: module) else {
                CVector.delete(out, deleteElement: ExportTypeObject.delete)
                return false
            }
            CVector.raw(out).pointee.data!.assumingMemoryBound(to: OpaquePointer?.self)[index] = object
        }
        return true
    }

    static func makeImport(_ index: Int, of module: UnsafePointer<CompiledModule>) throws(SwasmError) -> OpaquePointer {
        var moduleName = RawVector()
        var name = RawVector()
        let entry = module.pointee.description.imports.base!.advanced(by: index)
        guard CVector.makeBytes(&moduleName, entry.pointee.module.bytes.map { UnsafeRawPointer($0) }, count: entry.pointee.module.count) else { throw .outOfMemory }
        guard CVector.makeBytes(&name, entry.pointee.name.bytes.map { UnsafeRawPointer($0) }, count: entry.pointee.name.count) else {
            CVector.delete(&moduleName)
            throw .outOfMemory
        }
        let type: OpaquePointer
        do {
            type = try makeExternType(entry.pointee.type, in: module)
        } catch {
            CVector.delete(&moduleName)
            CVector.delete(&name)
            throw error
        }
        do {
            return try ImportTypeObject.make(module: moduleName, name: name, type: type)
        } catch {
            CVector.delete(&moduleName)
            CVector.delete(&name)
            ExternTypeObject.delete(type)
            throw error
        }
    }

    static func makeExport(_ index: Int, of module: UnsafePointer<CompiledModule>) throws(SwasmError) -> OpaquePointer {
        var name = RawVector()
        let entry = module.pointee.description.exports.base!.advanced(by: index)
        guard CVector.makeBytes(&name, entry.pointee.name.bytes.map { UnsafeRawPointer($0) }, count: entry.pointee.name.count) else { throw .outOfMemory }
        let type: OpaquePointer
        do {
            type = try makeExternType(module.pointee.description.exportType(index), in: module)
        } catch {
            CVector.delete(&name)
            throw error
        }
        do {
            return try ExportTypeObject.make(name: name, type: type)
        } catch {
            CVector.delete(&name)
            ExternTypeObject.delete(type)
            throw error
        }
    }
}
