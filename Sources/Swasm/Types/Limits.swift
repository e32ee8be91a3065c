/// Size limits of a memory (in pages) or table (in elements).
public struct Limits: Equatable, BitwiseCopyable, Sendable {
    public var minimum: UInt64
    public var maximum: UInt64?

    public init(minimum: UInt64, maximum: UInt64?) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether `self` fits where `required` is expected (import subtyping).
    public func isSubtype(of required: Limits) -> Bool {
        guard minimum >= required.minimum else { return false }
        guard let requiredMaximum = required.maximum else { return true }
        guard let maximum else { return false }
        return maximum <= requiredMaximum
    }
}

/// A memory's type: limits in pages, index type, sharing and page size.
public struct MemoryType: Equatable, BitwiseCopyable, Sendable {
    public var limits: Limits
    public var is64: Bool
    public var isShared: Bool
    /// log2 of the page size: 16 (64 KiB) by default, 0 with custom page sizes.
    public var pageSizeLog2: UInt8

    public init(limits: Limits, is64: Bool = false, isShared: Bool = false, pageSizeLog2: UInt8 = 16) {
        self.limits = limits
        self.is64 = is64
        self.isShared = isShared
        self.pageSizeLog2 = pageSizeLog2
    }

    /// The largest number of pages the index type can address.
    public var maximumPages: UInt64 {
        let addressBits: UInt64 = is64 ? 64 : 32
        let shift = addressBits &- UInt64(pageSizeLog2)
        // A 32-bit memory counts its pages in 32 bits (2^32 - 1 pages of 1 byte at most).
        if !is64 { return Swift.min(1 << shift, UInt64(UInt32.max)) }
        return shift >= 64 ? UInt64.max : (1 << shift)
    }

    /// Checks the limits against the index type; nil when valid, otherwise what is wrong, in
    /// wasmtime's words (a bad page size is `hasValidPageSize`, whose message names the size).
    public var limitsProblem: StaticString? {
        if let maximum = limits.maximum, maximum < limits.minimum {
            return "maximum page size cannot be smaller than the minimum page size"
        }
        if limits.minimum > maximumPages { return "minimum size is too large for this memory type's index type" }
        if (limits.maximum ?? 0) > maximumPages { return "maximum size is too large for this memory type's index type" }
        if isShared && limits.maximum == nil { return "shared memories must have a maximum size" }
        return nil
    }

    /// Page sizes of the custom-page-sizes proposal: 2^16 and 2^0.
    public var hasValidPageSize: Bool { pageSizeLog2 == 0 || pageSizeLog2 == 16 }
}

/// A table's type: element reference type and limits in elements.
public struct TableType: Equatable, BitwiseCopyable, Sendable {
    public var element: ValueType
    public var limits: Limits
    public var is64: Bool

    public init(element: ValueType, limits: Limits, is64: Bool = false) {
        self.element = element
        self.limits = limits
        self.is64 = is64
    }
}

/// A global's type: content type and mutability.
public struct GlobalType: Equatable, BitwiseCopyable, Sendable {
    public var content: ValueType
    public var isMutable: Bool

    public init(content: ValueType, isMutable: Bool) {
        self.content = content
        self.isMutable = isMutable
    }
}

/// The kind of an import or export (`wasm_externkind_t` values).
public enum ExternKind: UInt8, BitwiseCopyable {
    case function = 0
    case global = 1
    case table = 2
    case memory = 3
    case tag = 4
}
