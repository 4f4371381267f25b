import App
import Glibc

/// `api serve`: loads the configuration and serves until SIGTERM or SIGINT.
enum ServeCommand: Command {
    static let name = "serve"
    static let summary = "Serve the HTTP API"
    static let usage = "[--config FILE] [--host H] [--port P] [--workers N]"
    static let details = """
        Configuration: defaults < the JSON file (--config, else ./api.json if present) < API_<SECTION>_<KEY>
        environment variables (API_SERVER_PORT=9000) < these flags. See docs/configuration.md.
        SIGTERM or SIGINT stops accepting, lets in-flight requests finish (server.shutdown_grace_s), then exits 0.
        """
    static let options = [
        ConfigOption.option,
        Option("--host", value: "H", help: "Address to listen on (server.host)"),
        Option("--port", value: "P", help: "Port to listen on, 0 for any free one (server.port)"),
        Option("--workers", value: "N", help: "Event loops, 0 for one per core (server.workers)"),
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard arguments.positionals.isEmpty else { throw UsageError("unexpected argument '\(arguments.positionals[0])'") }
        let flags = [("--host", "server.host"), ("--port", "server.port"), ("--workers", "server.workers")]
            .compactMap { flag, path in arguments.value(flag).map { (path: path, flag: flag, value: $0) } }
        guard let config = ConfigOption.load(arguments, flags: flags) else { return 2 }
        return Application.serve(config)
    }
}
