import Glibc
import Synchronization

/// `audit.file`: audit entries also appended as JSON lines, for log shippers. Opened once (O_APPEND, 0600) and
/// reopened after a failure, so a rotated or removed file is created again.
final class AuditFile: Sendable {
    let path: String
    private let descriptor = Mutex<Int32>(-1)

    init(path: String) {
        self.path = path
    }

    deinit {
        descriptor.withLock { if $0 >= 0 { close($0) } }
    }

    /// Appends `line` (with its newline) in one write(2); throws when the file cannot be opened or written.
    func append(_ line: [UInt8]) throws {
        try descriptor.withLock { fd in
            if fd < 0 {
                fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw AuditFileError("cannot open \(path): \(String(cString: strerror(errno)))") }
            }
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == line.count else {
                let reason = written < 0 ? String(cString: strerror(errno)) : "short write"
                close(fd)
                fd = -1
                throw AuditFileError("cannot write \(path): \(reason)")
            }
        }
    }
}

/// Why an audit line could not be written (the job is retried).
struct AuditFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
