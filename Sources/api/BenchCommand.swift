import App
import Bench
import Glibc

/// `api bench URL`: a load generator in the class of wrk (closed loop) and wrk2 (`--rate`), on our own event loops.
enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "Load-test an HTTP server, like wrk (and wrk2 with --rate)"
    static let usage = "URL [-c CONNECTIONS] [-t THREADS] [-d DURATION | -n REQUESTS] [--rate RPS] [-m METHOD] "
        + "[-H 'Name: value']... [--body FILE] [--timeout T] [--json]\n"
        + "       api bench URL --realtime [--subscribers N] [--kind sse|websocket|mixed] [--resource NAME] [--rate WRITES] "
        + "[-d DURATION] [-t THREADS] [-c CONNECTIONS] [-H 'Name: value']... [--body FILE] [--broadcast PATH] [--json]"
    static let details = """
        Keep-alive HTTP/1.1 connections (http:// only), spread over the threads; each connection sends its next
        request when the previous one is answered. With --rate, requests follow a constant schedule over all
        connections and latency counts from each request's intended send time, so a server stall is not hidden.
        Durations: 10s, 500ms, 2m, or a number of seconds. A live progress line goes to stderr on a terminal.
        --json prints one JSON object on stdout (fields in docs/bench.md). Ctrl-C ends the run early with a report.

        --realtime: URL is the server's base. Opens the subscribers (GET /R/events, or the WebSocket GET /realtime),
        then POSTs to /R/ at --rate writes/s (default 200) for the duration over -c connections (default 8), and reports
        the events delivered and lost and the delivery latency, from each write's 201 to its event. {n} and {run} in
        the --body file become the write's number and the run's id (default body {"name":"bench-{run}-{n}"}).
        --broadcast PATH: subscribers open a plain WebSocket to PATH and send nothing (the FastAPI peer's broadcast).
        """
    static let options = [
        Option("-c", "--connections", value: "N", help: "Connections to keep open (default 10; --realtime: write connections, 8)"),
        Option("-t", "--threads", value: "N", help: "Threads, one event loop each (default 2)"),
        Option("-d", "--duration", value: "DURATION", help: "How long to run (default 10s)"),
        Option("-n", "--requests", value: "N", help: "Stop after N requests instead of a duration"),
        Option("--rate", value: "RPS", help: "Constant rate over all connections, latency from intended send times"),
        Option("-m", "--method", value: "METHOD", help: "Request method (default GET)"),
        Option("-H", "--header", value: "'Name: value'", repeatable: true, help: "Add a request header (repeatable)"),
        Option("--body", value: "FILE", help: "Send FILE's bytes as the request body"),
        Option("--timeout", value: "T", help: "Count a request as timed out after T (default 2s; --realtime 5s)"),
        Option("--json", help: "Print the result as one JSON object on stdout"),
        Option("--realtime", help: "Measure event delivery to subscribers while writing (docs/bench.md)"),
        Option("--subscribers", value: "N", help: "--realtime: subscribers to open (default 1000)"),
        Option("--kind", value: "KIND", help: "--realtime: sse, websocket or mixed, half each (default mixed)"),
        Option("--resource", value: "NAME", help: "--realtime: the resource written and subscribed to (default projects)"),
        Option("--broadcast", value: "PATH", help: "--realtime: subscribe with a plain WebSocket to PATH (FastAPI peer)"),
    ]

    /// Options that only `--realtime` takes, and options it does not.
    private static let realtimeOnly = ["--subscribers", "--kind", "--resource", "--broadcast"]
    private static let notRealtime = ["-n", "-m"]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        if arguments.has("--realtime") {
            if let stray = notRealtime.first(where: { arguments.has($0) }) { throw UsageError("option '\(stray)' does not apply to --realtime") }
            let configuration = try makeRealtimeConfiguration(arguments)
            return try report(arguments) { progress throws(BenchError) in
                let result = try RealtimeBench.run(configuration, onProgress: progress.map { draw in { draw($0.line) } })
                return (result.text, result.json)
            }
        }
        if let stray = realtimeOnly.first(where: { arguments.has($0) }) { throw UsageError("option '\(stray)' needs --realtime") }
        let configuration = try makeConfiguration(arguments)
        return try report(arguments) { progress throws(BenchError) in
            let result = try LoadGenerator.run(configuration, onProgress: progress.map { draw in { draw($0.line) } })
            return (result.text, result.json)
        }
    }

    /// Runs `bench` with a progress line drawer when stderr is a terminal, and prints its report, text or `--json`.
    private static func report(
        _ arguments: ParsedArguments, _ bench: (((String) -> Void)?) throws(BenchError) -> (text: String, json: [UInt8])
    ) throws(UsageError) -> Int32 {
        let showProgress = isatty(STDERR_FILENO) == 1
        let result: (text: String, json: [UInt8])
        do {
            result = try bench(showProgress ? { writeStderr("\r\u{1B}[K" + $0) } : nil)
        } catch {
            if showProgress { writeStderr("\r\u{1B}[K") }
            switch error {
            case .usage(let message): throw UsageError(message)
            case .unreachable(let message):
                Console.error("bench: \(message)")
                return 1
            }
        }
        if showProgress { writeStderr("\r\u{1B}[K") }
        if arguments.has("--json") {
            Console.print(String(decoding: result.json, as: UTF8.self) + "\n")
        } else {
            Console.print(result.text)
        }
        return 0
    }

    private static func makeConfiguration(_ arguments: ParsedArguments) throws(UsageError) -> BenchConfiguration {
        var configuration = BenchConfiguration(url: try url(arguments))
        if let text = arguments.value("-c") { configuration.connections = try integer(text, option: "-c") }
        if let text = arguments.value("-t") { configuration.threads = try integer(text, option: "-t") }
        if arguments.value("-d") != nil && arguments.value("-n") != nil { throw UsageError("give either -d or -n, not both") }
        if let text = arguments.value("-d") { configuration.length = .duration(nanoseconds: try duration(text, option: "-d")) }
        if let text = arguments.value("-n") { configuration.length = .requests(try integer(text, option: "-n")) }
        if let text = arguments.value("--timeout") { configuration.timeoutNanoseconds = try duration(text, option: "--timeout") }
        if let text = arguments.value("--rate") {
            guard let rate = Double(text), rate > 0, rate.isFinite else { throw UsageError("--rate '\(text)' is not a positive number of requests per second") }
            configuration.rate = rate
        }
        if let method = arguments.value("-m") { configuration.method = method }
        configuration.headers = arguments.all("-H")
        if let path = arguments.value("--body") { configuration.body = try body(path) }
        do { try configuration.validate() } catch { throw UsageError(error.description) }
        return configuration
    }

    private static func makeRealtimeConfiguration(_ arguments: ParsedArguments) throws(UsageError) -> RealtimeConfiguration {
        var configuration = RealtimeConfiguration(url: try url(arguments))
        if let text = arguments.value("--subscribers") { configuration.subscribers = try integer(text, option: "--subscribers") }
        if let text = arguments.value("-t") { configuration.threads = try integer(text, option: "-t") }
        if let text = arguments.value("-c") { configuration.writeConnections = try integer(text, option: "-c") }
        if let text = arguments.value("-d") { configuration.durationNanoseconds = try duration(text, option: "-d") }
        if let text = arguments.value("--timeout") { configuration.timeoutNanoseconds = try duration(text, option: "--timeout") }
        if let text = arguments.value("--rate") {
            guard let rate = Double(text), rate >= 0, rate.isFinite else { throw UsageError("--rate '\(text)' is not a number of writes per second (0 or more)") }
            configuration.rate = rate
        }
        if let text = arguments.value("--resource") { configuration.resource = text }
        configuration.broadcastPath = arguments.value("--broadcast")
        if let text = arguments.value("--kind") {
            guard let kind = RealtimeConfiguration.Kind(rawValue: text) else { throw UsageError("--kind '\(text)' must be sse, websocket or mixed") }
            configuration.kind = kind
        } else if configuration.broadcastPath != nil {
            configuration.kind = .websocket
        }
        configuration.headers = arguments.all("-H")
        if let path = arguments.value("--body") { configuration.body = try body(path) }
        do { try configuration.validate() } catch { throw UsageError(error.description) }
        return configuration
    }

    private static func url(_ arguments: ParsedArguments) throws(UsageError) -> BenchURL {
        guard arguments.positionals.count == 1 else {
            throw UsageError(arguments.positionals.isEmpty ? "missing URL (http://HOST[:PORT]/PATH)" : "expected one URL, got \(arguments.positionals.count) arguments")
        }
        do { return try BenchURL(parsing: arguments.positionals[0]) } catch { throw UsageError(error.description) }
    }

    private static func body(_ path: String) throws(UsageError) -> [UInt8] {
        do { return try FileSystem.read(path) } catch { throw UsageError("--body: \(error)") }
    }

    private static func integer(_ text: String, option: String) throws(UsageError) -> Int {
        guard let value = Int(text), value >= 1 else { throw UsageError("\(option) '\(text)' must be a whole number of at least 1") }
        return value
    }

    private static func duration(_ text: String, option: String) throws(UsageError) -> UInt64 {
        guard let nanoseconds = DurationText.nanoseconds(text) else {
            throw UsageError("\(option) '\(text)' is not a duration; write it like 10s, 500ms, 2m or 1h")
        }
        return nanoseconds
    }

    /// Progress goes to stderr as is: no `api:` prefix and no newline, so each sample overwrites the last.
    private static func writeStderr(_ text: String) {
        Array(text.utf8).withUnsafeBytes { FileSystem.writeAll($0, to: STDERR_FILENO) }
    }
}
