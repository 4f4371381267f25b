import App
import Bench

/// `api healthcheck [--url URL] [--timeout 2s]`: exit 0 when `/readyz` answers 200 in time, 1 otherwise with one line
/// on stderr (DESIGN §13); what a container's `HEALTHCHECK` runs.
enum HealthcheckCommand: Command {
    static let name = "healthcheck"
    static let summary = "Check that a running server is ready (exit 0 when /readyz answers 200)"
    static let usage = "[--url URL] [--timeout 2s] [--config FILE]"
    static let details = """
        Without --url, asks the server the configuration describes: http://HOST:PORT/readyz, with 127.0.0.1 for \
        an address that listens on every interface (0.0.0.0, ::).
        """
    static let options = [
        Option("--url", value: "URL", help: "What to ask, e.g. http://127.0.0.1:8000/readyz"),
        Option("--timeout", value: "DURATION", help: "How long the whole check may take (default 2s)"),
        ConfigOption.option,
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard arguments.positionals.isEmpty else { throw UsageError("takes no arguments") }
        let timeoutText = arguments.value("--timeout") ?? "2s"
        guard let timeout = DurationText.nanoseconds(timeoutText), timeout > 0 else { throw UsageError("--timeout '\(timeoutText)' is not a duration") }
        let url: BenchURL
        do {
            if let text = arguments.value("--url") {
                url = try BenchURL(parsing: text)
            } else {
                guard let config = ConfigOption.load(arguments) else { return 2 }
                url = try BenchURL(parsing: readinessURL(config))
            }
        } catch {
            throw UsageError(error.description)
        }
        switch HealthProbe.status(of: url, timeoutNanoseconds: timeout) {
        case .success(200):
            return 0
        case .success(let status):
            Console.error("healthcheck: \(url) answered \(status)")
            return 1
        case .failure(let error):
            Console.error("healthcheck: \(error.description)")
            return 1
        }
    }

    /// `/readyz` of the configured listener; an address on every interface is asked on loopback.
    private static func readinessURL(_ config: Config) -> String {
        let host = config.server.host
        let reachable = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host.contains(":") ? "[\(host)]" : host
        return "http://\(reachable):\(config.server.port)/readyz"
    }
}
