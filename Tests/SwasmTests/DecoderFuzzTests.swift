import Foundation
import Testing
@testable import Swasm

/// Mutation fuzzing of `ModuleDecoder`: every mutant of a corpus of valid modules must decode to a
/// module or fail with a decoding, validation or limit error, never crash (in debug builds the
/// fallible collections also assert their indices). Deterministic: a fixed seed. With
/// `SWASM_SPEC_JSON_DIR` set, the spec suite's modules join the corpus; `SWASM_FUZZ_ROUNDS` sets the
/// number of mutants per module.
@Suite struct DecoderFuzzTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static func corpus() -> [[UInt8]] {
        let constant: [UInt8] = [0xfd, 0x0c] + [UInt8](repeating: 3, count: 16)
        var modules: [[UInt8]] = [
            oneFunction([i32, i32], [i32], locals: [(2, i64)], [
                0x02, i32, 0x20, 0x00, 0x04, i32, 0x20, 0x01, 0x05, 0x41, 0x07, 0x0b, 0x0b,
                0x03, 0x40, 0x20, 0x00, 0x0d, 0x00, 0x0b, 0x41, 0x01, 0x6a,
                0x20, 0x01, 0x0e, 0x02, 0x00, 0x00, 0x00]),
            oneFunction([], [i32], [0x41, 0x00, 0x28, 0x02, 0x04, 0x41, 0x00, 0x42, 0x05, 0x37, 0x03, 0x00,
                                    0x3f, 0x00, 0x6a, 0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0xfc, 0x0b, 0x00],
                        between: memorySection1),
            oneFunction([], [v128], constant + constant + [0xfd, 0x6e, 0x41, 0x02, 0xfd, 0x6b, 0xfd, 0x15, 0x03, 0xfd, 0x11]
                        + constant + [0xfd, 0x0d] + [UInt8](0..<16)),
            module(typeSection(functionType([], []), functionType([i32], [i64])),
                   section(2, vec([name("env") + name("f") + [0x00, 0x01], name("env") + name("g") + [0x03, i32, 0x00]])),
                   functionSection(0, 1),
                   section(4, vec([[funcref, 0x00, 0x02], [externref, 0x01, 0x00, 0x04]])),
                   memorySection1,
                   section(6, vec([[i32, 0x01, 0x23, 0x00, 0x0b], [funcref, 0x00, 0xd2, 0x02, 0x0b]])),
                   section(7, vec([name("f") + [0x00, 0x01], name("m") + [0x02, 0x00]])),
                   section(8, leb(1)),
                   section(9, vec([[0x00, 0x41, 0x00, 0x0b] + vec([leb(1), leb(2)]), [0x05, externref] + vec([[0xd0, externref, 0x0b]])])),
                   section(12, leb(2)),
                   codeSection(body([0xd2, 0x01, 0x1a, 0x41, 0x00, 0x25, 0x00, 0x1a, 0xfc, 0x0d, 0x01]),
                               body([0x20, 0x00, 0xad, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x01, 0x00])),
                   section(11, vec([[0x00, 0x41, 0x08, 0x0b] + leb(2) + [1, 2], [0x01] + leb(1) + [9]])),
                   section(0, name("name") + [0x01, 0x04, 0x01, 0x01, 0x01, 0x61])),
        ]
        if let root = ProcessInfo.processInfo.environment["SWASM_SPEC_JSON_DIR"], !root.isEmpty,
           let enumerator = FileManager.default.enumerator(atPath: root) {
            var files: [String] = []
            while let path = enumerator.nextObject() as? String {
                if path.hasSuffix(".wasm") { files.append(path) }
            }
            for path in files.sorted().prefix(1500) {
                if let data = FileManager.default.contents(atPath: (root as NSString).appendingPathComponent(path)) {
                    modules.append([UInt8](data))
                }
            }
        }
        return modules
    }

    @Test func mutantsNeverCrash() {
        let corpus = Self.corpus()
        var generator = Generator(state: 0x9e37_79b9_7f4a_7c15)
        var outcomes: [String: Int] = [:]
        let configured = ProcessInfo.processInfo.environment["SWASM_FUZZ_ROUNDS"].flatMap { Int($0) }
        let rounds = configured ?? (corpus.count > 10 ? 40 : 6000)
        for original in corpus {
            for _ in 0..<rounds {
                var bytes = original
                for _ in 0..<(1 + generator.below(3)) where bytes.count > 8 {
                    let position = 8 + generator.below(bytes.count - 8)
                    switch generator.below(5) {
                    case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                    case 1: bytes[position] ^= 1 << UInt8(generator.below(8))
                    case 2: bytes.remove(at: position)
                    case 3: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
                    default:
                        let interesting: [UInt8] = [0x00, 0x0b, 0x02, 0x40, 0x7f, 0x80, 0xff, 0xfc, 0xfd, 0x70, 0x6f, 0x7b, 0x05, 0x0e]
                        bytes[position] = interesting[generator.below(interesting.count)]
                    }
                }
                let outcome = decode(bytes)
                let key = outcome.error.map { "\($0)" } ?? "valid"
                outcomes[key, default: 0] += 1
                if let error = outcome.error {
                    #expect([SwasmError.malformed, .invalid, .limitExceeded].contains(error), "\(error): \(outcome.message)")
                    #expect(!outcome.message.isEmpty)
                }
            }
        }
        print("decoder fuzz over \(corpus.count) modules: \(outcomes.sorted { $0.key < $1.key })")
    }
}
