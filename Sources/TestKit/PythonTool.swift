/// The pinned Python tools `make deps` installs into `.tools/venv` (schemathesis, openapi-spec-validator).
public enum PythonTool {
    /// The path of `name` in the project's tool venv.
    public static func path(_ name: String) -> String {
        SharedTestData.repositoryRoot + "/.tools/venv/bin/" + name
    }

    /// Runs `name arguments` to completion, at most `timeout` seconds.
    public static func run(_ name: String, _ arguments: [String], timeout: Double) throws -> ProcessResult {
        try ChildProcess(executable: path(name), arguments: arguments).finish(timeout: timeout)
    }
}
