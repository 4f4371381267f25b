import JSON

/// Failed requests by kind; each failed request is counted once, under the first thing that went wrong.
public struct ErrorCounts: Equatable, Sendable {
    /// The connection could not be opened (refused, unreachable, reset during the handshake).
    public var connect = 0
    /// Reading the response failed: a reset, the server closing mid-response, or a malformed response.
    public var read = 0
    /// Sending the request failed.
    public var write = 0
    /// No complete response within the timeout.
    public var timeout = 0

    /// The kinds, one per counter.
    enum Kind { case connect, read, write, timeout }

    /// All errors.
    public var total: Int { connect + read + write + timeout }

    mutating func count(_ kind: Kind) {
        switch kind {
        case .connect: connect += 1
        case .read: read += 1
        case .write: write += 1
        case .timeout: timeout += 1
        }
    }

    mutating func add(_ other: ErrorCounts) {
        connect += other.connect
        read += other.read
        write += other.write
        timeout += other.timeout
    }
}

extension ErrorCounts {
    /// The `errors` object of a JSON report: each kind and their `total`.
    func writeReport(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.writeCounts(["connect": connect, "read": read, "write": write, "timeout": timeout, "total": total])
        writer.endObject()
    }

    /// The text report's line: `connect 0, read 0, write 0, timeout 0`.
    var reportText: String { "connect \(connect), read \(read), write \(write), timeout \(timeout)" }
}
