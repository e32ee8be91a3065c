// The value kinds of the C API: wasm.h's `wasm_valkind_t` and wasmtime/val.h's
// `wasmtime_valkind_t`, named by the headers' own constants.
import CSwasm

/// wasm.h has no kind for v128; wasmtime's `wasm_valtype_new` uses 4 for it.
let wasmV128Kind: UInt8 = 4

extension ValueType {
    /// The `wasm_valkind_t` of this type.
    public var wasmKind: UInt8 {
        switch hierarchy {
        case .i32: return UInt8(WASM_I32.rawValue)
        case .i64: return UInt8(WASM_I64.rawValue)
        case .f32: return UInt8(WASM_F32.rawValue)
        case .f64: return UInt8(WASM_F64.rawValue)
        case .v128: return wasmV128Kind
        case .externref: return UInt8(WASM_EXTERNREF.rawValue)
        default: return UInt8(WASM_FUNCREF.rawValue)
        }
    }

    /// The value type of a `wasm_valkind_t`, or nil for an unknown kind.
    public init?(wasmKind: UInt8) {
        switch UInt32(wasmKind) {
        case WASM_I32.rawValue: self = .i32
        case WASM_I64.rawValue: self = .i64
        case WASM_F32.rawValue: self = .f32
        case WASM_F64.rawValue: self = .f64
        case UInt32(wasmV128Kind): self = .v128
        case WASM_EXTERNREF.rawValue: self = .externref
        case WASM_FUNCREF.rawValue: self = .funcref
        default: return nil
        }
    }

    /// The `wasmtime_valkind_t` of this type.
    public var wasmtimeKind: UInt8 {
        switch hierarchy {
        case .i32: return UInt8(WASMTIME_I32)
        case .i64: return UInt8(WASMTIME_I64)
        case .f32: return UInt8(WASMTIME_F32)
        case .f64: return UInt8(WASMTIME_F64)
        case .v128: return UInt8(WASMTIME_V128)
        case .funcref: return UInt8(WASMTIME_FUNCREF)
        case .exnref: return UInt8(WASMTIME_EXNREF)
        case .anyref: return UInt8(WASMTIME_ANYREF)
        default: return UInt8(WASMTIME_EXTERNREF)
        }
    }
}
