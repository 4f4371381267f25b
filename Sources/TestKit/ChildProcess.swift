import Glibc

/// A child process started with posix_spawn, its stdout and stderr captured in temporary files
/// (files, not pipes, so a chatty child can never block on a full pipe nobody reads).
public final class ChildProcess: @unchecked Sendable {   // pid and paths are immutable; waiting is done by one caller
    /// The process id.
    public let pid: Int32
    private let directory: String
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments`, the current environment without any `API_*` variable plus `environment`,
    /// in `workingDirectory` (a fresh empty one if nil, so no stray ./api.json is read), reading `input` on stdin
    /// (nothing when nil).
    public init(executable: String, arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil,
                input: String? = nil) throws {
        directory = try SharedTestData.temporaryDirectory()
        let cwd = workingDirectory ?? directory
        let stdinPath = try input.map { try SharedTestData.temporaryFile(named: "stdin", contents: Array($0.utf8)) } ?? "/dev/null"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, directory + "/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, directory + "/stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var variables = Self.currentEnvironment().filter { !$0.key.hasPrefix("API_") }
        for (name, value) in environment { variables[name] = value }
        // posix_spawn_file_actions_addchdir_np is not visible to Swift: a shell changes directory, then execs in place (same pid).
        let shellArguments = ["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", cwd, executable] + arguments
        let argv = shellArguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var child = pid_t()
        let status = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp)
        guard status == 0 else { throw TestKitError("posix_spawn \(executable): \(String(cString: strerror(status)))") }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        for name in ["stdout", "stderr"] { unlink(directory + "/" + name) }
        rmdir(directory)
    }

    /// Sends `signal` (SIGTERM, SIGINT, SIGKILL).
    public func send(signal: Int32) {
        if exitStatus == nil { kill(pid, signal) }
    }

    /// Waits up to `timeout` seconds for the process to end; returns its exit code (128 + signal if killed), or nil if still running.
    public func wait(timeout: Double) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = TestClient.now() + timeout
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                let signal = status & 0x7F
                exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
                return exitStatus
            }
            if result < 0 && errno != EINTR { return nil }
            if TestClient.now() >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Waits for the end (killing the process after `timeout`) and returns the result; a killed process throws.
    public func finish(timeout: Double) throws -> ProcessResult {
        guard let status = wait(timeout: timeout) else {
            send(signal: SIGKILL)
            _ = wait(timeout: 5)
            throw TestKitError("process \(pid) still running after \(timeout) s; stdout: \(stdout) stderr: \(stderr)")
        }
        return ProcessResult(status: status, stdout: stdout, stderr: stderr)
    }

    /// What the process has written to stdout so far.
    public var stdout: String { String(decoding: (try? SharedTestData.readFile(directory + "/stdout")) ?? [], as: UTF8.self) }

    /// What the process has written to stderr so far.
    public var stderr: String { String(decoding: (try? SharedTestData.readFile(directory + "/stderr")) ?? [], as: UTF8.self) }

    private static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        return result
    }
}
