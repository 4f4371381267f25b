import Glibc

/// What an operator sets up before `api serve`: a data directory, a known secret (so a test can sign tokens as
/// the server does), cheap Argon2 costs and no access log, as environment variables for every `api` process.
public struct TestDeployment: Sendable {
    /// The secret every process of the deployment signs with (`API_AUTH_SECRET`).
    public static let secret = "test-deployment-secret-0123456789-abcdefghijklmnop"

    /// The data directory.
    /// For a load from one address (a load check, a fuzzer), which the default rate limits would answer 429.
    public static let withoutRateLimits = ["API_HTTP_RATE_LIMITS_ENABLED": "false"]

    public let directory: String
    /// The variables given to every `api` process.
    public let environment: [String: String]

    /// The database file.
    public var databasePath: String { directory + "/api.db" }

    /// A fresh deployment; `extra` variables are added to (or override) the defaults.
    public init(_ extra: [String: String] = [:]) throws {
        directory = try SharedTestData.temporaryDirectory()
        var environment = [
            "API_DATABASE_PATH": directory + "/api.db", "API_AUTH_SECRET": Self.secret, "API_LOG_ACCESS": "off",
            "API_AUTH_ARGON2_MEMORY_KIB": "1024", "API_AUTH_ARGON2_ITERATIONS": "1",
        ]
        environment.merge(extra) { $1 }
        self.environment = environment
    }

    /// The same deployment (directory, database, secret) with `extra` variables changed: the next version of its
    /// configuration.
    public init(copying deployment: TestDeployment, _ extra: [String: String]) {
        directory = deployment.directory
        environment = deployment.environment.merging(extra) { $1 }
    }

    /// `api user add EMAIL --password-stdin [--admin]`.
    public func addUser(_ email: String, password: String, admin: Bool = false) throws -> ProcessResult {
        try run(["user", "add", email, "--password-stdin"] + (admin ? ["--admin"] : []), input: password + "\n")
    }

    /// A deployment with an admin `admin@example.com` (password `admin-password-1`) made by `api user add`, and an
    /// access token of theirs made by `api token issue` (an hour long).
    public static func withAdmin(_ extra: [String: String] = [:]) throws -> (TestDeployment, token: String) {
        let deployment = try TestDeployment(extra)
        let added = try deployment.addUser("admin@example.com", password: "admin-password-1", admin: true)
        guard added.status == 0 else { throw TestKitError("api user add: \(added)") }
        let token = try deployment.run(["token", "issue", "--subject", "admin@example.com", "--ttl", "1h"])
        guard token.status == 0 else { throw TestKitError("api token issue: \(token)") }
        return (deployment, String(token.stdout.dropLast()))
    }

    /// Runs `api arguments` against the deployment.
    public func run(_ arguments: [String], input: String? = nil) throws -> ProcessResult {
        try APIBinary.run(arguments, environment: environment, input: input)
    }

    /// Starts `api serve` on a free port.
    public func serve(_ extraArguments: [String] = []) throws -> RunningAPIServer {
        try APIBinary.serve(extraArguments, environment: environment)
    }

    /// Runs `scripts/checks/load_check.py load --target TARGET` against `server` with `token` (32 clients), kills the
    /// server with SIGKILL after `seconds`, and returns the load's result once it has noticed, with the file
    /// of acknowledged writes and how the server ended (128 + SIGKILL when the kill took).
    public func loadThenKill(_ server: RunningAPIServer, target: String, token: String, after seconds: Double) throws
        -> (load: ProcessResult, acknowledged: String, serverStatus: Int32?) {
        let acknowledged = directory + "/acknowledged-\(target).txt"
        let load = try ChildProcess(executable: PythonTool.path("python"), arguments: [
            SharedTestData.repositoryRoot + "/scripts/checks/load_check.py", "load", "--target", target, "--url", "http://127.0.0.1:\(server.port)",
            "--admin-token", token, "--seconds", "60", "--clients", "32", "--acked", acknowledged, "--may-lose-server",
        ])
        usleep(UInt32(seconds * 1_000_000))
        server.process.send(signal: SIGKILL)
        let status = server.process.wait(timeout: 10)
        return (try load.finish(timeout: 30), acknowledged, status)
    }

    /// Runs one of `scripts/checks/NAME` with the tool venv's Python (which has `requests` and `argon2-cffi`).
    public static func script(_ name: String, _ arguments: [String], timeout: Double) throws -> ProcessResult {
        try PythonTool.run("python", [SharedTestData.repositoryRoot + "/scripts/checks/" + name] + arguments, timeout: timeout)
    }
}
