import Glibc
public import HTTP
import JSON

/// The access log (a JSON line per request on stdout, DESIGN §7) and the log of requests that failed with 500.
///
/// Each loop appends to its own buffer, flushed once per batch of events, so logging costs no lock
/// and one write(2) per wake-up instead of one per request.
public final class AccessLog: ServerObserver {
    private final class LoopBuffer: @unchecked Sendable {   // touched only by its own loop's thread
        var bytes: [UInt8] = []
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
        if buffer.bytes.count >= Self.flushThreshold { flush(buffer) }
    }

    public func connectionChanged(opened: Bool, loop: Int) {}

    public func batchFinished(loop: Int) {
        let buffer = buffers[loop]
        if !buffer.bytes.isEmpty { flush(buffer) }
    }

    private func append(_ record: RequestRecord, to buffer: LoopBuffer) {
        var writer = JSONWriter(capacity: 320)
        writer.beginObject()
        writer.key("ts")
        writer.writeUnescapedString { buffer.timestamp.append(to: &$0) }   // digits and `-:.TZ` only
        writer.key("level")
        writer.writeString(record.status >= 500 ? "error" : "info")
        writer.key("event")
        writer.writeString("request")
        writer.key("request_id")
        writer.writeString(record.requestID)
        writer.key("method")
        writer.writeString(record.method)
        writer.key("path")
        writer.writeString(record.path)
        writer.key("route")
        if let route = record.route { writer.writeString(route) } else { writer.writeNull() }
        writer.key("status")
        writer.writeInteger(record.status)
        writer.key("duration_ms")
        writer.writeDouble((Double(record.durationNanoseconds / 1_000) / 1_000))
        writer.key("bytes_in")
        writer.writeInteger(record.bytesIn)
        writer.key("bytes_out")
        writer.writeInteger(record.bytesOut)
        writer.key("client")
        writer.writeString(record.client)
        if let traceparent = record.traceparent {
            writer.key("traceparent")
            writer.writeString(traceparent)
        }
        writer.endObject()
        buffer.bytes.append(contentsOf: writer.bytes)
        buffer.bytes.append(UInt8(ascii: "\n"))
    }

    private func flush(_ buffer: LoopBuffer) {
        buffer.bytes.withUnsafeBytes { FileSystem.writeAll($0, to: STDOUT_FILENO) }
        buffer.bytes.removeAll(keepingCapacity: true)
    }
}
