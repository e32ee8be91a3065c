/// Why WebAssembly execution stopped, numbered as wasmtime's `wasmtime_trap_code_t` (wasmtime 50:
/// codes 0-49, the last ones for the component model and exceptions).
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
    case atomicWaitNonSharedMemory = 12
    case nullReference = 13
    case arrayOutOfBounds = 14
    case allocationTooLarge = 15
    case castFailure = 16
    case cannotEnterComponent = 17
    case noAsyncResult = 18
    case unhandledTag = 19
    case continuationAlreadyConsumed = 20
    case disabledOpcode = 21
    case asyncDeadlock = 22
    case cannotLeaveComponent = 23
    case cannotBlockSyncTask = 24
    case invalidChar = 25
    case debugAssertStringEncodingFinished = 26
    case debugAssertEqualCodeUnits = 27
    case debugAssertPointerAligned = 28
    case debugAssertUpperBitsUnset = 29
    case stringOutOfBounds = 30
    case listOutOfBounds = 31
    case invalidDiscriminant = 32
    case unalignedPointer = 33
    case taskCancelNotCancelled = 34
    case taskCancelOrReturnTwice = 35
    case subtaskCancelAfterTerminal = 36
    case taskReturnInvalid = 37
    case waitableSetDropHasWaiters = 38
    case subtaskDropNotResolved = 39
    case threadNewIndirectInvalidType = 40
    case threadNewIndirectUninitialized = 41
    case backpressureOverflow = 42
    case unsupportedCallbackCode = 43
    case cannotResumeThread = 44
    case concurrentFutureStreamOp = 45
    case referenceCountOverflow = 46
    case streamOpTooBig = 47
    case waitableSyncAndAsync = 48
    case uncaughtException = 49

    /// The text wasmtime gives for the trap (its trap message is "wasm trap: " and this).
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
        case .unreachable: return "wasm `unreachable` instruction executed"
        case .interrupt: return "interrupt"
        case .outOfFuel: return "all fuel consumed by WebAssembly"
        case .atomicWaitNonSharedMemory: return "atomic wait on non-shared memory"
        case .nullReference: return "null reference"
        case .arrayOutOfBounds: return "out of bounds array access"
        case .allocationTooLarge: return "allocation size too large"
        case .castFailure: return "cast failure"
        case .cannotEnterComponent: return "cannot enter component instance"
        case .noAsyncResult: return "async-lifted export failed to produce a result"
        case .unhandledTag: return "unhandled tag"
        case .continuationAlreadyConsumed: return "continuation already consumed"
        case .disabledOpcode: return "pulley opcode disabled at compile time was executed"
        case .asyncDeadlock: return "deadlock detected: event loop cannot make further progress"
        case .cannotLeaveComponent: return "cannot leave component instance"
        case .cannotBlockSyncTask: return "cannot block a synchronous task before returning"
        case .invalidChar: return "invalid `char` bit pattern"
        case .debugAssertStringEncodingFinished: return "should have finished string encoding"
        case .debugAssertEqualCodeUnits: return "code units should be equal"
        case .debugAssertPointerAligned: return "pointer should be aligned"
        case .debugAssertUpperBitsUnset: return "upper bits should be unset"
        case .stringOutOfBounds: return "string content out-of-bounds"
        case .listOutOfBounds: return "list content out-of-bounds"
        case .invalidDiscriminant: return "invalid variant discriminant"
        case .unalignedPointer: return "unaligned pointer"
        case .taskCancelNotCancelled: return "`task.cancel` called by task which has not been cancelled"
        case .taskCancelOrReturnTwice: return "`task.return` or `task.cancel` called more than once for current task"
        case .subtaskCancelAfterTerminal: return "`subtask.cancel` called after terminal status delivered"
        case .taskReturnInvalid: return "invalid `task.return` signature and/or options for current task"
        case .waitableSetDropHasWaiters: return "cannot drop waitable set with waiters"
        case .subtaskDropNotResolved: return "cannot drop a subtask which has not yet resolved"
        case .threadNewIndirectInvalidType: return "start function does not match expected type (currently only `(i32) -> ()` is supported)"
        case .threadNewIndirectUninitialized: return "the start function index points to an uninitialized function"
        case .backpressureOverflow: return "backpressure counter overflow"
        case .unsupportedCallbackCode: return "unsupported callback code"
        case .cannotResumeThread: return "cannot resume thread which is not suspended"
        case .concurrentFutureStreamOp: return "cannot have concurrent operations active on a future/stream"
        case .referenceCountOverflow: return "reference count overflow"
        case .streamOpTooBig: return "stream read/write count too large"
        case .waitableSyncAndAsync: return "waitable cannot be used synchronously while added to a waitable set"
        case .uncaughtException: return "uncaught exception propagated out of component"
        }
    }
}
