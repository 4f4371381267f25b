/// Runs schemathesis (pinned in `.tools/venv`) against a live server's `/openapi.json`, bounded in examples and
/// time, in every phase (examples, coverage, fuzzing, stateful) and with every check: server errors, response
/// schemas, status codes and content types that the document does not declare, and positive and negative data
/// handling, on every operation but the event streams. `scripts/checks/schemathesis_hooks.py` keeps the
/// integers it draws within 64 bits (the one documented limit the document does not state, docs/openapi.md).
public enum Schemathesis {
    /// Runs it, leaving out the checks named in `excluding`, with `scripts/checks/schemathesis.toml` and, when given, a bearer
    /// `token` on every request (so secured operations are exercised, not only refused); exit status 0 means no
    /// failure was found.
    public static func run(port: Int, maxExamples: Int = 30, excluding: [String] = [], token: String? = nil,
                           timeout: Double = 150) throws -> ProcessResult {
        let exclusions = excluding.isEmpty ? [] : ["--exclude-checks", excluding.joined(separator: ",")]
        let authorization = token.map { ["--header", "Authorization: Bearer \($0)"] } ?? []
        let hooks = ["SCHEMATHESIS_HOOKS": "schemathesis_hooks", "PYTHONPATH": SharedTestData.repositoryRoot + "/scripts/checks"]
        return try PythonTool.run("schemathesis", environment: hooks, [
            "--config-file", SharedTestData.repositoryRoot + "/scripts/checks/schemathesis.toml",
            "run", "http://127.0.0.1:\(port)/openapi.json",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--checks", "all",
            "--max-examples", String(maxExamples),
            "--request-timeout", "5",
            "--no-color",
            "--generation-database", "none",
            // An event stream (`GET /R/events`) answers forever: its own tests (RealtimeStreamTests) cover it.
            "--exclude-path-regex", "/events$",
        ] + exclusions + authorization, timeout: timeout)
    }
}
