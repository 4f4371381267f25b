/// Carries a loop-owned, non-Sendable value across a `@Sendable` boundary.
///
/// The value must only be touched on the loop that owns it; `value` checks that in debug builds.
public struct LoopBound<Value>: @unchecked Sendable {
    private let stored: Value
    /// The loop that owns the value; readable from any thread.
    public let owner: EventLoop

    /// Wraps `value`, owned by `loop`.
    public init(_ value: Value, on loop: EventLoop) {
        stored = value
        owner = loop
    }

    /// The value; call only on the owning loop's thread.
    public var value: Value {
        assert(owner.inEventLoop, "LoopBound value used off its loop")
        return stored
    }
}
