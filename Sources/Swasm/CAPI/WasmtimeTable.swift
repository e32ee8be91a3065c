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
    var word: UInt64 = 0
    ValueSlots.write(initial, type: tableType.element, to: &word)
    do throws(SwasmError) {
        let table = try HostTable.create(tableType, initial: word)
        try store.pointee.adopt(table, into: &store.pointee.hostTables)
        var item = wasmtime_extern_t()
        ExternHandles.make(.table(withUnsafeMutablePointer(to: &table.pointee.object) { $0 }), store: store, into: &item)
        out.pointee = item.of.table
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to create the table"))
    }
}

@_cdecl("wasmtime_table_type")
public func wasmtime_table_type(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?) -> OpaquePointer? {
    guard let table, let object = ExternHandles.table(table) else { return nil }
    var type = object.pointee.type
    type.limits.minimum = object.pointee.table.pointee.size
    return try? TableTypeObject.make(type)
}

@_cdecl("wasmtime_table_size")
public func wasmtime_table_size(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?) -> UInt64 {
    guard let table, let object = ExternHandles.table(table) else { return 0 }
    return object.pointee.table.pointee.size
}

@_cdecl("wasmtime_table_get")
public func wasmtime_table_get(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?, _ index: UInt64,
                               _ out: UnsafeMutablePointer<wasmtime_val_t>?) -> Bool {
    guard let context, let table, let out, let object = ExternHandles.table(table), index < object.pointee.table.pointee.size else { return false }
    ValueSlots.read(object.pointee.table.pointee.elements.advanced(by: Int(index)), type: object.pointee.type.element,
                    into: out, storeID: storePointer(context).pointee.id)
    return true
}

@_cdecl("wasmtime_table_set")
public func wasmtime_table_set(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?, _ index: UInt64,
                               _ value: UnsafePointer<wasmtime_val_t>?) -> OpaquePointer? {
    guard let table, let value, let object = ExternHandles.table(table) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_table_set: arguments must not be NULL"))
    }
    guard index < object.pointee.table.pointee.size else { return OpaquePointer(ErrorReport.make(.invalidArgument, "table element index out of bounds")) }
    ValueSlots.write(value, type: object.pointee.type.element, to: object.pointee.table.pointee.elements.advanced(by: Int(index)))
    return nil
}

@_cdecl("wasmtime_table_grow")
public func wasmtime_table_grow(_ context: OpaquePointer?, _ table: UnsafePointer<wasmtime_table_t>?, _ delta: UInt64,
                                _ initial: UnsafePointer<wasmtime_val_t>?, _ previous: UnsafeMutablePointer<UInt64>?) -> OpaquePointer? {
    guard let context, let table, let initial, let object = ExternHandles.table(table) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_table_grow: arguments must not be NULL"))
    }
    let target = object.pointee.table
    let old = target.pointee.size
    let limits = storePointer(context).pointee.limits
    let (size, overflow) = old.addingReportingOverflow(delta)
    let limit = min(target.pointee.maximum, UInt64(UInt32.max), limits.tableElements ?? UInt64.max, 10_000_000)
    guard !overflow, size <= limit else { return OpaquePointer(ErrorReport.make(.limitExceeded, "failed to grow table")) }
    var word: UInt64 = 0
    ValueSlots.write(initial, type: object.pointee.type.element, to: &word)
    if delta > 0 {
        guard let grown = try? Heap.reallocate(target.pointee.elements, UInt64.self, count: Int(size)) else {
            return OpaquePointer(ErrorReport.outOfMemory)
        }
        grown.advanced(by: Int(old)).update(repeating: word, count: Int(delta))
        target.pointee.elements = grown
        target.pointee.size = size
    }
    previous?.pointee = old
    return nil
}
