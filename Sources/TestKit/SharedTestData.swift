import Glibc

/// Paths into the repository and into `../shared/testdata`, found from this file's own path (`#filePath`),
/// so tests read the shared cases in place, from any working directory, and never copy them.
public enum SharedTestData {
    /// The repository root (the directory holding Package.swift).
    public static let repositoryRoot: String = {
        var path = "\(#filePath)"                     // <root>/Sources/TestKit/SharedTestData.swift
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()

    /// `../shared/testdata/http`: the raw request cases, `cases.json` and `run_cases.py`.
    public static var httpDirectory: String { repositoryRoot + "/../shared/testdata/http" }

    /// `../shared/testdata/vectors`: published test vectors (websocket.json, ...).
    public static var vectorsDirectory: String { repositoryRoot + "/../shared/testdata/vectors" }

    /// The exact bytes of one `.http` case.
    public static func httpCase(_ name: String) throws -> [UInt8] {
        try readFile(httpDirectory + "/" + name)
    }

    /// The whole contents of the file at `path`; the error names the path.
    public static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TestKitError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw TestKitError("cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    /// Writes `bytes` to a new file in a fresh temporary directory and returns its path.
    public static func temporaryFile(named name: String, contents bytes: [UInt8]) throws -> String {
        let directory = try temporaryDirectory()
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TestKitError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }  // offset < count
            guard written > 0 else { throw TestKitError("cannot write \(path): \(String(cString: strerror(errno)))") }
            offset += written
        }
        return path
    }

    /// Creates a fresh, empty directory under /tmp and returns its path.
    public static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/api-test-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestKitError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}
