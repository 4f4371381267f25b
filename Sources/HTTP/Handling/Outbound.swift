import Synchronization

/// A way for any thread to push bytes to one connection that stays open: a streamed response body
/// (`Response.streaming`) or an upgraded protocol (`UpgradedSession.opened`).
///
/// `send` queues and wakes the connection's loop, which writes what is queued once its output buffer has drained;
/// so a client that reads slowly fills the queue, and past `limit` queued bytes `send` refuses (returns `false`,
/// queues nothing): that is the back-pressure, and the sender chooses what to do (wait, drop, close). The queue
/// bound counts bytes not yet handed to the socket, not the kernel's buffer.
public final class Outbound: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var queuedBytes = 0
        /// The sender asked to end; the connection ends once it has written what came before.
        var isEnding = false
        /// The connection is gone, or has ended: nothing more is sent.
        var isClosed = false
        /// A wake is on its way to the loop; later sends need not send another.
        var isWakePending = false
    }

    private let state = Mutex(State())
    private let wake: @Sendable () -> Void
    /// The most bytes `send` lets wait at once.
    public let limit: Int

    /// The queue bound when none is given: DESIGN §11's `realtime.max_queue_bytes` default.
    public static let defaultLimit = 1 << 20

    /// A handle whose sends call `wake` (which must get the loop to call `take`) when the queue was idle.
    init(limit: Int, wake: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.wake = wake
    }

    /// Queues `bytes` to be written in order after everything sent before; `false` (and nothing queued) when the
    /// queue would pass `limit` or the connection is closed or ending.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        let wakes = state.withLock { state -> Bool? in
            guard !state.isClosed, !state.isEnding, state.queuedBytes + bytes.count <= limit else { return nil }
            state.chunks.append(bytes)
            state.queuedBytes += bytes.count
            defer { state.isWakePending = true }
            return !state.isWakePending
        }
        if wakes == true { wake() }
        return wakes != nil
    }

    /// Ends the stream once what was sent before is written (a streamed body's last chunk; an upgraded connection
    /// closes). Later sends are refused.
    public func close() {
        let wakes = state.withLock { state -> Bool in
            guard !state.isClosed, !state.isEnding else { return false }
            state.isEnding = true
            defer { state.isWakePending = true }
            return !state.isWakePending
        }
        if wakes { wake() }
    }

    /// Queues `bytes` whatever the bound (a stream's last words: why it ends), then ends as `close()` does.
    public func finish(with bytes: [UInt8]) {
        let wakes = state.withLock { state -> Bool in
            guard !state.isClosed, !state.isEnding else { return false }
            if !bytes.isEmpty { state.chunks.append(bytes) }          // an empty chunk would end a chunked body early
            state.queuedBytes += bytes.count
            state.isEnding = true
            defer { state.isWakePending = true }
            return !state.isWakePending
        }
        if wakes { wake() }
    }

    /// Whether sending is over: the sender closed, or the connection went away (the client left).
    public var isClosed: Bool { state.withLock { $0.isClosed || $0.isEnding } }

    /// Bytes queued and not yet taken by the connection.
    public var queuedBytes: Int { state.withLock { $0.queuedBytes } }

    // MARK: - The connection's side, on its loop

    /// Takes what is queued, and whether the sender asked to end after it.
    func take() -> (chunks: [[UInt8]], ends: Bool) {
        take(endingToo: true)
    }

    /// Takes the queued chunks for a protocol whose own writes on the loop must follow them (WebSocket's compressed
    /// messages), and whether the sender asked to end after them; the end itself is left for `take()`.
    func takeQueued() -> (chunks: [[UInt8]], isEnding: Bool) {
        take(endingToo: false)
    }

    private func take(endingToo: Bool) -> ([[UInt8]], Bool) {
        state.withLock { state in
            defer {
                state.chunks = []
                state.queuedBytes = 0
                // A wake may still be on its way (after `takeQueued`, its drain may find nothing): the next send wakes.
                state.isWakePending = false
                if endingToo && state.isEnding { state.isClosed = true }
            }
            return (state.chunks, state.isEnding && !state.isClosed)
        }
    }

    /// Whether anything waits to be taken.
    var hasPending: Bool { state.withLock { !$0.chunks.isEmpty || ($0.isEnding && !$0.isClosed) } }

    /// The connection is gone: sends are refused from now on.
    func connectionClosed() {
        state.withLock { state in
            state.isClosed = true
            state.chunks = []
            state.queuedBytes = 0
        }
    }
}
