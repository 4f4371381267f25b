import Glibc
public import HTTP
import JSON

/// The access log (a JSON line per request on stdout, DESIGN §7) and the log of requests that failed with 500.
///
/// Each loop appends to its own buffer, flushed once per batch of events, so logging costs no lock
/// and one write(2) per wake-up instead of one per request.
public final class AccessLog: ServerObserver {
    private final class LoopBuffer: @unchecked Sendable {   // touched only by its own loop's thread
        var writer = JSONWriter(capacity: AccessLog.flushThreshold + 1024)
        var seen = 0
        var timestamp = Timestamp()
    }

    private let mode: AccessLogMode
    private let logger: Logger
    private let buffers: [LoopBuffer]

    private static let flushThreshold = 65_536

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
        append(record, to: buffer)
        if buffer.writer.bytes.count >= Self.flushThreshold { flush(buffer) }
    }

    public func connectionChanged(opened: Bool, loop: Int) {}

    public func batchFinished(loop: Int) {
        let buffer = buffers[loop]
        if !buffer.writer.bytes.isEmpty { flush(buffer) }
    }

    /// Writes the line straight into the loop's buffer: no per-request allocation.
    private func append(_ record: RequestRecord, to buffer: LoopBuffer) {
        buffer.writer.beginObject()
        write(record, timestamp: &buffer.timestamp, to: &buffer.writer)
        buffer.writer.endObject()
        buffer.writer.endLine()
    }

    private func write(_ record: RequestRecord, timestamp: inout Timestamp, to writer: inout JSONWriter) {
        writer.key(literal: "ts")
        writer.writeUnescapedString { timestamp.append(to: &$0) }   // digits and `-:.TZ` only
        writer.key(literal: "level")
        writer.writeString(record.status >= 500 ? "error" : "info")
        writer.key(literal: "event")
        writer.writeString("request")
        writer.key(literal: "request_id")
        writer.writeString(record.requestID)
        writer.key(literal: "method")
        writer.writeString(record.method)
        writer.key(literal: "path")
        writer.writeString(record.path)
        writer.key(literal: "route")
        if let route = record.route { writer.writeString(route) } else { writer.writeNull() }
        writer.key(literal: "status")
        writer.writeInteger(record.status)
        writer.key(literal: "duration_ms")
        writer.writeFixedPoint(Int(record.durationNanoseconds / 1_000), fractionDigits: 3)   // microseconds, as ms
        writer.key(literal: "bytes_in")
        writer.writeInteger(record.bytesIn)
        writer.key(literal: "bytes_out")
        writer.writeInteger(record.bytesOut)
        writer.key(literal: "client")
        writer.writeString(record.client)
        if let traceparent = record.traceparent {
            writer.key(literal: "traceparent")
            writer.writeString(traceparent)
        }
    }

    private func flush(_ buffer: LoopBuffer) {
        buffer.writer.bytes.withUnsafeBytes { FileSystem.writeAll($0, to: STDOUT_FILENO) }
        buffer.writer.reset()
    }
}
