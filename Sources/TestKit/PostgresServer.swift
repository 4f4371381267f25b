import Glibc

/// A private PostgreSQL server for the tests (issue 21): a cluster made with `initdb` in a temporary folder, listening
/// on a Unix socket in that folder and on a loopback port, trusting local connections. As root, everything runs as the
/// `postgres` user (PostgreSQL refuses to run as root), through `setpriv`.
public final class PostgresServer: @unchecked Sendable {   // immutable but for the process, which one caller drives
    /// The folder holding the cluster (`data/`) and the server's Unix socket.
    public let directory: String
    /// The loopback port it listens on.
    public let port: Int
    private var process: ChildProcess?
    /// The rig and host it runs in, when not in the root network namespace.
    private let placement: (rig: NetworkRig, host: String)?
    /// The address it listens on.
    public var address: String { placement.map { $0.rig.address(of: $0.host) } ?? "127.0.0.1" }

    /// What the running server has logged (its stderr), for a failing test to show.
    public var log: String { process?.stderr ?? "" }

    /// libpq's connection string for the Unix socket.
    public var socketConnectionString: String { "host=\(directory) port=\(port) user=postgres dbname=postgres" }
    /// libpq's connection string for its TCP port.
    public var tcpConnectionString: String { "host=\(address) port=\(port) user=postgres dbname=postgres" }

    /// Makes a cluster and starts its server, on `host` of `rig` if given (listening on that host's address); throws
    /// when PostgreSQL is not installed (`make test` installs postgresql-15) or does not start within `startTimeout`.
    public init(startTimeout: Double = 30, on host: String? = nil, of rig: NetworkRig? = nil) throws {
        placement = rig.flatMap { rig in host.map { (rig, $0) } }
        directory = try SharedTestData.temporaryDirectory()
        port = try FreePort.next()
        if getuid() == 0 { try Self.giveToPostgres(directory) }
        let initdb = try run("initdb", ["-D", directory + "/data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
            .finish(timeout: 120)
        guard initdb.status == 0 else { throw TestKitError("initdb: \(initdb)") }
        // initdb trusts loopback only; a rig's clients come from the bridge.
        guard let hba = fopen(directory + "/data/pg_hba.conf", "a") else { throw TestKitError("cannot open pg_hba.conf") }
        fputs("host all all 0.0.0.0/0 trust\n", hba)
        fclose(hba)
        try start(timeout: startTimeout)
    }

    deinit {
        stop()
        _ = try? ChildProcess(executable: "/bin/rm", arguments: ["-rf", directory]).finish(timeout: 30)
    }

    /// Starts the server on its cluster (again, after `stop()`).
    public func start(timeout: Double = 30) throws {
        let server = try run("postgres", [
            "-D", directory + "/data", "-k", directory, "-p", String(port), "-c", "listen_addresses=\(address)",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        ])
        process = server
        let deadline = TestClient.now() + timeout
        // The socket accepts before the server does ("the database system is starting up"): its log says when.
        while !server.stderr.contains("database system is ready to accept connections") {
            if let status = server.wait(timeout: 0) { throw TestKitError("postgres exited with \(status): \(server.stderr)") }
            guard TestClient.now() < deadline else { throw TestKitError("postgres did not start within \(timeout) s: \(server.stderr)") }
            usleep(20_000)
        }
    }

    /// Stops the server at once (its fast shutdown: open transactions roll back), waiting for it to exit.
    public func stop() {
        guard let server = process else { return }
        server.send(signal: SIGINT)
        _ = server.wait(timeout: 30)
        process = nil
    }

    /// A PostgreSQL program (`initdb`, `postgres`) from Debian's newest installed version, as `postgres` when root,
    /// in the server's host when it has one.
    private func run(_ program: String, _ arguments: [String]) throws -> ChildProcess {
        let path = try Self.binaries() + "/" + program
        // setpriv execs the program in its own place (runuser would stay its parent and keep our signals from it);
        // so does `ip netns exec`.
        let command = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", path] + arguments : [path] + arguments
        if let placement { return try placement.rig.start(on: placement.host, command[0], Array(command.dropFirst())) }
        return try ChildProcess(executable: command[0], arguments: Array(command.dropFirst()))
    }

    private static func binaries() throws -> String {
        for version in (13...20).reversed() where Self.exists("/usr/lib/postgresql/\(version)/bin/initdb") {
            return "/usr/lib/postgresql/\(version)/bin"
        }
        throw TestKitError("no PostgreSQL server under /usr/lib/postgresql (make test installs postgresql-15)")
    }

    private static func giveToPostgres(_ directory: String) throws {
        guard let user = getpwnam("postgres") else { throw TestKitError("no postgres user (make test installs postgresql-15)") }
        guard chown(directory, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw TestKitError("chown \(directory): \(String(cString: strerror(errno)))")
        }
    }

    private static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
