import Glibc

/// An `api serve` child process and the port it bound; killed when released if still running.
public final class RunningAPIServer: Sendable {
    /// The process.
    public let process: ChildProcess
    /// The port from its `server.started` line.
    public let port: Int

    init(process: ChildProcess, port: Int) {
        self.process = process
        self.port = port
    }

    /// A new connection to the server.
    public func connect() throws -> TestClient {
        try TestClient(port: port)
    }

    /// Sends SIGTERM and waits up to `timeout` seconds for the exit code (nil if it did not exit).
    public func terminate(timeout: Double = 15) -> Int32? {
        process.send(signal: SIGTERM)
        return process.wait(timeout: timeout)
    }
}
