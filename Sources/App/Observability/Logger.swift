import Glibc
public import JSON
import Net

/// Writes one JSON object per line on stdout: `{"ts":…,"level":…,"event":…, fields…}`.
///
/// Each line is one write(2), so lines from different threads never interleave.
public struct Logger: Sendable {
    /// The least severe level written.
    public let level: LogLevel

    /// A logger that drops everything below `level`.
    public init(level: LogLevel) {
        self.level = level
    }

    /// Logs `event` with `fields` at `severity`.
    public func log(_ severity: LogLevel, _ event: String, _ fields: KeyValuePairs<String, JSONValue> = [:]) {
        guard severity >= level else { return }
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("ts")
        writer.writeString(SystemTime().timestamp())       // log lines carry real time, in tests too
        writer.key("level")
        writer.writeString(severity.name)
        writer.key("event")
        writer.writeString(event)
        for (name, value) in fields {
            writer.key(name)
            writer.writeValue(value)
        }
        writer.endObject()
        writer.bytes.append(UInt8(ascii: "\n"))
        writer.bytes.withUnsafeBytes { FileSystem.writeAll($0, to: STDOUT_FILENO) }
    }

    /// Logs at info.
    public func info(_ event: String, _ fields: KeyValuePairs<String, JSONValue> = [:]) { log(.info, event, fields) }
    /// Logs at warning.
    public func warning(_ event: String, _ fields: KeyValuePairs<String, JSONValue> = [:]) { log(.warning, event, fields) }
    /// Logs at error.
    public func error(_ event: String, _ fields: KeyValuePairs<String, JSONValue> = [:]) { log(.error, event, fields) }
}
