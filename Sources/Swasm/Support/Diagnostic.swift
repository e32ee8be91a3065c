/// The human-readable side of an error: what went wrong and where. It travels beside the
/// payload-free `SwasmError` and is filled only when memory allows; if composing the message
/// fails, whatever was written stays and the error itself still says what kind of failure it was.
public struct Diagnostic: ~Copyable {
    public var message = ByteBuffer()

    public init() {}

    public var isEmpty: Bool { message.isEmpty }

    /// Replaces the message with what `compose` writes. Best effort: never throws.
    public mutating func record(_ compose: (inout ByteBuffer) throws(SwasmError) -> Void) {
        message.removeAll()
        do throws(SwasmError) {
            try compose(&message)
        } catch {
            // Out of memory while describing an error: keep the partial message.
        }
    }

    /// Replaces the message with a fixed text.
    public mutating func record(_ text: StaticString) {
        record { (message: inout ByteBuffer) throws(SwasmError) in try message.append(text) }
    }
}
