import CSwasm

// wasmtime/tag.h: tags made by the host (their exceptions are caught by modules importing them).

@_cdecl("wasmtime_tag_new")
public func wasmtime_tag_new(_ context: OpaquePointer?, _ type: OpaquePointer?, _ out: UnsafeMutablePointer<wasmtime_tag_t>?) -> OpaquePointer? {
    guard let context, let type = ExternTypeObject.cast(type, to: .tag), let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_tag_new: arguments must not be NULL"))
    }
    let store = storePointer(context)
    do throws(SwasmError) {
        let parameters = try CVector.valueTypes(UnsafeRawPointer(FuncTypeObject.paramsVector(TagTypeObject.pointer(type).pointee.functionType)))
        let tag = try TagInstance.create(parameters: parameters)
        try store.pointee.adoptHostTag(tag)
        var item = wasmtime_extern_t()
        ExternHandles.make(.tag(tag), store: store, into: &item)
        out.pointee = item.of.tag
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to create the tag"))
    }
}

@_cdecl("wasmtime_tag_type")
public func wasmtime_tag_type(_ context: OpaquePointer?, _ tag: UnsafePointer<wasmtime_tag_t>?) -> OpaquePointer? {
    ExternHandles.tag(tag, in: context).flatMap(TagTypeObject.make(describing:))
}

extension TagTypeObject {
    /// A new `wasm_tagtype_t` of `tag`'s parameters; nil for lack of memory.
    static func make(describing tag: UnsafeMutablePointer<TagInstance>) -> OpaquePointer? {
        let parameters = UnsafeBufferPointer(start: tag.pointee.parameters.base, count: tag.pointee.parameters.count)
        guard let function = try? ModuleTypeObjects.makeFunctionType(parameters: parameters, results: UnsafeBufferPointer(start: nil, count: 0)) else {
            return nil
        }
        return try? make(taking: function)
    }
}

@_cdecl("wasmtime_tag_eq")
public func wasmtime_tag_eq(_ context: OpaquePointer?, _ a: UnsafePointer<wasmtime_tag_t>?, _ b: UnsafePointer<wasmtime_tag_t>?) -> Bool {
    guard let first = ExternHandles.tag(a, in: context), let second = ExternHandles.tag(b, in: context) else { return false }
    return first == second
}

extension ExternHandles {
    /// The tag a handle names, if it is a live tag of the context's store.
    static func tag(_ handle: UnsafePointer<wasmtime_tag_t>?, in context: OpaquePointer?) -> UnsafeMutablePointer<TagInstance>? {
        guard let handle, let context else { return nil }
        var item = wasmtime_extern_t()
        item.kind = UInt8(WASMTIME_EXTERN_TAG)
        item.of.tag = handle.pointee
        guard case .tag(let tag) = resolve(&item, in: storePointer(context)) else { return nil }
        return tag
    }
}
