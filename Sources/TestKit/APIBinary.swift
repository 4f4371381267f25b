import Glibc
import JSON

/// The built `api` executable, found next to the test binary (both live in `.build/<configuration>/`).
public enum APIBinary {
    /// The path of `api`: the directory of `/proc/self/exe` (the test runner) plus `/api`.
    public static func path() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw TestKitError("readlink /proc/self/exe: \(String(cString: strerror(errno)))") }
        let exe = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var directory = String(exe[..<(exe.lastIndex(of: "/") ?? exe.startIndex)])
        // A bundle layout (`X.xctest/Contents/MacOS/X`) would put the runner deeper; walk up to where `api` is.
        for _ in 0..<4 {
            let candidate = directory + "/api"
            if access(candidate, X_OK) == 0 { return candidate }
            directory = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
        }
        throw TestKitError("no api executable next to \(exe); build the package first (swift build --build-tests)")
    }

    /// Runs `api arguments` to completion (at most `timeout` seconds), with `input` on stdin, and returns how it ended.
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil,
                           timeout: Double = 30) throws -> ProcessResult {
        try ChildProcess(executable: path(), arguments: arguments, environment: environment, input: input).finish(timeout: timeout)
    }

    /// Starts `api serve --port 0 extraArguments` and waits for its `server.started` log line, which carries the port.
    /// Unless `environment` names one, the database is a fresh file in a temporary directory (`API_DATABASE_PATH`).
    public static func serve(
        _ extraArguments: [String] = [], environment: [String: String] = [:], startTimeout: Double = 20
    ) throws -> RunningAPIServer {
        var environment = environment
        if environment["API_DATABASE_PATH"] == nil { environment["API_DATABASE_PATH"] = try SharedTestData.temporaryDirectory() + "/api.db" }
        let process = try ChildProcess(executable: path(), arguments: ["serve", "--port", "0"] + extraArguments, environment: environment)
        return try waitUntilServing(process, startTimeout: startTimeout)
    }

    /// Waits for a started `api serve` process to log `server.started`; throws if it exits first or takes too long.
    public static func waitUntilServing(_ process: ChildProcess, startTimeout: Double = 20) throws -> RunningAPIServer {
        let deadline = TestClient.now() + startTimeout
        while TestClient.now() < deadline {
            if let port = startedPort(in: process.stdout) { return RunningAPIServer(process: process, port: port) }
            if let status = process.wait(timeout: 0) {
                throw TestKitError("api serve exited with \(status) before starting; stderr: \(process.stderr)")
            }
            usleep(5_000)
        }
        throw TestKitError("api serve did not log server.started within \(startTimeout) s; stdout: \(process.stdout)")
    }

    /// The port of the first `{"event":"server.started",...,"port":N}` line in `output`.
    static func startedPort(in output: String) -> Int? {
        for line in output.split(separator: "\n") where line.contains("\"server.started\"") {
            guard let value = try? JSONParser.parse(String(line)), value["event"]?.stringValue == "server.started",
                  let port = value["port"]?.intValue else { continue }
            return Int(port)
        }
        return nil
    }
}
