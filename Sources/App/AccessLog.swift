import Glibc
public import HTTP
import JSON

/// The access log (a JSON line per request on stdout, DESIGN §7) and the log of requests that failed with 500.
///
/// Each loop appends to its own buffer, so logging costs no lock. A buffer is written out when it holds
/// 64 KiB, or at the end of a batch of events once `flushIntervalMilliseconds` have passed since its last
/// write: one write(2) per many requests under load, and a line appears within about a quarter of a second
/// even on an idle loop (the loops wake every 250 ms for their timeout sweep). `flushAll()` writes the
/// rest once the loops have stopped.
public final class AccessLog: ServerObserver {
    private final class LoopBuffer: @unchecked Sendable {   // touched only by its own loop's thread
        var line = JSONLineBuffer(capacity: AccessLog.flushThreshold + 4096)
        var seen = 0
        var timestamp = Timestamp()
        var lastFlush = AccessLog.coarseMilliseconds()
    }

    private let mode: AccessLogMode
    private let logger: Logger
    private let buffers: [LoopBuffer]

    private static let flushThreshold = 65_536
    private static let flushIntervalMilliseconds = 50

    /// An access log for `loops` loops.
    public init(mode: AccessLogMode, logger: Logger, loops: Int) {
        self.mode = mode
        self.logger = logger
        buffers = (0..<loops).map { _ in LoopBuffer() }
    }

    public func requestFinished(_ record: RequestRecord, loop: Int) {
        if let failure = record.failure {
            logger.error("request.failed", ["request_id": .string(record.requestID), "method": .string(record.method),
                                            "path": .string(record.path), "error": .string(String(describing: failure))])
        }
        let buffer = buffers[loop]
        buffer.seen &+= 1
        switch mode {
        case .off: return
        case .on: break
        case .sample(let every): if buffer.seen % every != 0 { return }
        }
        Self.write(record, timestamp: &buffer.timestamp, to: &buffer.line)
        if buffer.line.count >= Self.flushThreshold { flush(buffer) }
    }

    public func connectionChanged(opened: Bool, loop: Int) {}

    public func batchFinished(loop: Int) {
        let buffer = buffers[loop]
        guard buffer.line.count > 0 else { return }
        if Self.coarseMilliseconds() - buffer.lastFlush >= Self.flushIntervalMilliseconds { flush(buffer) }
    }

    /// Writes out every loop's buffered lines; call once the loops have stopped (no loop may be running).
    public func flushAll() {
        for buffer in buffers where buffer.line.count > 0 { flush(buffer) }
    }

    /// The bytes of a line that are not its strings: the literal names and punctuation, the timestamp and
    /// four numbers (under 400).
    private static let fixedByteCountBound = 512

    /// Writes the line straight into the loop's buffer, room for all of it reserved at once: no
    /// per-request allocation, and no capacity check per piece.
    private static func write(_ record: RequestRecord, timestamp: inout Timestamp, to line: inout JSONLineBuffer) {
        let quoted = JSONLineBuffer.quotedByteCountBound
        line.reserve(fixedByteCountBound + quoted(record.requestID) + quoted(record.method) + quoted(record.path)
                     + quoted(record.route ?? "") + quoted(record.client) + quoted(record.traceparent ?? ""))
        line.append(#"{"ts":""#)
        line.appendInPlace { timestamp.write(to: $0) }   // digits and `-:.TZ` only
        line.append(record.status >= 500 ? #"","level":"error","event":"request","request_id":"#
                                         : #"","level":"info","event":"request","request_id":"#)
        line.appendQuoted(record.requestID)
        line.append(#","method":"#)
        line.appendQuoted(record.method)
        line.append(#","path":"#)
        line.appendQuoted(record.path)
        line.append(#","route":"#)
        if let route = record.route { line.appendQuoted(route) } else { line.append("null") }
        line.append(#","status":"#)
        line.appendInteger(record.status)
        line.append(#","duration_ms":"#)
        line.appendFixedPoint(Int(record.durationNanoseconds / 1_000), fractionDigits: 3)   // microseconds, as ms
        line.append(#","bytes_in":"#)
        line.appendInteger(record.bytesIn)
        line.append(#","bytes_out":"#)
        line.appendInteger(record.bytesOut)
        line.append(#","client":"#)
        line.appendQuoted(record.client)
        if let traceparent = record.traceparent {
            line.append(#","traceparent":"#)
            line.appendQuoted(traceparent)
        }
        line.append("}\n")
    }

    private func flush(_ buffer: LoopBuffer) {
        buffer.line.withBytes { FileSystem.writeAll($0, to: STDOUT_FILENO) }
        buffer.line.removeAll()
        buffer.lastFlush = Self.coarseMilliseconds()
    }

    /// A monotonic clock in milliseconds, read without a system call; its few milliseconds of
    /// resolution are plenty for a flush interval.
    private static func coarseMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }
}
