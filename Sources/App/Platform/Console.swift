import Glibc
import Net

/// One-line messages for a person at a terminal, on stderr (logs go to stdout as JSON).
public enum Console {
    /// The command line, the program's name first, read without /proc (`ProcessArguments`).
    public static var arguments: [String] { ProcessArguments.all }

    /// Writes `api: message` and a newline to stderr.
    public static func error(_ message: String) {
        Array("api: \(message)\n".utf8).withUnsafeBytes { FileSystem.writeAll($0, to: STDERR_FILENO) }
    }

    /// Writes `text` to stdout as is.
    public static func print(_ text: String) {
        Array(text.utf8).withUnsafeBytes { FileSystem.writeAll($0, to: STDOUT_FILENO) }
    }
}

extension Console {
    /// Whether standard input is a terminal (a person typing) rather than a pipe or a file.
    public static var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Reads one line from standard input without its newline; nil at end of input.
    public static func readLine() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Prompts on stderr and reads a line from the terminal with echo off (a password), restoring the
    /// terminal afterwards; nil at end of input.
    public static func readHidden(prompt: String) -> String? {
        Array(prompt.utf8).withUnsafeBytes { FileSystem.writeAll($0, to: STDERR_FILENO) }
        var saved = termios()
        let canHide = tcgetattr(STDIN_FILENO, &saved) == 0
        if canHide {
            var hidden = saved
            hidden.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        }
        defer {
            if canHide { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            Array("\n".utf8).withUnsafeBytes { FileSystem.writeAll($0, to: STDERR_FILENO) }
        }
        return readLine()
    }
}
