@testable import App
import HTTP
import JSON
import AppTestKit
import TestKit
import OpenAPI
import Testing

/// DESIGN §2: defaults < file < environment < flags; unknown keys, wrong types and out-of-range values are refused
/// with an error naming the key path; config.example.json lists every key with its default.
@Suite struct ConfigTests {
    static var defaultValues: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.path, $0.defaultValue) })
    }

    /// Writes `json` to a temporary config file.
    static func file(_ json: String) throws -> String {
        try SharedTestData.temporaryFile(named: "api.json", contents: Array(json.utf8))
    }

    /// The docs defaults written in the schema (for docs/configuration.md) are the OpenAPI module's own.
    @Test func docsDefaultsAgreeWithTheOpenAPIModule() {
        let docs = Config.defaults.docs
        let module = DocsConfiguration()
        #expect(docs.isEnabled == module.isEnabled)
        #expect(docs.swaggerJavaScriptURL == module.swaggerJavaScriptURL)
        #expect(docs.swaggerStyleSheetURL == module.swaggerStyleSheetURL)
        #expect(docs.redocJavaScriptURL == module.redocJavaScriptURL)
    }

    /// config.example.json passes the schema check, sets every key, and sets each to its default: it cannot drift. The
    /// one exception is `resources`, empty by default, where the example declares DESIGN §10's `projects`.
    @Test func exampleConfigListsEveryKeyWithItsDefault() throws {
        let bytes = try SharedTestData.readFile(SharedTestData.repositoryRoot + "/config.example.json")
        let document = try JSONParser.parse(bytes, options: .init(rejectDuplicateKeys: true))
        let values = try ConfigLoader.check(document: document)
        #expect(Set(values.keys) == Set(ConfigSchema.keys.map(\.path)))
        for key in ConfigSchema.keys where key.path != "resources" {
            #expect(values[key.path] == key.defaultValue, "\(key.path)")
        }
        let example = try ResourceDeclarationReader.read(try #require(values["resources"]))
        #expect(example.map(\.name) == ["projects"])
        #expect(example == (try ResourceDeclarationReader.read(try JSONParser.parse(Array(ResourceDeclarationTests.projects.utf8)))),
                "the example declares DESIGN §10's projects")
        // Loading it as a file gives exactly the built-in defaults.
        let loaded = try ConfigLoader.load(file: SharedTestData.repositoryRoot + "/config.example.json", environment: [:], flags: [])
        #expect(loaded.server == Config.defaults.server)
        #expect(loaded.logLevel == Config.defaults.logLevel)
        #expect(loaded.accessLog == Config.defaults.accessLog)
    }

    /// The defaults are the documented ones (DESIGN §2 and issue 2's limits).
    @Test func defaultsAreSafeAndNonZero() {
        let server = Config.defaults.server
        #expect(server.host == "127.0.0.1" && server.port == 8000)
        #expect(server.workers >= 1)
        #expect(server.limits.maxRequestTarget == 8192 && server.limits.maxHeaderLine == 8192)
        #expect(server.limits.maxHeadSize == 32768 && server.limits.maxHeaderCount == 100 && server.limits.maxBodySize == 1_048_576)
        #expect(server.headTimeoutMilliseconds == 10_000 && server.bodyIdleTimeoutMilliseconds == 10_000)
        #expect(server.keepAliveTimeoutMilliseconds == 5_000 && server.shutdownGraceMilliseconds == 10_000)
        #expect(server.maxConnections > 0)
    }

    /// Every key has an `API_SECTION_KEY` variable that overrides it.
    @Test func environmentNamesFollowTheKeyPath() {
        let names = ConfigSchema.keys.map(\.environmentName)
        #expect(names.contains("API_SERVER_PORT"))
        #expect(names.contains("API_SERVER_LIMITS_MAX_BODY_BYTES"))
        #expect(names.contains("API_LOG_ACCESS"))
        #expect(Set(names).count == names.count)
    }

    struct Layers: Sendable, CustomTestStringConvertible {
        let name: String
        let file: String?
        let environment: [String: String]
        let flag: String?
        let port: Int
        var testDescription: String { name }
    }

    /// Precedence: defaults < file < environment < flags.
    @Test(arguments: [
        Layers(name: "defaults", file: nil, environment: [:], flag: nil, port: 8000),
        Layers(name: "file over defaults", file: #"{"server":{"port":7000}}"#, environment: [:], flag: nil, port: 7000),
        Layers(name: "environment over defaults", file: nil, environment: ["API_SERVER_PORT": "9000"], flag: nil, port: 9000),
        Layers(name: "environment over file", file: #"{"server":{"port":7000}}"#, environment: ["API_SERVER_PORT": "9000"], flag: nil, port: 9000),
        Layers(name: "flag over environment and file", file: #"{"server":{"port":7000}}"#, environment: ["API_SERVER_PORT": "9000"], flag: "9100", port: 9100),
        Layers(name: "flag over defaults", file: nil, environment: [:], flag: "0", port: 0),
        Layers(name: "unrelated variables are ignored", file: nil, environment: ["PATH": "/bin", "APIX": "1", "API_OTHER_THING": "x"], flag: nil, port: 8000),
    ])
    func laterLayersOverrideEarlierOnes(_ layers: Layers) throws {
        let file = try Self.file(layers.file ?? "{}")
        let flags = layers.flag.map { [(path: "server.port", flag: "--port", value: $0)] } ?? []
        let config = try ConfigLoader.load(file: file, environment: layers.environment, flags: flags)
        #expect(config.server.port == layers.port)
    }

    /// Environment values are read as the key's type: numbers, durations in seconds, choices.
    @Test func environmentValuesAreTyped() throws {
        let config = try ConfigLoader.load(file: Self.file("{}"), environment: [
            "API_SERVER_HOST": "0.0.0.0", "API_SERVER_WORKERS": "3", "API_SERVER_TIMEOUTS_HEAD_S": "1.5",
            "API_SERVER_LIMITS_MAX_BODY_BYTES": "2048", "API_LOG_LEVEL": "warning", "API_LOG_ACCESS": "sample:10",
        ], flags: [])
        #expect(config.server.host == "0.0.0.0")
        #expect(config.server.workers == 3)
        #expect(config.server.headTimeoutMilliseconds == 1_500)
        #expect(config.server.limits.maxBodySize == 2048)
        #expect(config.logLevel == .warning)
        #expect(config.accessLog == .sample(10))
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let name: String
        let file: String
        let environment: [String: String]
        let flag: (String, String)?
        let source: String
        let problem: String
        var testDescription: String { name }
        init(_ name: String, file: String = "{}", environment: [String: String] = [:], flag: (String, String)? = nil,
             source: String, problem: String) {
            self.name = name; self.file = file; self.environment = environment; self.flag = flag
            self.source = source; self.problem = problem
        }
    }

    /// Every mistake names its key path (or variable, or flag) and says what was expected.
    @Test(arguments: [
        Bad("unknown key", file: #"{"server":{"prot":8000}}"#, source: "server.prot", problem: "unknown key"),
        Bad("unknown section", file: #"{"cache":{}}"#, source: "cache", problem: "unknown key"),
        Bad("unknown nested key", file: #"{"server":{"limits":{"max_bodies":1}}}"#, source: "server.limits.max_bodies", problem: "unknown key"),
        Bad("wrong type", file: #"{"server":{"port":"http"}}"#, source: "server.port", problem: #"expected an integer in 0...65535, got "http""#),
        Bad("out of range", file: #"{"server":{"port":70000}}"#, source: "server.port", problem: "expected an integer in 0...65535, got 70000"),
        Bad("fraction for an integer", file: #"{"server":{"workers":1.5}}"#, source: "server.workers", problem: "expected an integer in 0...1024, got 1.5"),
        Bad("section not an object", file: #"{"server":8000}"#, source: "server", problem: "expected an object, got 8000"),
        Bad("bad choice", file: #"{"log":{"level":"loud"}}"#, source: "log.level",
            problem: #"expected one of "debug", "info", "warning", "error", got "loud""#),
        Bad("timeout of zero", file: #"{"server":{"timeouts":{"head_s":0}}}"#, source: "server.timeouts.head_s",
            problem: "expected a number in 0.1...3600, got 0"),
        Bad("bad environment value", environment: ["API_SERVER_PORT": "http"], source: "API_SERVER_PORT",
            problem: #"expected an integer in 0...65535, got "http""#),
        Bad("unknown environment variable of a known section", environment: ["API_SERVER_PROT": "1"], source: "API_SERVER_PROT",
            problem: "unknown setting (see docs/configuration.md for the variables api reads)"),
        Bad("bad flag value", flag: ("--port", "eighty"), source: "--port", problem: #"expected an integer in 0...65535, got "eighty""#),
    ])
    func mistakeNamesItsKeyPath(_ bad: Bad) throws {
        let file = try Self.file(bad.file)
        let flags = bad.flag.map { [(path: "server.port", flag: $0.0, value: $0.1)] } ?? []
        #expect(throws: ConfigError(bad.source, bad.problem)) {
            try ConfigLoader.load(file: file, environment: bad.environment, flags: flags)
        }
    }

    /// A file that is not JSON, or not an object, or duplicates a key, names the file.
    @Test(arguments: [#"{"server": "#, "[1, 2]", #"{"log":{"level":"info","level":"debug"}}"#])
    func malformedFileNamesTheFile(_ json: String) throws {
        let file = try Self.file(json)
        do {
            _ = try ConfigLoader.load(file: file, environment: [:], flags: [])
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.source == file)
        }
    }

    /// A missing file named by --config is an error naming it, not a silent fallback to defaults.
    @Test func missingFileIsAnError() {
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(file: "/nonexistent/api.json", environment: [:], flags: [])
        }
    }
}
