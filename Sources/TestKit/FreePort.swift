import Glibc
import Net

/// Ports for servers a test starts outside this process (nginx, a page server).
public enum FreePort {
    /// A port no one listens on now: a listener on port 0, its port read, then closed. Another process could take it
    /// before the server does; on a test machine that is rare enough, and start-up then fails loudly.
    public static func next() throws -> Int {
        let fd = try Socket.makeListener(host: "127.0.0.1", port: 0, reusePort: false, backlog: 1)
        defer { close(fd) }
        return try Socket.localPort(fd)
    }
}
