import App
import TestKit
import Testing

/// The `api` binary's command line (DESIGN §1, issue 2 "Must show" 5): help, version, and exit 2 with exactly one
/// stderr line naming the problem for every usage or configuration mistake.
@Suite struct CommandLineTests {
    @Test(arguments: [[], ["help"], ["--help"], ["-h"]])
    func helpIsPrintedWithExitZero(_ arguments: [String]) throws {
        let result = try APIBinary.run(arguments)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Usage: api COMMAND"))
        for command in ["serve", "version", "help"] { #expect(result.stdout.contains("  \(command) ")) }
        #expect(result.stderr.isEmpty)
    }

    @Test(arguments: [["help", "serve"], ["serve", "--help"], ["serve", "-h"]])
    func commandHelpListsItsOptions(_ arguments: [String]) throws {
        let result = try APIBinary.run(arguments)
        #expect(result.status == 0, "\(result)")
        for option in ["--config", "--host", "--port", "--workers"] { #expect(result.stdout.contains(option)) }
    }

    @Test(arguments: [["version"], ["--version"]])
    func versionIsPrinted(_ arguments: [String]) throws {
        let result = try APIBinary.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout == "api \(Version.current)\n")
    }

    struct Mistake: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        let config: String?
        let environment: [String: String]
        let names: [String]             // what the one stderr line must mention
        var testDescription: String { name }
        init(_ name: String, _ arguments: [String], config: String? = nil, environment: [String: String] = [:], names: [String]) {
            self.name = name; self.arguments = arguments; self.config = config; self.environment = environment; self.names = names
        }
    }

    /// Each mistake exits 2, prints nothing on stdout, and exactly one stderr line that names it.
    @Test(arguments: [
        Mistake("unknown command", ["frobnicate"], names: ["frobnicate", "api help"]),
        Mistake("bad flag", ["serve", "--bogus"], names: ["--bogus"]),
        Mistake("flag without its value", ["serve", "--port"], names: ["--port"]),
        Mistake("unexpected argument", ["serve", "extra"], names: ["extra"]),
        Mistake("help for an unknown command", ["help", "frobnicate"], names: ["frobnicate"]),
        Mistake("config with an unknown key", ["serve"], config: #"{"server":{"prot":8000}}"#, names: ["server.prot", "unknown key"]),
        Mistake("config with a wrong type", ["serve"], config: #"{"server":{"port":"http"}}"#, names: ["server.port", "expected an integer", "\"http\""]),
        Mistake("config out of range", ["serve"], config: #"{"server":{"port":70000}}"#, names: ["server.port", "70000"]),
        Mistake("config nested unknown key", ["serve"], config: #"{"server":{"timeouts":{"head":1}}}"#, names: ["server.timeouts.head"]),
        Mistake("config that is not JSON", ["serve"], config: #"{"server": "#, names: ["invalid JSON"]),
        Mistake("missing config file", ["serve", "--config", "/nonexistent/api.json"], names: ["/nonexistent/api.json"]),
        Mistake("bad environment variable", ["serve"], environment: ["API_SERVER_PORT": "http"], names: ["API_SERVER_PORT", "\"http\""]),
        Mistake("bad flag value", ["serve", "--port", "http"], names: ["--port", "\"http\""]),
        Mistake("bad workers flag", ["serve", "--workers", "-1"], names: ["--workers"]),
        Mistake("CORS origin with a path", ["serve"], config: #"{"http":{"cors":{"allow_origins":["https://app.example.com/"]}}}"#,
                names: ["http.cors.allow_origins", "https://app.example.com/", "not an origin"]),
        Mistake("CORS any origin with credentials", ["serve"], config: #"{"http":{"cors":{"allow_origins":["*"],"allow_credentials":true}}}"#,
                names: ["http.cors.allow_origins", "allow_credentials"]),
        Mistake("rate limit rule that does not parse", ["serve"], environment: ["API_HTTP_RATE_LIMITS_RULES": "read: read 2/x 5 address"],
                names: ["http.rate_limits.rules[0]", "N/s"]),
        Mistake("shared rate limits on SQLite", ["serve"], environment: ["API_HTTP_RATE_LIMITS_SHARED": "true"],
                names: ["http.rate_limits.shared", "database.url"]),
        Mistake("public URL without a scheme", ["serve"], config: #"{"server":{"public_url":"api.example.com"}}"#,
                names: ["server.public_url", "https://"]),
        Mistake("resource with an unknown key", ["serve"], config: #"{"resources":{"p":{"fields":{"a":{"type":"string"}},"owners":true}}}"#,
                names: ["resources.p.owners", "unknown key"]),
        Mistake("resource with a bad name", ["serve"], config: #"{"resources":{"Projects":{"fields":{"a":{"type":"string"}}}}}"#,
                names: ["resources.Projects", "lower-case"]),
        Mistake("resource named after a keyword", ["serve"], config: #"{"resources":{"p":{"fields":{"order":{"type":"string"}}}}}"#,
                names: ["resources.p.fields.order", "SQL keyword"]),
        Mistake("reference to an unknown resource", ["serve"], config: #"{"resources":{"p":{"fields":{"t":{"type":"reference","to":"teams"}}}}}"#,
                names: ["resources.p.fields.t.to", "teams"]),
        Mistake("rule that does not parse", ["serve"], environment: ["API_RESOURCES": #"{"p":{"fields":{"a":{"type":"string"}},"rules":{"list":"a = "}}}"#],
                names: ["resources.p.rules.list", "position 5"]),
        Mistake("rule naming an unknown field", ["serve"], config: #"{"resources":{"p":{"fields":{"a":{"type":"string"}},"rules":{"read":"b = 1"}}}}"#,
                names: ["resources.p.rules.read", "unknown field 'b'", "position 1"]),
    ])
    func mistakeExitsTwoWithOneLineNamingIt(_ mistake: Mistake) throws {
        var arguments = mistake.arguments
        if let config = mistake.config {
            arguments += ["--config", try SharedTestData.temporaryFile(named: "api.json", contents: Array(config.utf8))]
        }
        let result = try APIBinary.run(arguments, environment: mistake.environment, timeout: 10)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        for name in mistake.names { #expect(result.stderr.contains(name), "stderr should name \(name): \(result.stderr)") }
    }
}
