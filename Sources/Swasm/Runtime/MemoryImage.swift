import CSwasm

/// Part of a memory image: `length` bytes of memory `memory` from `memoryOffset`, both whole image
/// pages, whose contents lie at `fileOffset` of the artifact that carries the image.
public struct ImageRun: BitwiseCopyable {
    public var memory: UInt32
    public var memoryOffset: UInt64
    public var length: UInt64
    public var fileOffset: UInt64
}

/// The initial contents of a memory a module defines, as whole 4 KiB pages, for memories whose
/// contents after instantiation the module alone decides: not imported, not shared, every active
/// data segment with a constant offset and inside the memory's minimum, no two overlapping, at
/// least a page of data, and few runs of pages. An artifact carries the pages of each such memory
/// (docs/artifact-format.md) so that instances can map them copy-on-write from the file instead of
/// copying the segments. The layout is derived from the module, by the writer and again by the
/// loader, which checks the artifact's pages against the segments: a forged image is refused.
struct MemoryImageLayout: ~Copyable {
    static let pageSize: UInt64 = 4096
    /// Runs of data pages separated by at most this many pages of zeros are one run.
    static let mergedGapPages: UInt64 = 16
    /// More runs than this: no image (each run is a mapping of every instance).
    static let maximumRuns = 64

    /// A data segment's bytes (a range of the module's bytes) at its memory offset.
    struct Piece: BitwiseCopyable {
        var offset: UInt64
        var source: ByteRange
    }

    let memory: UInt32
    /// The runs, in memory order; their `fileOffset` counts from the image's first byte.
    var runs = FallibleVector<ImageRun>()
    /// The segments, in memory order.
    var pieces = FallibleVector<Piece>()
    /// The image's size: the runs' lengths added.
    var byteCount: UInt64 = 0

    init(memory: UInt32) { self.memory = memory }

    /// The layouts of `module`'s memories that have an image, in memory order.
    static func layouts(of module: UnsafePointer<ModuleDescription>) throws(SwasmError) -> FallibleVector<MemoryImageLayout> {
        var layouts = FallibleVector<MemoryImageLayout>()
        for index in module.pointee.importedMemoryCount..<module.pointee.memories.count {
            if let layout = try layout(of: module, memory: index) { try layouts.append(layout) }
        }
        return layouts
    }

    /// The layout of memory `index`'s image, or nil when it has none.
    static func layout(of module: UnsafePointer<ModuleDescription>, memory index: Int) throws(SwasmError) -> MemoryImageLayout? {
        let type = module.pointee.memories[index]
        guard !type.isShared else { return nil }
        let (minimum, overflow) = type.limits.minimum.multipliedReportingOverflow(by: UInt64(1) << UInt64(type.pageSizeLog2))
        guard !overflow else { return nil }
        var layout = MemoryImageLayout(memory: UInt32(index))
        var total: UInt64 = 0
        for segment in 0..<module.pointee.data.count {
            guard case .active(let target, let expression) = module.pointee.data[segment].mode, Int(target) == index else { continue }
            guard let value = ConstantEvaluator.plainConstant(expression, in: module) else { return nil }
            let offset = type.is64 ? value : UInt64(UInt32(truncatingIfNeeded: value))
            let source = module.pointee.data[segment].bytes
            let count = UInt64(source.count)
            guard offset <= minimum, count <= minimum &- offset else { return nil }
            if count > 0 {
                try layout.pieces.append(Piece(offset: offset, source: source))
                total &+= count
            }
        }
        guard total >= pageSize, let pieces = layout.pieces.base else { return nil }
        sortByOffset(pieces, count: layout.pieces.count)
        var runEnd: UInt64 = 0
        for position in 0..<layout.pieces.count {
            let piece = pieces[position]
            let end = piece.offset &+ UInt64(piece.source.count)
            guard position == 0 || piece.offset >= pieces[position &- 1].offset &+ UInt64(pieces[position &- 1].source.count) else { return nil }
            let first = piece.offset & ~(pageSize &- 1), last = (end &+ pageSize &- 1) & ~(pageSize &- 1)
            if layout.runs.count > 0 && first <= runEnd &+ mergedGapPages &* pageSize {
                runEnd = max(runEnd, last)
                layout.runs[layout.runs.count &- 1].length = runEnd &- layout.runs[layout.runs.count &- 1].memoryOffset
            } else {
                guard layout.runs.count < maximumRuns else { return nil }
                try layout.runs.append(ImageRun(memory: UInt32(index), memoryOffset: first, length: last &- first, fileOffset: 0))
                runEnd = last
            }
        }
        for run in 0..<layout.runs.count {
            layout.runs[run].fileOffset = layout.byteCount
            layout.byteCount &+= layout.runs[run].length
        }
        return layout
    }

    /// Writes the image into `image` (`byteCount` bytes, zeroed).
    func write(into image: UnsafeMutableRawPointer, module: UnsafePointer<ModuleDescription>) {
        var run = 0
        for position in 0..<pieces.count {
            let piece = pieces[position]
            while piece.offset >= runs[run].memoryOffset &+ runs[run].length { run &+= 1 }
            guard let source = module.pointee.slice(piece.source).baseAddress else { continue }
            let at = runs[run].fileOffset &+ (piece.offset &- runs[run].memoryOffset)
            image.advanced(by: Int(at)).copyMemory(from: source, byteCount: piece.source.count)
        }
    }

    /// Whether `image` (`byteCount` bytes) is what `write` would write: the segments' bytes where
    /// they are, zeros everywhere else.
    func matches(_ image: UnsafeRawPointer, module: UnsafePointer<ModuleDescription>) -> Bool {
        var position = 0
        for run in 0..<runs.count {
            let start = runs[run].memoryOffset, end = start &+ runs[run].length
            // The image's byte for memory offset `offset` of this run.
            func at(_ offset: UInt64) -> UnsafeRawPointer { image.advanced(by: Int(runs[run].fileOffset &+ (offset &- start))) }
            var cursor = start
            while position < pieces.count && pieces[position].offset < end {
                let piece = pieces[position]
                guard cswasm_is_zero(at(cursor), Int(piece.offset &- cursor)),
                      let source = module.pointee.slice(piece.source).baseAddress,
                      cswasm_memcmp(at(piece.offset), source, piece.source.count) == 0 else { return false }
                cursor = piece.offset &+ UInt64(piece.source.count)
                position &+= 1
            }
            guard cswasm_is_zero(at(cursor), Int(end &- cursor)) else { return false }
        }
        return true
    }

    /// Sorts `count` pieces by offset (heap sort: no allocation, no recursion).
    private static func sortByOffset(_ pieces: UnsafeMutablePointer<Piece>, count: Int) {
        func swap(_ a: Int, _ b: Int) {
            let piece = pieces[a]
            pieces[a] = pieces[b]
            pieces[b] = piece
        }
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while true {
                var child = 2 &* root &+ 1
                guard child < end else { return }
                if child &+ 1 < end && pieces[child &+ 1].offset > pieces[child].offset { child &+= 1 }
                guard pieces[child].offset > pieces[root].offset else { return }
                swap(root, child)
                root = child
            }
        }
        var start = count / 2
        while start > 0 {
            start &-= 1
            siftDown(start, count)
        }
        var end = count
        while end > 1 {
            end &-= 1
            swap(0, end)
            siftDown(0, end)
        }
    }
}
