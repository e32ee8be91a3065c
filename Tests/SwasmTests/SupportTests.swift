import Testing
@testable import Swasm

/// The bytes of a buffer as a String (Swift Testing's macros cannot take non-copyable values).
func string(_ buffer: borrowing ByteBuffer) -> String {
    String(decoding: UnsafeBufferPointer(start: buffer.bytes, count: buffer.count), as: UTF8.self)
}

@Suite struct FallibleVectorTests {
    @Test func appendGrowsAndKeepsOrder() throws {
        var vector = FallibleVector<Int>()
        for value in 0..<1000 { try vector.append(value) }
        let (count, capacity) = (vector.count, vector.capacity)
        #expect(count == 1000)
        #expect(capacity >= 1000)
        for index in 0..<1000 { let value = vector[index]; #expect(value == index) }
        let last = vector.popLast()
        #expect(last == 999)
        let remaining = vector.count
        #expect(remaining == 999)
    }

    @Test func impossibleReservationFailsWithOutOfMemory() {
        var vector = FallibleVector<UInt64>()
        var failure: SwasmError?
        do { try vector.reserve(Int.max / 4) } catch { failure = error }
        #expect(failure == .outOfMemory)
        let (count, capacity) = (vector.count, vector.capacity)
        #expect(count == 0)
        #expect(capacity == 0)
    }

    @Test func cloneIsIndependent() throws {
        var vector = FallibleVector<Int>()
        try vector.append(1)
        var copy = try vector.clone()
        copy[0] = 2
        let (original, copied) = (vector[0], copy[0])
        #expect(original == 1)
        #expect(copied == 2)
    }

    @Test func ownsNonCopyableElements() throws {
        var vector = FallibleVector<ByteBuffer>()
        try vector.append(try ByteBuffer("first"))
        try vector.append(try ByteBuffer("second"))
        let second = string(vector[1])
        #expect(second == "second")
        vector.removeAll()
        let empty = vector.isEmpty
        #expect(empty)
    }
}

@Suite struct ByteBufferTests {
    @Test func formatsNumbers() throws {
        var text = ByteBuffer()
        try text.append("n=")
        try text.appendDecimal(UInt64(0))
        try text.append(" ")
        try text.appendDecimal(Int64(-1234))
        try text.append(" ")
        try text.appendHex(0x4f)
        let result = string(text)
        #expect(result == "n=0 -1234 0x4f")
    }

    @Test func maximumDecimal() throws {
        var text = ByteBuffer()
        try text.appendDecimal(UInt64.max)
        let result = string(text)
        #expect(result == "18446744073709551615")
    }
}

@Suite struct FallibleHashMapTests {
    @Test func insertFindRemove() throws {
        var map = FallibleHashMap<ByteBuffer, Int>()
        for index in 0..<500 {
            var key = ByteBuffer()
            try key.append("key")
            try key.appendDecimal(UInt64(index))
            let previous = try map.insert(key, index)
            #expect(previous == nil)
        }
        let full = map.count
        #expect(full == 500)
        for index in stride(from: 0, to: 500, by: 2) {
            var key = ByteBuffer()
            try key.append("key")
            try key.appendDecimal(UInt64(index))
            let removed = map.remove(key)
            #expect(removed == index)
        }
        let half = map.count
        #expect(half == 250)
        for index in 0..<500 {
            var key = ByteBuffer()
            try key.append("key")
            try key.appendDecimal(UInt64(index))
            let found = map.withValue(for: key) { $0 }
            #expect(found == (index % 2 == 0 ? nil : index))
        }
        let replaced = try map.insert(try ByteBuffer("key1"), 42)
        #expect(replaced == 1)
        let probe = try ByteBuffer("key1")
        let value = map.withValue(for: probe) { $0 }
        #expect(value == 42)
    }

    @Test func tombstonesDoNotGrowWithoutBound() throws {
        var map = FallibleHashMap<ByteBuffer, Int>()
        for round in 0..<10_000 {
            try map.insert(try ByteBuffer("same"), round)
            _ = map.remove(try ByteBuffer("same"))
        }
        let count = map.count
        #expect(count == 0)
    }
}

@Suite struct SharedTests {
    @Test func lastReleaseDestroys() throws {
        let shared = try Shared<ByteBuffer>.create(try ByteBuffer("payload"))
        shared.retain()
        #expect(shared.referenceCount == 2)
        shared.release()
        #expect(shared.referenceCount == 1)
        let length = shared.pointer.pointee.count
        #expect(length == 7)
        shared.release()
    }
}

@Suite struct ErrorReportTests {
    @Test func outOfMemoryIsStaticAndRecognised() {
        let oom = ErrorReport.make(.outOfMemory, "ignored")
        #expect(ErrorReport.isOutOfMemory(oom))
        #expect(ErrorReport.kind(of: oom) == .outOfMemory)
        ErrorReport.destroy(oom) // a no-op, must not crash
        let message = ErrorReport.withMessage(oom) { String(decoding: UnsafeRawBufferPointer(start: $0, count: $1), as: UTF8.self) }
        #expect(message == "out of memory")
    }

    @Test func messageIsKept() {
        let error = ErrorReport.make(.invalid) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("bad at ")
            try text.appendHex(16)
        }
        #expect(!ErrorReport.isOutOfMemory(error))
        #expect(ErrorReport.kind(of: error) == .invalid)
        let message = ErrorReport.withMessage(error) { String(decoding: UnsafeRawBufferPointer(start: $0, count: $1), as: UTF8.self) }
        #expect(message == "bad at 0x10")
        ErrorReport.destroy(error)
    }
}

@Suite struct EngineAndStoreTests {
    @Test func inconsistentFeaturesAreRejected() {
        var config = EngineConfig()
        config.set(.simd, false)
        config.set(.relaxedSimd, true)
        #expect(config.problem != nil)
        var failure: SwasmError?
        do { _ = try Engine.create(config: config) } catch { failure = error }
        #expect(failure == .invalidArgument)
    }

    @Test func fuelNeedsTheEngineSwitch() throws {
        let engine = try Engine.create(config: EngineConfig())
        var store = Store(engine: engine, hostData: nil, hostFinalizer: nil)
        var failure: SwasmError?
        do { try store.setFuel(10) } catch { failure = error }
        #expect(failure == .unsupported)
        _ = consume store
        var config = EngineConfig()
        config.consumeFuel = true
        let fueled = try Engine.create(config: config)
        var fueledStore = Store(engine: fueled, hostData: nil, hostFinalizer: nil)
        try fueledStore.setFuel(10)
        let fuel = try fueledStore.getFuel()
        #expect(fuel == 10)
        _ = consume fueledStore
        engine.release()
        fueled.release()
    }

    @Test func epochDeadlineIsRelativeToTheEngine() throws {
        let engine = try Engine.create(config: EngineConfig())
        Engine.incrementEpoch(engine)
        Engine.incrementEpoch(engine)
        var store = Store(engine: engine, hostData: nil, hostFinalizer: nil)
        store.setEpochDeadline(ticksBeyondCurrent: 3)
        let deadline = store.epochDeadline
        #expect(deadline == 5)
        _ = consume store
        engine.release()
    }
}
