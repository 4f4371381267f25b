import App
import Bench
import Glibc

/// `api bench URL`: a load generator in the class of wrk (closed loop) and wrk2 (`--rate`), on our own event loops.
enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "Load-test an HTTP server, like wrk (and wrk2 with --rate)"
    static let usage = "URL [-c CONNECTIONS] [-t THREADS] [-d DURATION | -n REQUESTS] [--rate RPS] [-m METHOD] "
        + "[-H 'Name: value']... [--body FILE] [--timeout T] [--json]"
    static let details = """
        Keep-alive HTTP/1.1 connections (http:// only), spread over the threads; each connection sends its next
        request when the previous one is answered. With --rate, requests follow a constant schedule over all
        connections and latency counts from each request's intended send time, so a server stall is not hidden.
        Durations: 10s, 500ms, 2m, or a number of seconds. A live progress line goes to stderr on a terminal.
        --json prints one JSON object on stdout (fields in docs/bench.md). Ctrl-C ends the run early with a report.
        """
    static let options = [
        Option("-c", "--connections", value: "N", help: "Connections to keep open (default 10)"),
        Option("-t", "--threads", value: "N", help: "Threads, one event loop each (default 2)"),
        Option("-d", "--duration", value: "DURATION", help: "How long to run (default 10s)"),
        Option("-n", "--requests", value: "N", help: "Stop after N requests instead of a duration"),
        Option("--rate", value: "RPS", help: "Constant rate over all connections, latency from intended send times"),
        Option("-m", "--method", value: "METHOD", help: "Request method (default GET)"),
        Option("-H", "--header", value: "'Name: value'", repeatable: true, help: "Add a request header (repeatable)"),
        Option("--body", value: "FILE", help: "Send FILE's bytes as the request body"),
        Option("--timeout", value: "T", help: "Count a request as timed out after T (default 2s)"),
        Option("--json", help: "Print the result as one JSON object on stdout"),
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        let configuration = try makeConfiguration(arguments)
        let showProgress = isatty(STDERR_FILENO) == 1
        let result: BenchResult
        do {
            result = try LoadGenerator.run(configuration, onProgress: showProgress ? { writeStderr("\r\u{1B}[K" + $0.line) } : nil)
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
        guard arguments.positionals.count == 1 else {
            throw UsageError(arguments.positionals.isEmpty ? "missing URL (http://HOST[:PORT]/PATH)" : "expected one URL, got \(arguments.positionals.count) arguments")
        }
        var configuration: BenchConfiguration
        do { configuration = BenchConfiguration(url: try BenchURL(parsing: arguments.positionals[0])) } catch { throw UsageError(error.description) }
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
        if let path = arguments.value("--body") {
            do { configuration.body = try FileSystem.read(path) } catch { throw UsageError("--body: \(error)") }
        }
        do { try configuration.validate() } catch { throw UsageError(error.description) }
        return configuration
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
