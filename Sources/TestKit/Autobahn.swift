import Glibc
import JSON

/// The Autobahn WebSocket test suite (`wstest` of autobahntestsuite 0.8.2), which `make deps` installs into
/// `.tools/autobahn-venv` where Python 2.7 exists (the suite runs on nothing newer).
public enum Autobahn {
    /// The `wstest` of the tool venv.
    public static var wstest: String { SharedTestData.repositoryRoot + "/.tools/autobahn-venv/bin/wstest" }

    /// Whether `make deps` installed it.
    public static var isInstalled: Bool { access(wstest, X_OK) == 0 }

    /// Runs `wstest -m fuzzingclient` (every case it has but `excluded`) against the WebSocket at `url`, as agent
    /// `agent`, and writes its report (`index.json`, `index.html` and one file per case) into `reportDirectory`.
    public static func fuzz(url: String, agent: String, excluding excluded: [String], reportDirectory: String,
                            timeout: Double) throws -> ProcessResult {
        let spec = JSONValue.object([
            "outdir": .string(reportDirectory),
            "servers": .array([.object(["agent": .string(agent), "url": .string(url)])]),
            "cases": .array([.string("*")]),
            "exclude-cases": .array(excluded.map(JSONValue.string)),
            "exclude-agent-cases": .object([:]),
        ])
        let specPath = try SharedTestData.temporaryFile(named: "fuzzingclient.json", contents: spec.serialized())
        // PYTHONWARNINGS: cryptography's notice that Python 2 is unsupported would fill stderr.
        return try ChildProcess(executable: wstest, arguments: ["-m", "fuzzingclient", "-s", specPath],
                                environment: ["PYTHONWARNINGS": "ignore"]).finish(timeout: timeout)
    }
}
