// swasm.h: `.wast` scripts (Text/Script.swift) for runners written in C.
import CSwasm

/// A parsed script and the C descriptions of its commands. The descriptions are built once, by
/// `swasm_script_parse`, so that `swasm_script_command` allocates nothing; they point into the
/// script's buffers and into `values` / `expectations`, whose storage is complete (never grown
/// again) before the first pointer into it is taken.
struct ScriptHandle: ~Copyable {
    var script: Script
    var commands: FallibleVector<swasm_script_command_t>
    var values: FallibleVector<swasm_script_value_t>
    var expectations: FallibleVector<swasm_script_expected_t>

    static func from(_ pointer: OpaquePointer) -> UnsafeMutablePointer<ScriptHandle> { UnsafeMutablePointer(pointer) }

    /// The C descriptions of `script`'s commands.
    static func make(_ script: consuming Script) throws(SwasmError) -> ScriptHandle {
        var values = FallibleVector<swasm_script_value_t>()
        var expectations = FallibleVector<swasm_script_expected_t>()
        var commands = FallibleVector<swasm_script_command_t>()
        // Commands are read in place, through pointers.
        let count = script.commands.count
        if count > 0, let base = script.commands.base {
            // First every argument and expectation, in command order...
            var valueTotal = 0
            var expectationTotal = 0
            for index in 0..<count {
                let command = base.advanced(by: index)
                valueTotal &+= argumentCount(&command.pointee.action)
                expectationTotal &+= command.pointee.expected.count &+ command.pointee.alternatives.count
            }
            try values.reserve(valueTotal)
            try expectations.reserve(expectationTotal)
            for index in 0..<count {
                try appendConverted(base.advanced(by: index), values: &values, expectations: &expectations)
            }
            // ... then the commands, pointing into the finished vectors.
            try commands.reserve(count)
            var nextValue = 0
            var nextExpectation = 0
            for index in 0..<count {
                let described = describe(base.advanced(by: index), values: values.base, valueStart: nextValue,
                                         expectations: expectations.base, expectationStart: nextExpectation)
                nextValue &+= described.argument_count
                nextExpectation &+= described.expected_count &+ described.alternative_count
                try commands.append(described)
            }
        }
        return ScriptHandle(script: script, commands: commands, values: values, expectations: expectations)
    }

    static func argumentCount(_ action: inout ScriptAction) -> Int { action.arguments.count }

    static func appendArguments(_ action: inout ScriptAction, to values: inout FallibleVector<swasm_script_value_t>) throws(SwasmError) {
        for index in 0..<action.arguments.count {
            try values.append(cValue(action.arguments[index]))
        }
    }

    static func appendConverted(_ command: UnsafeMutablePointer<ScriptCommand>, values: inout FallibleVector<swasm_script_value_t>,
                                expectations: inout FallibleVector<swasm_script_expected_t>) throws(SwasmError) {
        try appendArguments(&command.pointee.action, to: &values)
        for index in 0..<command.pointee.expected.count {
            try expectations.append(cExpectation(command.pointee.expected[index]))
        }
        for index in 0..<command.pointee.alternatives.count {
            try expectations.append(cExpectation(command.pointee.alternatives[index]))
        }
    }

    static func cValue(_ value: ScriptValue) -> swasm_script_value_t {
        var out = swasm_script_value_t()
        out.kind = value.kind.rawValue
        if value.kind == .v128 {
            withUnsafeMutableBytes(of: &out.v128) { bytes in
                bytes.storeBytes(of: value.low.littleEndian, toByteOffset: 0, as: UInt64.self)
                bytes.storeBytes(of: value.high.littleEndian, toByteOffset: 8, as: UInt64.self)
            }
        } else {
            out.bits = value.low
        }
        return out
    }

    static func cExpectation(_ expectation: ScriptExpectation) -> swasm_script_expected_t {
        var out = swasm_script_expected_t()
        out.kind = expectation.kind.rawValue
        out.shape = expectation.shape.rawValue
        out.value = cValue(expectation.value)
        if expectation.kind == .vectorLanes {
            out.lane_patterns = (expectation.lanePattern(0).rawValue, expectation.lanePattern(1).rawValue,
                                 expectation.lanePattern(2).rawValue, expectation.lanePattern(3).rawValue)
        }
        if expectation.kind == .either {
            out.either_start = expectation.alternativeStart
            out.either_count = expectation.alternativeCount
        }
        return out
    }

    static func chars(_ buffer: borrowing ByteBuffer) -> (UnsafePointer<CChar>?, Int) {
        guard let bytes = buffer.bytes, buffer.count > 0 else { return (nil, 0) }
        return (UnsafePointer(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self)), buffer.count)
    }

    static func describe(_ command: UnsafeMutablePointer<ScriptCommand>,
                         values: UnsafeMutablePointer<swasm_script_value_t>?, valueStart: Int,
                         expectations: UnsafeMutablePointer<swasm_script_expected_t>?, expectationStart: Int) -> swasm_script_command_t {
        var out = swasm_script_command_t()
        out.kind = command.pointee.kind.rawValue
        out.line = command.pointee.line
        out.column = command.pointee.column
        out.has_module = command.pointee.hasModule
        out.module_well_formed = true
        if command.pointee.hasModule { describeModule(&command.pointee.module, into: &out) }
        if command.pointee.hasRegisterModule { (out.register_module, out.register_module_size) = chars(command.pointee.registerModule) }
        if command.pointee.kind == .moduleInstance {
            (out.definition, out.definition_size) = chars(command.pointee.definition)
            if command.pointee.hasInstanceName { (out.module_name, out.module_name_size) = chars(command.pointee.instanceName) }
        }
        out.has_action = command.pointee.hasAction
        if command.pointee.hasAction {
            describeAction(&command.pointee.action, into: &out)
            if out.argument_count > 0, let values {
                out.arguments = UnsafePointer(values.advanced(by: valueStart))
            } else {
                out.argument_count = 0
            }
        }
        let expectedCount = command.pointee.expected.count
        let alternativeCount = command.pointee.alternatives.count
        if let expectations {
            if expectedCount > 0 {
                out.expected = UnsafePointer(expectations.advanced(by: expectationStart))
                out.expected_count = expectedCount
            }
            if alternativeCount > 0 {
                out.alternatives = UnsafePointer(expectations.advanced(by: expectationStart &+ expectedCount))
                out.alternative_count = alternativeCount
            }
        }
        (out.text, out.text_size) = chars(command.pointee.text)
        return out
    }

    static func describeModule(_ module: inout ScriptModule, into out: inout swasm_script_command_t) {
        out.module_form = module.form.rawValue
        out.module_definition = module.isDefinition
        if module.hasName { (out.module_name, out.module_name_size) = chars(module.name) }
        out.module_well_formed = module.isWellFormed
        if module.isWellFormed {
            out.module_binary = UnsafePointer(module.binary.bytes)
            out.module_binary_size = module.binary.bytes == nil ? 0 : module.binary.count
        } else {
            (out.module_error, out.module_error_size) = chars(module.failure)
        }
        if module.form == .quote { (out.module_quote, out.module_quote_size) = chars(module.text) }
    }

    /// The action's fields; `argument_count` is set, `arguments` is left to the caller.
    static func describeAction(_ action: inout ScriptAction, into out: inout swasm_script_command_t) {
        out.action_kind = action.kind.rawValue
        if action.hasModuleName { (out.action_module, out.action_module_size) = chars(action.moduleName) }
        (out.action_field, out.action_field_size) = chars(action.field)
        out.argument_count = action.arguments.count
    }
}

@_cdecl("swasm_script_parse")
public func swasm_script_parse(_ text: UnsafePointer<CChar>?, _ size: Int,
                               _ errorOut: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let errorOut else { return nil }
    errorOut.pointee = nil
    guard text != nil || size == 0, size >= 0 else {
        errorOut.pointee = OpaquePointer(ErrorReport.make(.invalidArgument, "swasm_script_parse: text is NULL"))
        return nil
    }
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        let script = try Script.parse(UnsafeRawBufferPointer(start: text.map { UnsafeRawPointer($0) }, count: size),
                                      diagnostic: &diagnostic)
        let handle = try Heap.create(try ScriptHandle.make(script))
        return OpaquePointer(handle)
    } catch {
        errorOut.pointee = OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "failed to parse the script"))
        return nil
    }
}

@_cdecl("swasm_script_command_count")
public func swasm_script_command_count(_ script: OpaquePointer?) -> Int {
    guard let script else { return 0 }
    return ScriptHandle.from(script).pointee.commands.count
}

@_cdecl("swasm_script_command")
public func swasm_script_command(_ script: OpaquePointer?, _ index: Int,
                                 _ out: UnsafeMutablePointer<swasm_script_command_t>?) -> Bool {
    guard let out else { return false }
    out.pointee = swasm_script_command_t()
    guard let script else { return false }
    let handle = ScriptHandle.from(script)
    guard index >= 0, index < handle.pointee.commands.count else { return false }
    out.pointee = handle.pointee.commands[index]
    return true
}

@_cdecl("swasm_script_delete")
public func swasm_script_delete(_ script: OpaquePointer?) {
    script.map { Heap.destroy(ScriptHandle.from($0)) }
}
