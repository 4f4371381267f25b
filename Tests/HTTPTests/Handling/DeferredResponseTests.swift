import Glibc
import HTTP
import Synchronization
import TestKit
import Testing

/// Deferred responses (`Response.later`) over real sockets: produced off the loop, written on it, in order.
@Suite struct DeferredResponseTests {
    /// A router whose routes answer later: on the worker pool after `ms` milliseconds, on another thread, or never.
    private static var router: Router {
        var router = Router()
        router.add(.get, "/pool/{ms}") { _, context in
            let milliseconds = UInt32(context.pathParameter("ms") ?? "0") ?? 0
            return .later(.onWorkerPool) { complete in
                usleep(milliseconds * 1000)
                complete(.detail(.ok, "pool \(milliseconds)"))
            }
        }
        router.add(.get, "/thread") { _, _ in
            .later { complete in
                // Hands itself to another thread, as the database writer does, and answers from there.
                Thread.detach { complete(.detail(.created, "thread")) }
            }
        }
        router.add(.get, "/dropped") { _, _ in .later { _ in } }
        router.add(.get, "/now") { _, _ in .detail(.ok, "now") }
        return router
    }

    @Test func aDeferredResponseIsWrittenWhenItArrives() throws {
        let server = try LiveServer(router: Self.router)
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /pool/20 HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == #"{"detail":"pool 20"}"#)
        try client.send("GET /thread HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try client.readResponse().status == 201, "completed from a thread the server does not own")
    }

    /// A slow deferred request holds back the requests pipelined after it: answers keep their order.
    @Test func pipelinedRequestsAfterADeferredOneWaitTheirTurn() throws {
        let server = try LiveServer(router: Self.router)
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /pool/80 HTTP/1.1\r\nHost: a\r\n\r\nGET /now HTTP/1.1\r\nHost: a\r\n\r\nGET /pool/1 HTTP/1.1\r\nHost: a\r\n\r\n")
        let bodies = try (0..<3).map { _ in try client.readResponse().text }
        #expect(bodies == [#"{"detail":"pool 80"}"#, #"{"detail":"now"}"#, #"{"detail":"pool 1"}"#])
    }

    /// Work that drops its completion gets a 500 instead of leaving the client waiting, and the
    /// connection goes on.
    @Test func aDroppedCompletionAnswers500() throws {
        let server = try LiveServer(router: Self.router)
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /dropped HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 500)
        #expect(response.text == #"{"detail":"Internal Server Error"}"#)
        try client.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }

    /// Past the worker queue's capacity, deferred work is refused with 503 and `Retry-After`, and other
    /// routes still answer at once.
    @Test func aFullWorkerPoolAnswers503WithRetryAfter() throws {
        let server = try LiveServer(router: Self.router) { configuration in
            configuration.workerThreads = 1
            configuration.workerQueueCapacity = 1
        }
        defer { server.stop() }
        let clients = try (0..<4).map { _ in try server.connect() }
        try clients[0].send("GET /pool/300 HTTP/1.1\r\nHost: a\r\n\r\n")
        usleep(50_000)                     // the one worker thread has taken the first job; the queue is empty
        for client in clients.dropFirst() { try client.send("GET /pool/300 HTTP/1.1\r\nHost: a\r\n\r\n") }
        let probe = try server.connect()
        try probe.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try probe.readResponse(timeout: 0.2).status == 200, "the loops are not blocked by the pool")
        let responses = try clients.map { try $0.readResponse() }
        #expect(responses.filter { $0.status == 200 }.count == 2, "one running, one queued")
        let refused = responses.filter { $0.status == 503 }
        #expect(refused.count == 2)
        #expect(refused.allSatisfy { $0.header("retry-after") == "1" })
    }

    /// A client that half-closes after its request (a FIN, as `nc -N` sends) still gets the deferred answer,
    /// and pipelined requests before the FIN are answered too; then the server closes.
    @Test func aHalfClosedClientStillGetsItsDeferredResponses() throws {
        let server = try LiveServer(router: Self.router)
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /pool/50 HTTP/1.1\r\nHost: a\r\n\r\nGET /pool/10 HTTP/1.1\r\nHost: a\r\n\r\n")
        client.finishSending()
        #expect(try client.readResponse().text == #"{"detail":"pool 50"}"#)
        #expect(try client.readResponse().text == #"{"detail":"pool 10"}"#)
        #expect(client.waitForClose(timeout: 3))
    }

    /// Adds `x-finished` to every final response, and counts the finishes.
    private final class Stamp: Middleware {
        let finishes = Atomic<Int>(0)

        func handle(_ request: Request, _ context: inout RequestContext,
                    next: (Request, inout RequestContext) throws -> Response) throws -> Response {
            try next(request, &context)
        }

        func finish(_ response: inout Response, to request: Request, context: RequestContext) {
            finishes.add(1, ordering: .relaxed)
            response.headers.append(HeaderPair("x-finished", "\(request.path) \(response.status.code)"))
        }
    }

    /// One response path (issue 15, item 2): a middleware's `finish` sees and changes the final response once,
    /// whether it came at once, later from the worker pool or another thread, or as a failure the router answered.
    @Test func aMiddlewareFinishesDeferredResponsesAsImmediateOnes() throws {
        struct Teapot: Error {}
        let stamp = Stamp()
        var router = Self.router
        router.use(stamp)
        router.mapErrors { $0 is Teapot ? HTTPError(.conflict, detail: "mapped") : nil }
        router.add(.get, "/mapped") { _, _ in .later { complete in Thread.detach { complete.fail(Teapot()) } } }
        let server = try LiveServer(router: router)
        defer { server.stop() }
        let client = try server.connect()
        for (path, status) in [("/now", 200), ("/pool/5", 200), ("/thread", 201), ("/mapped", 409), ("/dropped", 500), ("/nowhere", 404)] {
            try client.send("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == status && response.header("x-finished") == "\(path) \(status)", "\(path): \(response)")
        }
        #expect(stamp.finishes.load(ordering: .relaxed) == 6, "once per response")
    }

    /// A client that leaves while its response is being produced costs nothing: the server keeps serving.
    @Test func aClientThatLeavesEarlyDoesNotDisturbTheServer() throws {
        let server = try LiveServer(router: Self.router)
        defer { server.stop() }
        let leaving = try server.connect()
        try leaving.send("GET /pool/100 HTTP/1.1\r\nHost: a\r\n\r\n")
        leaving.close()
        usleep(200_000)
        let client = try server.connect()
        try client.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }
}

/// `Deferral`: a handler that needs something first is answered later, run again from its start once that is
/// prepared (again and again if it defers again), and a preparation that fails answers as the handler's error would.
@Suite struct DeferralTests {
    /// Runs of each path's handler so far.
    private static let runs = Mutex<[String: Int]>([:])

    private static var router: Router {
        var router = Router()
        router.add(.get, "/deferred/{times}") { request, context in
            let times = Int(context.pathParameter("times") ?? "0") ?? 0
            let run = runs.withLock { runs in
                runs[request.path, default: 0] += 1
                return runs[request.path]!
            }
            guard run > times else { throw Deferral { done in Thread.detach { done(.success(())) } } }
            return .detail(.ok, "run \(run)")
        }
        router.add(.get, "/unprepared") { _, _ in
            throw Deferral { done in Thread.detach { done(.failure(HTTPError(.serviceUnavailable, detail: "not here"))) } }
        }
        return router
    }

    @Test func aDeferredHandlerRunsAgainOncePrepared() throws {
        let server = try LiveServer(router: Self.router)
        defer { server.stop() }
        let client = try server.connect()
        for (times, expected) in [(0, "run 1"), (1, "run 2"), (3, "run 4")] {
            try client.send("GET /deferred/\(times) HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200 && response.text == #"{"detail":"\#(expected)"}"#, "\(response)")
        }
        try client.send("GET /unprepared HTTP/1.1\r\nHost: a\r\n\r\n")
        let refused = try client.readResponse()
        #expect(refused.status == 503 && refused.text == #"{"detail":"not here"}"#, "\(refused)")
        try client.send("GET /deferred/0 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try client.readResponse().status == 200, "the connection goes on")
    }

    /// A middleware that defers (as the shared rate limits do) is not run again: once prepared, the chain goes on past
    /// it to the handler; a failed preparation answers for it, and the handler never runs.
    @Test func aDeferringMiddlewareIsPassedOnceItIsPrepared() throws {
        var router = Router()
        let gate = Gate()
        router.use(gate)
        router.add(.get, "/gated/{outcome}") { request, _ in
            Self.runs.withLock { $0[request.path, default: 0] += 1 }
            return .detail(.ok, "through")
        }
        let server = try LiveServer(router: router)
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /gated/admit HTTP/1.1\r\nHost: a\r\n\r\n")
        let admitted = try client.readResponse()
        #expect(admitted.status == 200 && admitted.text == #"{"detail":"through"}"#, "\(admitted)")
        try client.send("GET /gated/refuse HTTP/1.1\r\nHost: a\r\n\r\n")
        let refused = try client.readResponse()
        #expect(refused.status == 429 && refused.text == #"{"detail":"refused"}"#, "\(refused)")
        #expect(gate.runs.withLock { $0 } == 2, "the gate decided each request once")
        #expect(Self.runs.withLock { [$0["/gated/admit"], $0["/gated/refuse"]] } == [1, nil])
    }

    /// Defers every request, then lets `/gated/admit` through and answers the rest 429.
    private final class Gate: Middleware {
        let runs = Mutex(0)

        func handle(_ request: Request, _ context: inout RequestContext,
                    next: (Request, inout RequestContext) throws -> Response) throws -> Response {
            runs.withLock { $0 += 1 }
            let admits = request.path == "/gated/admit"
            throw Deferral { done in
                Thread.detach { done(admits ? .success(()) : .failure(HTTPError(.tooManyRequests, detail: "refused"))) }
            }
        }
    }
}

/// A detached pthread for one closure (Foundation's Thread is not used by the server's modules).
private enum Thread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    static func detach(_ body: @escaping @Sendable () -> Void) {
        var handle = pthread_t()
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        pthread_create(&handle, nil, { argument in
            Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue().run()   // passed non-nil
            return nil
        }, box)
        pthread_detach(handle)
    }
}
