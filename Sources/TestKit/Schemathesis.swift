/// Runs schemathesis (pinned in `.tools/venv`) against a live server's `/openapi.json`, bounded in examples
/// and time, with every check: server errors, response schemas, status codes and content types that the
/// document does not declare, and positive and negative data handling.
public enum Schemathesis {
    /// Runs it, leaving out the checks named in `excluding`; exit status 0 means no failure was found.
    public static func run(port: Int, maxExamples: Int = 30, excluding: [String] = [], timeout: Double = 150) throws -> ProcessResult {
        let exclusions = excluding.isEmpty ? [] : ["--exclude-checks", excluding.joined(separator: ",")]
        return try PythonTool.run("schemathesis", [
            "run", "http://127.0.0.1:\(port)/openapi.json",
            "--checks", "all",
            "--max-examples", String(maxExamples),
            "--request-timeout", "5",
            "--no-color",
            "--generation-database", "none",
        ] + exclusions, timeout: timeout)
    }
}
