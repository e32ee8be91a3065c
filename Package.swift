// swift-tools-version: 6.1
// The swasm core, built two ways from the same sources:
//  - SWASM_EMBEDDED=1 (set by CMake): Embedded Swift, whole-module, producing libswasm.so that
//    depends on libc alone. This is the library that ships.
//  - otherwise: hosted Swift, so `swift test` can exercise the core's types directly.
import PackageDescription

let embedded = Context.environment["SWASM_EMBEDDED"] == "1"
// SWASM_FUZZ=1 (with SWASM_EMBEDDED=1): instrument the library for libFuzzer's coverage guidance.
let fuzzing = Context.environment["SWASM_FUZZ"] == "1"
let root = Context.packageDirectory
let publicHeaders = "\(root)/include"

var coreSwiftSettings: [SwiftSetting] = [
    // Merging look-alike interpreter handlers would add a parameter and break their tail calls.
    .unsafeFlags(["-Xcc", "-I\(publicHeaders)", "-Xfrontend", "-disable-llvm-merge-functions-pass"]),
]
var coreLinkerSettings: [LinkerSetting] = []
if embedded {
    coreSwiftSettings += [
        .enableExperimentalFeature("Embedded"),
        .unsafeFlags(["-wmo", "-Xfrontend", "-disable-stack-protector",
                      // The interpreter's C handlers need no frame pointer: every one ends in a
                      // tail call, and the push/pop cost 13-21% of the instructions executed.
                      "-Xcc", "-Xclang", "-Xcc", "-mframe-pointer=none"]),
    ]
    if fuzzing { coreSwiftSettings.append(.unsafeFlags(["-sanitize=fuzzer"])) }
    coreLinkerSettings += [
        .unsafeFlags([
            "-Xlinker", "-soname=libswasm.so.0",
            "-Xlinker", "--version-script=\(root)/cmake/exports.map",
            "-Xlinker", "-z", "-Xlinker", "now",
            "-Xlinker", "-z", "-Xlinker", "relro",
        ]),
    ]
}

var products: [Product] = []
if embedded {
    products.append(.library(name: "swasm", type: .dynamic, targets: ["Swasm"]))
}

let package = Package(
    name: "swasm",
    products: products,
    targets: [
        // libc shims and the public C headers, seen by the Swift core.
        .target(
            name: "CSwasm",
            cSettings: [.unsafeFlags(["-I\(publicHeaders)"])]
        ),
        .target(
            name: "Swasm",
            dependencies: ["CSwasm"],
            swiftSettings: coreSwiftSettings,
            linkerSettings: coreLinkerSettings
        ),
        .testTarget(
            name: "SwasmTests",
            dependencies: ["Swasm"],
            swiftSettings: [.unsafeFlags(["-Xcc", "-I\(publicHeaders)"])]
        ),
    ]
)
