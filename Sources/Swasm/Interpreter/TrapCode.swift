/// Why WebAssembly execution stopped, numbered as wasmtime's `wasmtime_trap_code_t`.
public enum TrapCode: UInt8, BitwiseCopyable, Sendable {
    case stackOverflow = 0
    case memoryOutOfBounds = 1
    case heapMisaligned = 2
    case tableOutOfBounds = 3
    case indirectCallToNull = 4
    case badSignature = 5
    case integerOverflow = 6
    case integerDivisionByZero = 7
    case badConversionToInteger = 8
    case unreachable = 9
    case interrupt = 10
    case outOfFuel = 11
    case nullReference = 13

    /// The message wasmtime gives for the trap.
    public var message: StaticString {
        switch self {
        case .stackOverflow: return "call stack exhausted"
        case .memoryOutOfBounds: return "out of bounds memory access"
        case .heapMisaligned: return "unaligned atomic"
        case .tableOutOfBounds: return "undefined element: out of bounds table access"
        case .indirectCallToNull: return "uninitialized element"
        case .badSignature: return "indirect call type mismatch"
        case .integerOverflow: return "integer overflow"
        case .integerDivisionByZero: return "integer divide by zero"
        case .badConversionToInteger: return "invalid conversion to integer"
        case .unreachable: return "unreachable"
        case .interrupt: return "interrupt"
        case .outOfFuel: return "all fuel consumed by WebAssembly"
        case .nullReference: return "null reference"
        }
    }
}
