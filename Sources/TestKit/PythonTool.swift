/// The pinned Python tools `make deps` installs into `.tools/venv` (schemathesis, openapi-spec-validator).
public enum PythonTool {
    /// The path of `name` in the project's tool venv.
    public static func path(_ name: String) -> String {
        SharedTestData.repositoryRoot + "/.tools/venv/bin/" + name
    }

    /// Runs `name arguments` to completion, at most `timeout` seconds, with `environment` added to the current one.
    public static func run(_ name: String, environment: [String: String] = [:], _ arguments: [String], timeout: Double) throws -> ProcessResult {
        try ChildProcess(executable: path(name), arguments: arguments, environment: environment).finish(timeout: timeout)
    }
}
