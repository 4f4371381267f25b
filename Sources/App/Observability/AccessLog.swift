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
///
/// The loops' buffers are a `PerLoop`: each on cache lines of its own, reached without a retain or an
/// exclusivity check. Each is only ever touched by its own loop's thread, and by `flushAll()` once the loops
/// have stopped.
public final class AccessLog: ServerObserver {
    /// One loop's lines and what it keeps to write them.
    private struct LoopBuffer: ~Copyable {
        var line = JSONLineBuffer(capacity: AccessLog.flushThreshold + 4096)
        var seen = 0
        var timestamp = Timestamp()
        var lastFlush = AccessLog.coarseMilliseconds()
        /// `,"route":"…","status":` by route number + 1 (0: no route), made the first time each is logged.
        var routeFields = KeptFields()

        mutating func appendRouteField(_ record: RequestRecord) {
            let key = (record.routeNumber ?? -1) + 1
            if !routeFields.contains(key) { routeFields.set(key, AccessLog.routeField(record.route)) }
            routeFields.append(key, to: &line)
        }
    }

    /// `,"method":"GET","path":` by `Method.rawValue`, and after them the one for a request whose method could not
    /// be read.
    private static let methodFields = {
        var fields = KeptFields()
        for method in Method.allCases { fields.set(Int(method.rawValue), field(method: method.name)) }
        fields.set(unreadMethodKey, field(method: "-"))
        return fields
    }()
    private static let unreadMethodKey = Method.allCases.count

    private static func field(method: String) -> [UInt8] {
        Array(#","method":"\#(method)","path":"#.utf8)    // method names are tokens: nothing to escape
    }

    private static func routeField(_ route: String?) -> [UInt8] {
        var field = JSONWriter()
        if let route { field.writeString(route) } else { field.writeNull() }
        return Array(#","route":"#.utf8) + field.bytes + Array(#","status":"#.utf8)
    }

    private let mode: AccessLogMode
    private let logger: Logger
    private let buffers: PerLoop<LoopBuffer>

    private static let flushThreshold = 65_536
    private static let flushIntervalMilliseconds = 50

    /// An access log for `loops` loops.
    public init(mode: AccessLogMode, logger: Logger, loops: Int) {
        self.mode = mode
        self.logger = logger
        buffers = PerLoop(count: loops) { _ in LoopBuffer() }
    }

    public func requestFinished(_ record: RequestRecord, loop: Int) {
        if let failure = record.failure {
            logger.error("request.failed", ["request_id": .string(record.requestID), "method": .string(record.method),
                                            "path": .string(record.path), "error": .string(String(describing: failure))])
        }
        buffers[loop].seen &+= 1
        switch mode {
        case .off: return
        case .on: break
        case .sample(let every): if buffers[loop].seen % every != 0 { return }
        }
        Self.write(record, to: &buffers[loop])
        if buffers[loop].line.count >= Self.flushThreshold { Self.flush(&buffers[loop]) }
    }

    public func connectionChanged(opened: Bool, loop: Int) {}

    public func batchFinished(loop: Int) {
        guard buffers[loop].line.count > 0 else { return }
        if Self.coarseMilliseconds() - buffers[loop].lastFlush >= Self.flushIntervalMilliseconds { Self.flush(&buffers[loop]) }
    }

    /// Writes out every loop's buffered lines; call once the loops have stopped (no loop may be running).
    public func flushAll() {
        for loop in 0..<buffers.count where buffers[loop].line.count > 0 { Self.flush(&buffers[loop]) }
    }

    /// The bytes of a line that are not its strings: the literal names and punctuation, the timestamp and
    /// four numbers (under 400).
    private static let fixedByteCountBound = 512

    /// Writes the line straight into the loop's buffer, room for all of it reserved at once: no
    /// per-request allocation, and no capacity check per piece.
    private static func write(_ record: RequestRecord, to buffer: inout LoopBuffer) {
        buffer.line.reserve(fixedByteCountBound + quotedBound(record.requestID) + quotedBound(record.path) + quotedBound(record.route)
                            + quotedBound(record.client) + quotedBound(record.traceparent))
        buffer.line.append(#"{"ts":""#)
        buffer.line.appendInPlace { buffer.timestamp.write(to: $0) }   // digits and `-:.TZ` only
        buffer.line.append(record.status >= 500 ? #"","level":"error","event":"request","request_id":"#
                                                : #"","level":"info","event":"request","request_id":"#)
        buffer.line.appendQuoted(record.requestID)
        methodFields.append(record.parsedMethod.map { Int($0.rawValue) } ?? unreadMethodKey, to: &buffer.line)
        buffer.line.appendQuoted(record.path)
        buffer.appendRouteField(record)
        buffer.line.appendInteger(record.status)
        buffer.line.append(#","duration_ms":"#)
        buffer.line.appendFixedPoint(Int(record.durationNanoseconds / 1_000), fractionDigits: 3)   // microseconds, as ms
        buffer.line.append(#","bytes_in":"#)
        buffer.line.appendInteger(record.bytesIn)
        buffer.line.append(#","bytes_out":"#)
        buffer.line.appendInteger(record.bytesOut)
        buffer.line.append(#","client":"#)
        buffer.line.appendQuoted(record.client)
        if let traceparent = record.traceparent {
            buffer.line.append(#","traceparent":"#)
            buffer.line.appendQuoted(traceparent)
        }
        buffer.line.append("}\n")
    }

    /// The most bytes `string` takes quoted; none when there is no string.
    private static func quotedBound(_ string: String?) -> Int {
        string.map(JSONLineBuffer.quotedByteCountBound) ?? 0
    }

    private static func flush(_ buffer: inout LoopBuffer) {
        buffer.line.withBytes { FileSystem.writeAll($0, to: STDOUT_FILENO) }
        buffer.line.removeAll()
        buffer.lastFlush = coarseMilliseconds()
    }

    /// A monotonic clock in milliseconds, read without a system call; its few milliseconds of
    /// resolution are plenty for a flush interval.
    private static func coarseMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }
}
