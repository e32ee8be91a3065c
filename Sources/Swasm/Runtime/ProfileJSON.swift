import CSwasm

/// The profile as JSON in the Firefox profiler's processed format (version 24, preprocessed
/// version 55), laid out as wasmtime writes it: one process with one thread named after the
/// profiler, one library per profiled module that has frames, every sample weighing 1 with its
/// CPU time in whole microseconds, times in milliseconds since the profiler was made.
extension GuestProfiler {
    /// The whole profile, ending now.
    public func profileJSON() throws(SwasmError) -> ByteBuffer {
        let end = cswasm_monotonic_nanoseconds() &- startTime
        var json = JSONWriter()
        try json.beginObject()
        try writeMeta(&json)
        try json.key("libs")
        try json.beginArray()
        for library in 0..<tables.libraries.count {
            let module = modules.base!.advanced(by: tables.libraries[library].module)
            try json.beginObject()
            try json.key("name")
            try json.string(module.pointee.name.bytes.map { UnsafeRawPointer($0) }, count: module.pointee.name.count)
            try json.key("path"); try json.string("")
            try json.key("debugName"); try json.string("")
            try json.key("debugPath"); try json.string("")
            try json.key("breakpadId"); try json.string("000000000000000000000000000000000")
            try json.key("codeId"); try json.null()
            try json.key("arch"); try json.null()
            try json.endObject()
        }
        try json.endArray()
        try json.key("threads")
        try json.beginArray()
        try writeThread(&json, end: end)
        try json.endArray()
        try json.key("pages"); try json.beginArray(); try json.endArray()
        try json.key("profilerOverhead"); try json.beginArray(); try json.endArray()
        try json.key("counters"); try json.beginArray(); try json.endArray()
        try json.endObject()
        return json.text
    }

    private func writeName(_ json: inout JSONWriter) throws(SwasmError) {
        try json.string(name.bytes.map { UnsafeRawPointer($0) }, count: name.count)
    }

    private func writeMeta(_ json: inout JSONWriter) throws(SwasmError) {
        try json.key("meta")
        try json.beginObject()
        try json.key("categories")
        try json.beginArray()
        try json.beginObject()
        try json.key("name"); try json.string("Other")
        try json.key("color"); try json.string("grey")
        try json.key("subcategories"); try json.beginArray(); try json.string("Other"); try json.endArray()
        try json.endObject()
        try json.endArray()
        try json.key("debug"); try json.bool(false)
        try json.key("extensions")
        try json.beginObject()
        try json.key("baseURL"); try json.beginArray(); try json.endArray()
        try json.key("id"); try json.beginArray(); try json.endArray()
        try json.key("length"); try json.number(0)
        try json.key("name"); try json.beginArray(); try json.endArray()
        try json.endObject()
        try json.key("interval"); try json.milliseconds(nanoseconds: intervalNanoseconds)
        try json.key("preprocessedProfileVersion"); try json.number(55)
        try json.key("processType"); try json.number(0)
        try json.key("product"); try writeName(&json)
        try json.key("sampleUnits")
        try json.beginObject()
        try json.key("eventDelay"); try json.string("ms")
        try json.key("threadCPUDelta"); try json.string("\u{b5}s")
        try json.key("time"); try json.string("ms")
        try json.endObject()
        try json.key("startTime"); try json.milliseconds(nanoseconds: startWallClock)
        try json.key("symbolicated"); try json.bool(false)
        try json.key("pausedRanges"); try json.beginArray(); try json.endArray()
        try json.key("version"); try json.number(24)
        try json.key("usesOnlyOneStackType"); try json.bool(true)
        try json.key("sourceCodeIsNotOnSearchfox"); try json.bool(true)
        try json.key("markerSchema"); try json.beginArray(); try json.endArray()
        try json.endObject()
    }

    private func writeThread(_ json: inout JSONWriter, end: UInt64) throws(SwasmError) {
        let frames = tables.frames.count
        let functions = tables.functions.count
        try json.beginObject()
        try json.key("frameTable")
        try json.beginObject()
        try json.key("length"); try json.number(frames)
        try json.key("address"); try column(&json, frames) { (json, row) throws(SwasmError) in try json.number(tables.frames[row].address) }
        try json.key("inlineDepth"); try column(&json, frames) { (json, _) throws(SwasmError) in try json.number(0) }
        try json.key("category"); try column(&json, frames) { (json, _) throws(SwasmError) in try json.number(0) }
        try json.key("subcategory"); try column(&json, frames) { (json, _) throws(SwasmError) in try json.number(0) }
        try json.key("func"); try column(&json, frames) { (json, row) throws(SwasmError) in try json.number(tables.frames[row].function) }
        try json.key("nativeSymbol"); try column(&json, frames) { (json, row) throws(SwasmError) in try json.number(tables.frames[row].function) }
        try json.key("innerWindowID"); try column(&json, frames) { (json, _) throws(SwasmError) in try json.number(0) }
        try json.key("line"); try column(&json, frames) { (json, _) throws(SwasmError) in try json.null() }
        try json.key("column"); try column(&json, frames) { (json, _) throws(SwasmError) in try json.null() }
        try json.endObject()

        try json.key("funcTable")
        try json.beginObject()
        try json.key("length"); try json.number(functions)
        try json.key("name"); try column(&json, functions) { (json, row) throws(SwasmError) in try json.number(tables.functions[row].name) }
        try json.key("isJS"); try column(&json, functions) { (json, _) throws(SwasmError) in try json.bool(false) }
        try json.key("relevantForJS"); try column(&json, functions) { (json, _) throws(SwasmError) in try json.bool(false) }
        try json.key("resource"); try column(&json, functions) { (json, row) throws(SwasmError) in try json.number(tables.functions[row].library) }
        try json.key("fileName"); try column(&json, functions) { (json, _) throws(SwasmError) in try json.null() }
        try json.key("lineNumber"); try column(&json, functions) { (json, _) throws(SwasmError) in try json.null() }
        try json.key("columnNumber"); try column(&json, functions) { (json, _) throws(SwasmError) in try json.null() }
        try json.endObject()

        try json.key("markers")
        try json.beginObject()
        try json.key("length"); try json.number(0)
        try json.key("category"); try json.beginArray(); try json.endArray()
        try json.key("data"); try json.beginArray(); try json.endArray()
        try json.key("endTime"); try json.beginArray(); try json.endArray()
        try json.key("name"); try json.beginArray(); try json.endArray()
        try json.key("phase"); try json.beginArray(); try json.endArray()
        try json.key("startTime"); try json.beginArray(); try json.endArray()
        try json.endObject()

        try json.key("name"); try writeName(&json)
        try json.key("isMainThread"); try json.bool(true)
        try json.key("nativeSymbols")
        try json.beginObject()
        try json.key("length"); try json.number(functions)
        try json.key("address"); try column(&json, functions) { (json, row) throws(SwasmError) in try json.number(tables.functions[row].address) }
        try json.key("functionSize"); try column(&json, functions) { (json, row) throws(SwasmError) in try json.number(tables.functions[row].size) }
        try json.key("libIndex"); try column(&json, functions) { (json, row) throws(SwasmError) in try json.number(tables.functions[row].library) }
        try json.key("name"); try column(&json, functions) { (json, row) throws(SwasmError) in try json.number(tables.functions[row].name) }
        try json.endObject()
        try json.key("pausedRanges"); try json.beginArray(); try json.endArray()
        try json.key("pid"); try json.string("0")
        try json.key("processName"); try writeName(&json)
        try json.key("processShutdownTime"); try json.milliseconds(nanoseconds: end)
        try json.key("processStartupTime"); try json.milliseconds(nanoseconds: 0)
        try json.key("processType"); try json.string("default")
        try json.key("registerTime"); try json.milliseconds(nanoseconds: 0)

        let libraries = tables.libraries.count
        try json.key("resourceTable")
        try json.beginObject()
        try json.key("length"); try json.number(libraries)
        try json.key("lib"); try column(&json, libraries) { (json, row) throws(SwasmError) in try json.number(row) }
        try json.key("name"); try column(&json, libraries) { (json, row) throws(SwasmError) in try json.number(tables.libraries[row].name) }
        try json.key("host"); try column(&json, libraries) { (json, _) throws(SwasmError) in try json.null() }
        try json.key("type"); try column(&json, libraries) { (json, _) throws(SwasmError) in try json.number(1) } // a library
        try json.endObject()

        let samples = tables.samples.count
        try json.key("samples")
        try json.beginObject()
        try json.key("length"); try json.number(samples)
        try json.key("weightType"); try json.string("samples")
        try json.key("stack"); try column(&json, samples) { (json, row) throws(SwasmError) in try optional(&json, tables.samples[row].stack) }
        try json.key("timeDeltas"); try column(&json, samples) { (json, row) throws(SwasmError) in
            let previous = row == 0 ? 0 : tables.samples[row &- 1].time
            try json.milliseconds(nanoseconds: tables.samples[row].time &- previous)
        }
        try json.key("weight"); try column(&json, samples) { (json, _) throws(SwasmError) in try json.number(1) }
        try json.key("threadCPUDelta"); try column(&json, samples) { (json, row) throws(SwasmError) in try json.number(tables.samples[row].cpuDelta / 1000) }
        try json.endObject()

        let stacks = tables.stacks.count
        try json.key("stackTable")
        try json.beginObject()
        try json.key("length"); try json.number(stacks)
        try json.key("prefix"); try column(&json, stacks) { (json, row) throws(SwasmError) in try optional(&json, tables.stacks[row].prefix) }
        try json.key("frame"); try column(&json, stacks) { (json, row) throws(SwasmError) in try json.number(tables.stacks[row].frame) }
        try json.endObject()

        try json.key("stringArray")
        try json.beginArray()
        for index in 0..<tables.strings.count {
            let text = tables.string(index)
            try json.string(text.bytes, count: text.count)
        }
        try json.endArray()
        try json.key("tid"); try json.string("0")
        try json.key("unregisterTime"); try json.milliseconds(nanoseconds: end)
        try json.key("showMarkersInTimeline"); try json.bool(false)
        try json.endObject()
    }

    /// One column of a table: `count` values, row by row.
    private func column(_ json: inout JSONWriter, _ count: Int,
                        _ value: (inout JSONWriter, Int) throws(SwasmError) -> Void) throws(SwasmError) {
        try json.beginArray()
        for row in 0..<count { try value(&json, row) }
        try json.endArray()
    }

    private func optional(_ json: inout JSONWriter, _ index: Int?) throws(SwasmError) {
        if let index { try json.number(index) } else { try json.null() }
    }
}
