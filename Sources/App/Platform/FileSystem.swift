import Glibc

/// The few file operations `api` needs, on Glibc (Foundation is not linked into the server).
public enum FileSystem {
    /// `true` when `path` names an existing file or directory.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The whole contents of the file at `path`.
    public static func read(_ path: String) throws(ConfigError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ConfigError(path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return contents }
            if count < 0 {
                if errno == EINTR { continue }
                throw ConfigError(path, "cannot read: \(String(cString: strerror(errno)))")
            }
            contents.append(contentsOf: chunk[..<count])
        }
    }

    /// Writes all of `bytes` to descriptor `fd`, retrying short writes; errors are dropped (used for logs).
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)  // offset < count, so non-empty
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Creates `path` and its missing parents with `mode`, like `mkdir -p`.
    /// - Throws: `ConfigError` naming the directory that could not be made.
    public static func makeDirectories(_ path: String, mode: UInt32 = 0o755) throws(ConfigError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, mode) != 0 && errno != EEXIST {
                throw ConfigError(path, "cannot create directory \(prefix): \(String(cString: strerror(errno)))")
            }
            prefix += "/"
        }
    }

    /// Creates an empty file at `path` readable by its owner only, unless it exists. SQLite gives the
    /// database's `-wal` and `-shm` files the mode of the database, so they stay private too.
    public static func createPrivateFile(_ path: String) throws(ConfigError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigError(path, "cannot create: \(String(cString: strerror(errno)))") }
        close(fd)
    }

    /// Replaces the file at `path` with `bytes`, readable by its owner only, and syncs it: written beside it and renamed
    /// into place, so a crash leaves the old file or the new one, never half of one.
    public static func writePrivately(_ bytes: [UInt8], to path: String) throws(ConfigError) {
        let partial = path + ".partial"
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigError(partial, "cannot create: \(String(cString: strerror(errno)))") }
        bytes.withUnsafeBytes { writeAll($0, to: fd) }
        let synced = fsync(fd) == 0 && fchmod(fd, 0o600) == 0
        close(fd)
        guard synced, rename(partial, path) == 0 else {
            unlink(partial)
            throw ConfigError(path, "cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
