// wasmtime/anyref.h and wasmtime/eqref.h: references of the any hierarchy (docs/gc.md). A handle
// holds the reference's word in `__private3`; a handle of a GC object or an internalized
// externref counts as one root of it (Runtime/GCHeap.swift) until unrooted. Every handle the
// host passes is checked against its store before its word is used.
import CSwasm

/// Handle construction shared by the reference APIs.
enum ReferenceHandles {
    static func word(_ pointer: UnsafeMutableRawPointer?) -> UInt64 { UInt64(UInt(bitPattern: pointer)) }
    static func pointer(_ word: UInt64) -> UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: word)) }

    static func anyref(_ word: UInt64, storeID: UInt64) -> wasmtime_anyref_t {
        word == 0 ? wasmtime_anyref_t() : wasmtime_anyref_t(store_id: storeID, __private1: 0, __private2: 0, __private3: pointer(word))
    }

    static func eqref(_ word: UInt64, storeID: UInt64) -> wasmtime_eqref_t {
        word == 0 ? wasmtime_eqref_t() : wasmtime_eqref_t(store_id: storeID, __private1: 0, __private2: 0, __private3: pointer(word))
    }

    static func structref(_ word: UInt64, storeID: UInt64) -> wasmtime_structref_t {
        word == 0 ? wasmtime_structref_t() : wasmtime_structref_t(store_id: storeID, __private1: 0, __private2: 0, __private3: pointer(word))
    }

    static func arrayref(_ word: UInt64, storeID: UInt64) -> wasmtime_arrayref_t {
        word == 0 ? wasmtime_arrayref_t() : wasmtime_arrayref_t(store_id: storeID, __private1: 0, __private2: 0, __private3: pointer(word))
    }

    static func externref(_ word: UInt64, storeID: UInt64) -> wasmtime_externref_t {
        word == 0 ? wasmtime_externref_t() : wasmtime_externref_t(store_id: storeID, __private1: 0, __private2: 0, __private3: pointer(word))
    }

    /// Counts one more host handle of what a handle (store id, word) names: nothing for a null
    /// handle (`anyHierarchy`: an anyref, eqref, structref or arrayref; else an externref).
    static func root(storeID: UInt64, _ pointer: UnsafeMutableRawPointer?, anyHierarchy: Bool = true) {
        if storeID != 0 { Store.rootReference(word(pointer), anyHierarchy: anyHierarchy) }
    }

    /// Releases the hold of a handle (as `root` counted it).
    static func unroot(storeID: UInt64, _ pointer: UnsafeMutableRawPointer?, anyHierarchy: Bool = true) {
        if storeID != 0 { Store.unrootReference(word(pointer), anyHierarchy: anyHierarchy) }
    }

    /// The word of a handle (of any GC reference kind) for a new handle of another kind, rooted
    /// once more: 0 for a null or missing handle.
    static func rootedWord(storeID: UInt64, _ pointer: UnsafeMutableRawPointer?) -> UInt64 {
        guard storeID != 0 else { return 0 }
        root(storeID: storeID, pointer)
        return word(pointer)
    }

    /// The word of a handle (store id, word) if it is a live reference of `context`'s store of
    /// the any hierarchy (0 for a null handle); nil for anything else.
    static func anyWord(_ context: OpaquePointer?, storeID: UInt64, _ pointer: UnsafeMutableRawPointer?) -> UInt64? {
        guard let context else { return nil }
        guard storeID != 0 else { return 0 }
        let store = storePointer(context)
        let word = word(pointer)
        guard storeID == store.pointee.id, word != 0, store.pointee.isReference(word, anyHierarchy: true) else { return nil }
        return word
    }
}

/// The word of an anyref handle of `context`'s store (see `ReferenceHandles.anyWord`).
private func anyWord(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?) -> UInt64? {
    guard let reference else { return nil }
    return ReferenceHandles.anyWord(context, storeID: reference.pointee.store_id, reference.pointee.__private3)
}

private func eqWord(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?) -> UInt64? {
    guard let reference, let word = ReferenceHandles.anyWord(context, storeID: reference.pointee.store_id, reference.pointee.__private3),
          word == 0 || ReferenceTests.isInstance(word, ofAbstract: .eq) else { return nil }
    return word
}

private func storeID(_ context: OpaquePointer) -> UInt64 { storePointer(context).pointee.id }

// MARK: anyref.h

@_cdecl("wasmtime_anyref_clone")
public func wasmtime_anyref_clone(_ reference: UnsafePointer<wasmtime_anyref_t>?, _ out: UnsafeMutablePointer<wasmtime_anyref_t>?) {
    guard let out else { return }
    out.pointee = reference?.pointee ?? wasmtime_anyref_t()
    ReferenceHandles.root(storeID: out.pointee.store_id, out.pointee.__private3)
}

@_cdecl("wasmtime_anyref_unroot")
public func wasmtime_anyref_unroot(_ reference: UnsafeMutablePointer<wasmtime_anyref_t>?) {
    guard let reference else { return }
    ReferenceHandles.unroot(storeID: reference.pointee.store_id, reference.pointee.__private3)
    reference.pointee = wasmtime_anyref_t()
}

@_cdecl("wasmtime_anyref_from_raw")
public func wasmtime_anyref_from_raw(_ context: OpaquePointer?, _ raw: UInt32, _ out: UnsafeMutablePointer<wasmtime_anyref_t>?) {
    guard let out else { return }
    out.pointee = wasmtime_anyref_t()
    guard let context else { return }
    let word = storePointer(context).pointee.anyReference(raw: raw)
    Store.rootReference(word, anyHierarchy: true)
    out.pointee = ReferenceHandles.anyref(word, storeID: storeID(context))
}

@_cdecl("wasmtime_anyref_to_raw")
public func wasmtime_anyref_to_raw(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?) -> UInt32 {
    guard let context, let word = anyWord(context, reference) else { return 0 }
    return storePointer(context).pointee.rawAnyReference(word)
}

@_cdecl("wasmtime_anyref_from_i31")
public func wasmtime_anyref_from_i31(_ context: OpaquePointer?, _ value: UInt32, _ out: UnsafeMutablePointer<wasmtime_anyref_t>?) {
    guard let out else { return }
    guard let context else { out.pointee = wasmtime_anyref_t(); return }
    out.pointee = ReferenceHandles.anyref(ReferenceTests.i31(value), storeID: storeID(context))
}

@_cdecl("wasmtime_anyref_is_i31")
public func wasmtime_anyref_is_i31(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?) -> Bool {
    guard let word = anyWord(context, reference) else { return false }
    return word & 1 != 0
}

@_cdecl("wasmtime_anyref_i31_get_u")
public func wasmtime_anyref_i31_get_u(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?,
                                      _ out: UnsafeMutablePointer<UInt32>?) -> Bool {
    guard let word = anyWord(context, reference), word & 1 != 0 else { return false }
    out?.pointee = ReferenceTests.i31Value(word, signed: false)
    return true
}

@_cdecl("wasmtime_anyref_i31_get_s")
public func wasmtime_anyref_i31_get_s(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?,
                                      _ out: UnsafeMutablePointer<Int32>?) -> Bool {
    guard let word = anyWord(context, reference), word & 1 != 0 else { return false }
    out?.pointee = Int32(bitPattern: ReferenceTests.i31Value(word, signed: true))
    return true
}

/// Whether the anyref is a non-null value of abstract heap type `heap`.
private func anyIs(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?, _ heap: HeapType) -> Bool {
    guard let word = anyWord(context, reference), word != 0 else { return false }
    return ReferenceTests.isInstance(word, ofAbstract: heap)
}

@_cdecl("wasmtime_anyref_is_eqref")
public func wasmtime_anyref_is_eqref(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?) -> Bool {
    anyIs(context, reference, .eq)
}

@_cdecl("wasmtime_anyref_is_struct")
public func wasmtime_anyref_is_struct(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?) -> Bool {
    anyIs(context, reference, .structure)
}

@_cdecl("wasmtime_anyref_is_array")
public func wasmtime_anyref_is_array(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?) -> Bool {
    anyIs(context, reference, .array)
}

@_cdecl("wasmtime_anyref_as_eqref")
public func wasmtime_anyref_as_eqref(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?,
                                     _ out: UnsafeMutablePointer<wasmtime_eqref_t>?) -> Bool {
    out?.pointee = wasmtime_eqref_t()
    guard let context, anyIs(context, reference, .eq), let word = anyWord(context, reference) else { return false }
    Store.rootReference(word, anyHierarchy: true)
    out?.pointee = ReferenceHandles.eqref(word, storeID: storeID(context))
    if out == nil { Store.unrootReference(word, anyHierarchy: true) }
    return true
}

@_cdecl("wasmtime_anyref_as_struct")
public func wasmtime_anyref_as_struct(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?,
                                      _ out: UnsafeMutablePointer<wasmtime_structref_t>?) -> Bool {
    out?.pointee = wasmtime_structref_t()
    guard let context, anyIs(context, reference, .structure), let word = anyWord(context, reference) else { return false }
    guard let out else { return true }
    Store.rootReference(word, anyHierarchy: true)
    out.pointee = ReferenceHandles.structref(word, storeID: storeID(context))
    return true
}

@_cdecl("wasmtime_anyref_as_array")
public func wasmtime_anyref_as_array(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?,
                                     _ out: UnsafeMutablePointer<wasmtime_arrayref_t>?) -> Bool {
    out?.pointee = wasmtime_arrayref_t()
    guard let context, anyIs(context, reference, .array), let word = anyWord(context, reference) else { return false }
    guard let out else { return true }
    Store.rootReference(word, anyHierarchy: true)
    out.pointee = ReferenceHandles.arrayref(word, storeID: storeID(context))
    return true
}

@_cdecl("wasmtime_anyref_type")
public func wasmtime_anyref_type(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?,
                                 _ out: UnsafeMutablePointer<wasmtime_heaptype_t>?) -> Bool {
    guard let context, let out, let word = anyWord(context, reference), word != 0 else { return false }
    return HeapTypes.ofReference(word, in: storePointer(context), into: out)
}

// MARK: eqref.h

@_cdecl("wasmtime_eqref_type")
public func wasmtime_eqref_type(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?,
                                _ out: UnsafeMutablePointer<wasmtime_heaptype_t>?) -> Bool {
    guard let context, let out, let word = eqWord(context, reference), word != 0 else { return false }
    return HeapTypes.ofReference(word, in: storePointer(context), into: out)
}

@_cdecl("wasmtime_eqref_clone")
public func wasmtime_eqref_clone(_ reference: UnsafePointer<wasmtime_eqref_t>?, _ out: UnsafeMutablePointer<wasmtime_eqref_t>?) {
    guard let out else { return }
    out.pointee = reference?.pointee ?? wasmtime_eqref_t()
    ReferenceHandles.root(storeID: out.pointee.store_id, out.pointee.__private3)
}

@_cdecl("wasmtime_eqref_unroot")
public func wasmtime_eqref_unroot(_ reference: UnsafeMutablePointer<wasmtime_eqref_t>?) {
    guard let reference else { return }
    ReferenceHandles.unroot(storeID: reference.pointee.store_id, reference.pointee.__private3)
    reference.pointee = wasmtime_eqref_t()
}

@_cdecl("wasmtime_eqref_to_anyref")
public func wasmtime_eqref_to_anyref(_ reference: UnsafePointer<wasmtime_eqref_t>?, _ out: UnsafeMutablePointer<wasmtime_anyref_t>?) {
    guard let out else { return }
    out.pointee = ReferenceHandles.anyref(ReferenceHandles.rootedWord(storeID: reference?.pointee.store_id ?? 0, reference?.pointee.__private3),
                                          storeID: reference?.pointee.store_id ?? 0)
}

@_cdecl("wasmtime_eqref_from_i31")
public func wasmtime_eqref_from_i31(_ context: OpaquePointer?, _ value: UInt32, _ out: UnsafeMutablePointer<wasmtime_eqref_t>?) {
    guard let out else { return }
    guard let context else { out.pointee = wasmtime_eqref_t(); return }
    out.pointee = ReferenceHandles.eqref(ReferenceTests.i31(value), storeID: storeID(context))
}

@_cdecl("wasmtime_eqref_is_i31")
public func wasmtime_eqref_is_i31(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?) -> Bool {
    guard let word = eqWord(context, reference) else { return false }
    return word & 1 != 0
}

@_cdecl("wasmtime_eqref_i31_get_u")
public func wasmtime_eqref_i31_get_u(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?,
                                     _ out: UnsafeMutablePointer<UInt32>?) -> Bool {
    guard let word = eqWord(context, reference), word & 1 != 0 else { return false }
    out?.pointee = ReferenceTests.i31Value(word, signed: false)
    return true
}

@_cdecl("wasmtime_eqref_i31_get_s")
public func wasmtime_eqref_i31_get_s(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?,
                                     _ out: UnsafeMutablePointer<Int32>?) -> Bool {
    guard let word = eqWord(context, reference), word & 1 != 0 else { return false }
    out?.pointee = Int32(bitPattern: ReferenceTests.i31Value(word, signed: true))
    return true
}

/// Whether the eqref is a non-null value of abstract heap type `heap`.
private func eqIs(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?, _ heap: HeapType) -> Bool {
    guard let word = eqWord(context, reference), word != 0 else { return false }
    return ReferenceTests.isInstance(word, ofAbstract: heap)
}

@_cdecl("wasmtime_eqref_is_struct")
public func wasmtime_eqref_is_struct(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?) -> Bool {
    eqIs(context, reference, .structure)
}

@_cdecl("wasmtime_eqref_is_array")
public func wasmtime_eqref_is_array(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?) -> Bool {
    eqIs(context, reference, .array)
}

@_cdecl("wasmtime_eqref_as_struct")
public func wasmtime_eqref_as_struct(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?,
                                     _ out: UnsafeMutablePointer<wasmtime_structref_t>?) -> Bool {
    out?.pointee = wasmtime_structref_t()
    guard let context, eqIs(context, reference, .structure), let word = eqWord(context, reference) else { return false }
    guard let out else { return true }
    Store.rootReference(word, anyHierarchy: true)
    out.pointee = ReferenceHandles.structref(word, storeID: storeID(context))
    return true
}

@_cdecl("wasmtime_eqref_as_array")
public func wasmtime_eqref_as_array(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_eqref_t>?,
                                    _ out: UnsafeMutablePointer<wasmtime_arrayref_t>?) -> Bool {
    out?.pointee = wasmtime_arrayref_t()
    guard let context, eqIs(context, reference, .array), let word = eqWord(context, reference) else { return false }
    guard let out else { return true }
    Store.rootReference(word, anyHierarchy: true)
    out.pointee = ReferenceHandles.arrayref(word, storeID: storeID(context))
    return true
}

// MARK: swasm.h: the conversions between the hierarchies

@_cdecl("swasm_anyref_convert_extern")
public func swasm_anyref_convert_extern(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_externref_t>?,
                                        _ out: UnsafeMutablePointer<wasmtime_anyref_t>?) -> Bool {
    out?.pointee = wasmtime_anyref_t()
    guard let context, let reference, let out else { return false }
    guard reference.pointee.store_id != 0 else { return true }
    let store = storePointer(context)
    let word = ReferenceHandles.word(reference.pointee.__private3)
    guard reference.pointee.store_id == store.pointee.id, word != 0, store.pointee.isReference(word, anyHierarchy: false) else { return false }
    let converted = ReferenceTests.converted(word)
    Store.rootReference(converted, anyHierarchy: true)
    out.pointee = ReferenceHandles.anyref(converted, storeID: store.pointee.id)
    return true
}

@_cdecl("swasm_externref_convert_any")
public func swasm_externref_convert_any(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_anyref_t>?,
                                        _ out: UnsafeMutablePointer<wasmtime_externref_t>?) -> Bool {
    out?.pointee = wasmtime_externref_t()
    guard let context, let out, let word = anyWord(context, reference) else { return false }
    guard word != 0 else { return true }
    let converted = ReferenceTests.converted(word)
    Store.rootReference(converted, anyHierarchy: false)
    out.pointee = ReferenceHandles.externref(converted, storeID: storeID(context))
    return true
}

@_cdecl("swasm_context_gc_statistics")
public func swasm_context_gc_statistics(_ context: OpaquePointer?, _ out: UnsafeMutablePointer<swasm_gc_statistics_t>?) -> Bool {
    guard let context, let out else { return false }
    let store = storePointer(context)
    out.pointee = swasm_gc_statistics_t(heap_bytes: UInt64(store.pointee.gc.byteCount), objects: UInt64(store.pointee.gc.objectCount),
                                        collections: UInt64(store.pointee.gc.collections), longest_pause_ns: store.pointee.gc.longestPause,
                                        total_pause_ns: store.pointee.gc.totalPause)
    return true
}
