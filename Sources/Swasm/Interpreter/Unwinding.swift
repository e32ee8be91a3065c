import CSwasm

/// `throw` and `throw_ref`, and the unwinder they share. Exceptions unwind the interpreter's own
/// stacks: the call records say, frame by frame, which function runs where; each compiled
/// function's handler table (`CompiledFunction.handlers`, from its `try_table`s) says which catch
/// clause, if any, covers the instruction that threw or the call it is in.
extension Interpreter {
    /// `throw`: a new exception of tag `tag` (of the running instance) with the values from slot
    /// `base` on. An exception that cannot be allocated ends the call with the out-of-memory error.
    @inline(never)
    static func throwTag(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                         base: Int, tag: UInt64) -> UnsafePointer<UInt64>? {
        let store = Store.running(ex)
        let tagInstance = ex.pointee.context.pointee.tags[Int(truncatingIfNeeded: tag)]!.assumingMemoryBound(to: TagInstance.self)
        let reference: UInt64
        do {
            reference = try store.pointee.makeException(tag: tagInstance, values: fp.advanced(by: base))
        } catch {
            ex.pointee.trap = ExecutionStop.outOfMemory
            return nil
        }
        return unwind(from: ip, ex, store: store, exception: reference)
    }

    /// `throw_ref`: throws the exception of the exnref in `slot` again; a null (or stale) exnref
    /// traps.
    @inline(never)
    static func throwReference(_ ip: UnsafePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                               slot: Int) -> UnsafePointer<UInt64>? {
        let store = Store.running(ex)
        let reference = fp[slot]
        guard let object = store.pointee.exception(reference) else { return trap(ex, .nullReference) }
        object.pointee.exposed = true // an exnref to it exists
        return unwind(from: ip, ex, store: store, exception: reference)
    }

    /// Finds the innermost catch clause that takes the exception, from the instruction at
    /// `throwSite` outwards through the calling frames of this entry from the host. Found, the
    /// frames above it are dropped, the clause's values are written where its landing pad reads
    /// them, and execution goes on there. Not found, the call ends with the exception pending in
    /// the store (a trap without code: "thrown Wasm exception"), its backtrace from the throw.
    /// A host function called by a tail call replaced its caller (`replacedCaller`): the search
    /// starts in the caller's caller, at the call the tail call took over.
    static func unwind(from throwSite: UnsafePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>, store: UnsafeMutablePointer<Store>,
                       exception reference: UInt64, replacedCaller: Bool = false) -> UnsafePointer<UInt64>? {
        let object = store.pointee.exception(reference)!
        let halt = withUnsafeMutablePointer(to: &ex.pointee.halt_word) { UnsafePointer($0) }
        var level = Int(ex.pointee.call_depth) &- 1
        var frame = ex.pointee.fp!
        var key = throwSite.advanced(by: 1)
        if replacedCaller && level >= 0 {
            let record = ex.pointee.calls.advanced(by: -1 &- level)
            key = record.pointee.return_ip
            frame = record.pointee.fp
            level = record.pointee.return_ip == halt ? -1 : level &- 1
        }
        while level >= 0 {
            let record = ex.pointee.calls.advanced(by: -1 &- level)
            if let function = record.pointee.function, let code = function.pointee.code,
               let handler = catchClause(of: function, at: code.distance(to: key), taking: object, ex) {
                let width = object.pointee.tag.pointee.slotWidth
                var slot = Int(handler.payload)
                if handler.kind <= 1 {
                    if width > 0 { frame.advanced(by: slot).update(from: object.pointee.values!, count: width) }
                    slot &+= width
                }
                if handler.kind & 1 != 0 {
                    object.pointee.exposed = true
                    frame[slot] = reference
                } else if !object.pointee.exposed {
                    store.pointee.releaseException(reference)
                }
                ex.pointee.call_depth = UInt32(truncatingIfNeeded: level &+ 1)
                ex.pointee.fp = frame
                if let context = function.pointee.context, context != ex.pointee.context { swasm_switch_context(ex, context) }
                return code.advanced(by: Int(handler.pad))
            }
            if record.pointee.return_ip == halt { break }
            key = record.pointee.return_ip
            frame = record.pointee.fp
            level &-= 1
        }
        object.pointee.exposed = true
        if store.pointee.pendingException != 0 && store.pointee.pendingException != reference {
            store.pointee.releaseUnexposed(store.pointee.pendingException)
        }
        store.pointee.pendingException = reference
        store.pointee.pendingFailure = Failure.thrownException()
        ex.pointee.trap = ExecutionStop.hostFailure
        return nil
    }

    /// The catch clause of `function` that covers the code word before `key` and takes
    /// `exception`: of the regions covering it, the innermost with a clause for the exception's
    /// tag, and of its clauses the first. A try_table's clauses are listed when it opens, so of two
    /// covering regions (nested, as both cover the key) the later listed is the inner one; a
    /// region is its (start, end).
    static func catchClause(of function: UnsafeMutablePointer<swasm_function>, at key: Int, taking exception: UnsafeMutablePointer<ExceptionObject>,
                            _ ex: UnsafeMutablePointer<swasm_exec>) -> ExceptionHandler? {
        guard let instance = function.pointee.instance?.assumingMemoryBound(to: Instance.self) else { return nil }
        let module = instance.pointee.module.pointer
        let index = Int(function.pointee.function_index) &- module.pointee.description.importedFunctionCount
        guard index >= 0, index < module.pointee.functions.count else { return nil }
        let compiled = module.pointee.functions.base!.advanced(by: index)
        let tags = function.pointee.context.pointee.tags
        var found: ExceptionHandler? = nil
        for entry in 0..<compiled.pointee.handlers.count {
            let handler = compiled.pointee.handlers[entry]
            guard handler.covers(key), found.map({ handler.start != $0.start || handler.end != $0.end }) ?? true else { continue }
            if handler.tag == ExceptionHandler.anyTag
                || tags?[Int(handler.tag)].map({ $0 == UnsafeMutableRawPointer(exception.pointee.tag) }) == true {
                found = handler
            }
        }
        return found
    }
}
