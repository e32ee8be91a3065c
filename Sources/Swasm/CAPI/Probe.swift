@_cdecl("swasm_probe")
public func swasm_probe(_ n: Int) -> Int {
    do throws(SwasmError) {
        var v = FallibleVector<Int>()
        for i in 0..<n { try v.append(i) }
        var m = FallibleHashMap<ByteBuffer, Int>()
        try m.insert(try ByteBuffer("a"), 1)
        return v.count + m.count
    } catch {
        return -1
    }
}
