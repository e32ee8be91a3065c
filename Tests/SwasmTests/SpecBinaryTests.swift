import Foundation
import Testing
@testable import Swasm

/// The WebAssembly spec test suite's verdicts on binary modules, checked against `ModuleDecoder`.
///
/// Needs `SWASM_SPEC_JSON_DIR`: a directory with one subdirectory per `.wast` script, each holding
/// the script's `wast2json` output (`NAME.json` plus its `.wasm` files), made for example with
///
///     for f in spec-testsuite/*.wast; do n=$(basename $f .wast); mkdir -p /tmp/specjson/$n
///       wast2json $f -o /tmp/specjson/$n/$n.json; done
///
/// Checks: every `module` decodes and validates; every binary `assert_malformed` fails with
/// `.malformed`; every `assert_invalid` fails with `.invalid`; every `assert_unlinkable` /
/// `assert_uninstantiable` module decodes. Messages that do not start with the suite's expected
/// text are counted and listed, not failed.
@Suite struct SpecBinaryTests {
    struct Tally {
        var passed = 0
        var failed = 0
        var messageMismatches = 0
    }

    @Test func specBinaryVerdicts() throws {
        guard let root = ProcessInfo.processInfo.environment["SWASM_SPEC_JSON_DIR"], !root.isEmpty else {
            print("""

            ************************************************************************************
            * SpecBinaryTests SKIPPED: SWASM_SPEC_JSON_DIR is not set.                          *
            * Point it at a directory of wast2json outputs (one subdirectory per .wast script)  *
            * to check the decoder against the spec test suite; see SpecBinaryTests.swift.      *
            ************************************************************************************

            """)
            return
        }
        let manager = FileManager.default
        let directories = try manager.contentsOfDirectory(atPath: root).sorted()
        var totals: [String: Tally] = [:]
        var failures: [String] = []
        var mismatches: [String] = []
        var files = 0
        let verbose = ProcessInfo.processInfo.environment["SWASM_SPEC_VERBOSE"] != nil

        for name in directories {
            let directory = (root as NSString).appendingPathComponent(name)
            let jsonPath = (directory as NSString).appendingPathComponent("\(name).json")
            guard let data = manager.contents(atPath: jsonPath) else { continue }
            guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let commands = json["commands"] as? [[String: Any]] else {
                failures.append("\(name): cannot read \(jsonPath)")
                continue
            }
            files += 1
            var perFile: [String: Tally] = [:]
            for command in commands {
                guard let type = command["type"] as? String, let filename = command["filename"] as? String else { continue }
                let line = command["line"] as? Int ?? 0
                let category: String
                let expected: SwasmError?
                switch type {
                case "module":
                    // (wasm-tools keeps the text of modules it does not assemble: only binaries are checked.)
                    guard !filename.hasSuffix(".wat") else { continue }
                    category = "module"; expected = nil
                case "assert_malformed":
                    guard (command["module_type"] as? String) == "binary" else { continue }
                    category = "malformed"; expected = .malformed
                case "assert_invalid":
                    guard (command["module_type"] as? String) == "binary" else { continue }
                    category = "invalid"; expected = .invalid
                case "assert_unlinkable", "assert_uninstantiable":
                    category = "instantiation"; expected = nil
                default:
                    continue
                }
                let path = (directory as NSString).appendingPathComponent(filename)
                guard let bytes = manager.contents(atPath: path) else {
                    failures.append("\(name):\(line): missing \(filename)")
                    continue
                }
                let (error, message) = decode(bytes)
                var tally = perFile[category] ?? Tally()
                if error == expected {
                    tally.passed += 1
                    if let expected, let text = command["text"] as? String, !message.hasPrefix(text) {
                        tally.messageMismatches += 1
                        mismatches.append("\(name):\(line) [\(expected)] expected \"\(text)\", got \"\(message)\"")
                    }
                } else {
                    tally.failed += 1
                    let wanted = expected.map { "\($0)" } ?? "success"
                    let got = error.map { "\($0)" } ?? "success"
                    let text = command["text"] as? String ?? ""
                    failures.append("\(name):\(line) \(filename): expected \(wanted) \(text.isEmpty ? "" : "(\"\(text)\")"), got \(got): \(message)")
                }
                perFile[category] = tally
            }
            var fileLine = "\(name):"
            for category in ["module", "malformed", "invalid", "instantiation"] {
                guard let tally = perFile[category] else { continue }
                fileLine += " \(category) \(tally.passed)/\(tally.passed + tally.failed)"
                var total = totals[category] ?? Tally()
                total.passed += tally.passed
                total.failed += tally.failed
                total.messageMismatches += tally.messageMismatches
                totals[category] = total
            }
            print(fileLine)
        }

        print("\nSpec binary verdicts over \(files) scripts:")
        var allFailed = 0
        for category in ["module", "malformed", "invalid", "instantiation"] {
            let tally = totals[category] ?? Tally()
            allFailed += tally.failed
            print("  \(category): \(tally.passed) passed, \(tally.failed) failed, \(tally.messageMismatches) message mismatches")
        }
        if !mismatches.isEmpty {
            print("Message mismatches (\(mismatches.count)):")
            for line in mismatches.prefix(verbose ? mismatches.count : 60) { print("  " + line) }
        }
        if !failures.isEmpty {
            print("Wrong verdicts (\(failures.count)):")
            for line in failures.prefix(200) { print("  " + line) }
        }
        #expect(files > 0, "no wast2json output found under \(root)")
        #expect(allFailed == 0, "\(allFailed) wrong verdicts on spec binary modules (listed above)")
    }

    /// Decodes with the WebAssembly 2.0 feature set, or with `SWASM_SPEC_FEATURES=3.0` the
    /// default one plus GC (for scripts converted with `wasm-tools json-from-wast`): the error,
    /// if any, and the diagnostic.
    func decode(_ bytes: Data) -> (SwasmError?, String) {
        var diagnostic = Diagnostic()
        let gc = ProcessInfo.processInfo.environment["SWASM_SPEC_FEATURES"] == "3.0"
        let features: Features = gc ? Features.defaults.union(.gc) : .webAssembly2
        let result: SwasmError? = bytes.withUnsafeBytes { buffer in
            do throws(SwasmError) {
                _ = try ModuleDecoder.decode(buffer, features: features, validatingUnimplemented: gc, diagnostic: &diagnostic)
                return nil
            } catch {
                return error
            }
        }
        return (result, string(diagnostic.message))
    }
}
