// wasmtime/table.h
import CSwasm

@_cdecl("wasmtime_table_new")
public func wasmtime_table_new(_ context: OpaquePointer?, _ type: OpaquePointer?, _ initial: UnsafePointer<wasmtime_val_t>?,
                               _ out: UnsafeMutablePointer<wasmtime_table_t>?) -> OpaquePointer? {
    guard let context, let type, let initial, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_table_new: arguments must not be NULL"))
    }
    let tableType = TableTypeObject.pointer(type).pointee.type
    let store = storePointer(context)
    let (word, rejected) = ValueSlots.admitElement(initial, as: tableType.element, in: store,
                                                   notReference: "wasmtime_table_new init value is not a reference")
    if let rejected { return rejected }
    do throws(SwasmError) {
        let table = try HostTable.create(tableType, initial: word)
        try store.pointee.adoptHostTable(table)
        var item = wasmtime_extern_t()
        ExternHandles.make(.table(withUnsafeMutablePointer(to: &table.pointee.object) { $0 }), store: store, into: &item)
        out.pointee = item.of.table
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to create the table"))
    }
}

/// The table's type as declared (the minimum stays the declared one after growth, as in wasmtime).
@_cdecl("wasmtime_table_type")
public func wasmtime_table_type(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?) -> OpaquePointer? {
    guard let (_, object) = ExternHandles.table(table, in: context) else { return nil }
    return try? TableTypeObject.make(object.pointee.type)
}

@_cdecl("wasmtime_table_size")
public func wasmtime_table_size(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?) -> UInt64 {
    guard let (_, object) = ExternHandles.table(table, in: context) else { return 0 }
    return object.pointee.table.pointee.size
}

@_cdecl("wasmtime_table_get")
public func wasmtime_table_get(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?, _ index: UInt64,
                               _ out: UnsafeMutablePointer<wasmtime_val_t>?) -> Bool {
    guard let out, let (store, object) = ExternHandles.table(table, in: context), index < object.pointee.table.pointee.size else { return false }
    ValueSlots.read(object.pointee.table.pointee.elements.advanced(by: Int(index)), type: object.pointee.type.element,
                    into: out, storeID: store.pointee.id)
    return true
}

@_cdecl("wasmtime_table_set")
public func wasmtime_table_set(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?, _ index: UInt64,
                               _ value: UnsafePointer<wasmtime_val_t>?) -> OpaquePointer? {
    guard let value, let (store, object) = ExternHandles.table(table, in: context) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_table_set: the store, a table of that store and the value are required"))
    }
    let (word, rejected) = ValueSlots.admitElement(value, as: object.pointee.type.element, in: store,
                                                   notReference: "wasmtime_table_set value is not a reference")
    if let rejected { return rejected }
    guard index < object.pointee.table.pointee.size else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasm trap: undefined element: out of bounds table access"))
    }
    object.pointee.table.pointee.elements[Int(index)] = word
    return nil
}

@_cdecl("wasmtime_table_grow")
public func wasmtime_table_grow(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?, _ delta: UInt64,
                                _ initial: UnsafePointer<wasmtime_val_t>?, _ previous: UnsafeMutablePointer<UInt64>?) -> OpaquePointer? {
    guard let initial, let (store, object) = ExternHandles.table(table, in: context) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_table_grow: the store, a table of that store and the value are required"))
    }
    let (word, rejected) = ValueSlots.admitElement(initial, as: object.pointee.type.element, in: store,
                                                   notReference: "wasmtime_table_grow value is not a reference")
    if let rejected { return rejected }
    guard let old = store.pointee.growTable(object.pointee.table, by: delta, fill: word) else {
        return OpaquePointer(ErrorReport.make(.limitExceeded) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("failed to grow table by `")
            try text.appendDecimal(delta)
            try text.append("`")
        })
    }
    previous?.pointee = old
    return nil
}
