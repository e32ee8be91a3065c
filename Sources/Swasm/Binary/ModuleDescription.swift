/// A decoded and validated module: everything the runtime needs, with code and data left in
/// place as ranges of the module's own bytes (kept in `bytes`), so decoding allocates little.
///
/// Index spaces follow the specification: imported functions, tables, memories, globals and tags
/// come first, then the module's own definitions.

/// A function signature.
public struct FunctionType: ~Copyable {
    public var parameters = FallibleVector<ValueType>()
    public var results = FallibleVector<ValueType>()

    public init() {}

    public func isEqual(to other: borrowing FunctionType) -> Bool {
        guard parameters.count == other.parameters.count, results.count == other.results.count else { return false }
        for index in 0..<parameters.count where parameters[index] != other.parameters[index] { return false }
        for index in 0..<results.count where results[index] != other.results[index] { return false }
        return true
    }
}

/// The type of an import or export.
public enum ExternType: BitwiseCopyable, Equatable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    case tag(typeIndex: UInt32)

    public var kind: ExternKind {
        switch self {
        case .function: return .function
        case .table: return .table
        case .memory: return .memory
        case .global: return .global
        case .tag: return .tag
        }
    }
}

/// A range of the module's bytes.
public struct ByteRange: BitwiseCopyable, Equatable {
    public var start: Int
    public var count: Int
    public init(start: Int, count: Int) { self.start = start; self.count = count }
    public var end: Int { start &+ count }
}

public struct Import: ~Copyable {
    public var module: ByteBuffer
    public var name: ByteBuffer
    public var type: ExternType
    public init(module: consuming ByteBuffer, name: consuming ByteBuffer, type: ExternType) {
        self.module = module
        self.name = name
        self.type = type
    }
}

public struct Export: ~Copyable {
    public var name: ByteBuffer
    public var kind: ExternKind
    public var index: UInt32
    public init(name: consuming ByteBuffer, kind: ExternKind, index: UInt32) {
        self.name = name
        self.kind = kind
        self.index = index
    }
}

/// A validated constant expression (global initializers, segment offsets, element items): the
/// bytes of its instructions, including the final `end`.
public typealias ConstantExpression = ByteRange

public enum SegmentMode: BitwiseCopyable, Equatable {
    case passive
    case declarative
    case active(index: UInt32, offset: ConstantExpression)
}

public struct ElementSegment: ~Copyable {
    public var type: ValueType
    public var mode: SegmentMode
    /// Items as function indices (the compact encodings) ...
    public var functionIndices = FallibleVector<UInt32>()
    /// ... or as constant expressions (the expression encodings); exactly one of the two is used.
    public var expressions = FallibleVector<ConstantExpression>()
    public var usesExpressions: Bool

    public init(type: ValueType, mode: SegmentMode, usesExpressions: Bool) {
        self.type = type
        self.mode = mode
        self.usesExpressions = usesExpressions
    }

    public var count: Int { usesExpressions ? expressions.count : functionIndices.count }
}

public struct DataSegment: BitwiseCopyable {
    public var mode: SegmentMode
    public var bytes: ByteRange
    public init(mode: SegmentMode, bytes: ByteRange) { self.mode = mode; self.bytes = bytes }
}

/// A run of locals of one type, as declared in a function body.
public struct LocalGroup: BitwiseCopyable {
    public var count: UInt32
    public var type: ValueType
    public init(count: UInt32, type: ValueType) { self.count = count; self.type = type }
}

/// A defined function's body.
public struct FunctionBody: ~Copyable {
    /// The whole body entry (size-prefixed), for offsets in errors and backtraces.
    public var range: ByteRange
    /// The instructions, after the local declarations, through the final `end`.
    public var code: ByteRange
    public var locals = FallibleVector<LocalGroup>()
    /// Total number of locals declared (not counting parameters).
    public var localCount: Int = 0
    /// Deepest operand stack the validator saw (in values), for sizing frames.
    public var maxStackHeight: Int = 0

    public init(range: ByteRange, code: ByteRange) {
        self.range = range
        self.code = code
    }
}

public struct CustomSection: BitwiseCopyable {
    public var name: ByteRange
    public var contents: ByteRange
    public init(name: ByteRange, contents: ByteRange) { self.name = name; self.contents = contents }
}

/// A function's name from the `name` section.
public struct FunctionName: BitwiseCopyable {
    public var index: UInt32
    public var name: ByteRange
    public init(index: UInt32, name: ByteRange) { self.index = index; self.name = name }
}

public struct ModuleDescription: ~Copyable {
    /// A copy of the module's bytes; every `ByteRange` indexes into it.
    public var bytes = ByteBuffer()
    /// Every type index's function signature (empty for struct and array types) ...
    public var types = FallibleVector<FunctionType>()
    /// ... and the rest of its definition.
    public var typeDefinitions = FallibleVector<TypeDefinition>()
    /// The fields of the struct types and the elements of the array types (`TypeDefinition.fieldsStart`).
    public var fields = FallibleVector<FieldType>()
    public var imports = FallibleVector<Import>()
    /// The type index of every function, imported ones first.
    public var functions = FallibleVector<UInt32>()
    public var importedFunctionCount = 0
    public var tables = FallibleVector<TableType>()
    public var importedTableCount = 0
    /// The initializers of the defined tables (`tables[importedTableCount + i]`), where the table
    /// type has one (otherwise elements start as null).
    public var tableInitializers = FallibleVector<ConstantExpression?>()
    public var memories = FallibleVector<MemoryType>()
    public var importedMemoryCount = 0
    public var globals = FallibleVector<GlobalType>()
    public var importedGlobalCount = 0
    /// Initializers of the defined globals (`globals[importedGlobalCount + i]`).
    public var globalInitializers = FallibleVector<ConstantExpression>()
    public var tags = FallibleVector<UInt32>()
    public var importedTagCount = 0
    public var exports = FallibleVector<Export>()
    public var start: UInt32?
    public var elements = FallibleVector<ElementSegment>()
    public var data = FallibleVector<DataSegment>()
    public var dataCount: UInt32?
    /// Bodies of the defined functions (`functions[importedFunctionCount + i]`).
    public var bodies = FallibleVector<FunctionBody>()
    public var customSections = FallibleVector<CustomSection>()
    /// From the `name` section, when present and well-formed (a malformed `name` section is ignored,
    /// as custom sections must not make a module invalid).
    public var moduleName: ByteRange?
    /// Sorted by function index.
    public var functionNames = FallibleVector<FunctionName>()

    public init() {}

    /// The signature of a function type index (already validated to be in range).
    public func functionType(_ typeIndex: UInt32) -> UnsafePointer<FunctionType> {
        UnsafePointer(types.base!.advanced(by: Int(typeIndex)))
    }

    /// The type of memory `index`'s addresses: i64 for a 64-bit memory, else i32 (an unknown
    /// index too; validation reports it).
    public func addressType(memory index: UInt32) -> ValueType {
        Int(index) < memories.count && memories[Int(index)].is64 ? .i64 : .i32
    }

    /// The type of table `index`'s indices and sizes (as `addressType(memory:)`).
    public func addressType(table index: UInt32) -> ValueType {
        Int(index) < tables.count && tables[Int(index)].is64 ? .i64 : .i32
    }

    /// The bytes of a range.
    public func slice(_ range: ByteRange) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes.bytes.map { UnsafeRawPointer($0).advanced(by: range.start) }, count: range.count)
    }

    /// The type of export `index`.
    public func exportType(_ index: Int) -> ExternType {
        let export = exports.base!.advanced(by: index)
        let itemIndex = Int(export.pointee.index)
        switch export.pointee.kind {
        case .function: return .function(typeIndex: functions[itemIndex])
        case .table: return .table(tables[itemIndex])
        case .memory: return .memory(memories[itemIndex])
        case .global: return .global(globals[itemIndex])
        case .tag: return .tag(typeIndex: tags[itemIndex])
        }
    }

    /// The name section's name for function `index`, if any.
    public func functionName(_ index: UInt32) -> ByteRange? {
        var low = 0
        var high = functionNames.count
        while low < high {
            let middle = (low &+ high) / 2
            let entry = functionNames[middle]
            if entry.index == index { return entry.name }
            if entry.index < index { low = middle &+ 1 } else { high = middle }
        }
        return nil
    }
}
