import Testing
@testable import Swasm

// The guest profiler's pieces below the C API: the JSON writer and the interning tables.

@Suite struct JSONWriterTests {
    @Test func placesCommasAndEscapes() throws {
        var json = JSONWriter()
        try json.beginObject()
        try json.key("a"); try json.beginArray(); try json.number(1); try json.null(); try json.bool(true); try json.endArray()
        try json.key("b"); try json.beginObject(); try json.endObject()
        try json.key("c"); try json.string("q\"\\\n\t\u{01}\u{1f}\u{7f}é")
        try json.endObject()
        #expect(string(json.text) == "{\"a\":[1,null,true],\"b\":{},\"c\":\"q\\\"\\\\\\n\\t\\u0001\\u001f\u{7f}é\"}")
    }

    @Test func writesMillisecondsExactly() throws {
        let cases: [(UInt64, String)] = [(0, "0.0"), (1_000_000, "1.0"), (117_414, "0.117414"), (360, "0.00036"),
                                         (50_000, "0.05"), (1, "0.000001"), (1_796_692_307_559_168_512, "1796692307559.168512"),
                                         (UInt64.max, "18446744073709.551615")]
        for (nanoseconds, expected) in cases {
            var json = JSONWriter()
            try json.milliseconds(nanoseconds: nanoseconds)
            #expect(string(json.text) == expected)
        }
    }
}

@Suite struct ProfileTablesTests {
    @Test func internsStringsFramesAndStacks() throws {
        var tables = ProfileTables()
        let names: [StaticString] = ["main", "helper", "main", ""]
        var indices: [Int] = []
        for name in names {
            indices.append(try tables.internString(UnsafeRawPointer(name.utf8Start), count: name.utf8CodeUnitCount))
        }
        #expect(indices == [0, 1, 0, 2])
        #expect(tables.strings.count == 3)
        let frame = try tables.frame(PairKey(first: 0, second: 40), address: 40, function: 0)
        #expect(try tables.frame(PairKey(first: 0, second: 40), address: 40, function: 0) == frame)
        #expect(try tables.frame(PairKey(first: 1, second: 40), address: 40, function: 1) == frame + 1)
        let root = try tables.stack(prefix: nil, frame: frame)
        let child = try tables.stack(prefix: root, frame: frame)
        #expect(root != child)
        #expect(try tables.stack(prefix: root, frame: frame) == child)
        #expect(try tables.stack(prefix: nil, frame: frame) == root)
        #expect(tables.stacks.count == 2 && tables.stacks[child].prefix == root)
    }
}
