import Glibc

/// One-line messages for a person at a terminal, on stderr (logs go to stdout as JSON).
public enum Console {
    /// Writes `api: message` and a newline to stderr.
    public static func error(_ message: String) {
        Array("api: \(message)\n".utf8).withUnsafeBytes { FileSystem.writeAll($0, to: STDERR_FILENO) }
    }

    /// Writes `text` to stdout as is.
    public static func print(_ text: String) {
        Array(text.utf8).withUnsafeBytes { FileSystem.writeAll($0, to: STDOUT_FILENO) }
    }
}
