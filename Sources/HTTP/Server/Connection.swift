import CLinux
import Net

/// One client connection: reads requests (pipelined ones in order), answers them, and enforces limits and timeouts.
///
/// Loop thread only. While output is pending the connection stops reading, which is its backpressure:
/// so whenever it is watching for input, its output buffer is empty. While a `DeferredResponse` is being
/// produced, what the client pipelines is kept, unparsed, for after it (up to a bound), so requests keep their turn.
final class Connection: IOHandler {
    private enum Phase {
        case idle, head, body, chunkedBody, awaiting, upgraded, lingering
    }

    private struct PendingRequest {
        var head: RequestHead
        var headBytes: [UInt8]
        var body: [UInt8] = []
    }

    /// A request whose response is deferred, with what answering it needs once the response arrives.
    private struct AwaitedRequest {
        var request: PendingRequest
        var context: RequestContext
        var routed: Request?
    }

    let fd: Int32
    private unowned let state: LoopState
    private let client: String
    /// Position in the loop's connection list.
    var registryIndex = 0
    /// Monotonic milliseconds after which `timedOut()` is due.
    private(set) var deadline: UInt64

    private var phase = Phase.idle
    private var scannedUpTo = 0
    private var inbox: [UInt8] = []
    private var outbox: [UInt8] = []
    private var outboxSent = 0
    private var pending: PendingRequest?
    private var awaited: AwaitedRequest?
    private var bodyRemaining = 0
    private var chunkedDecoder: ChunkedDecoder?
    private var session: (any UpgradedSession)?
    private var requestStart: UInt64 = 0
    private var requestBytesIn = 0
    private var closeAfterFlush = false
    /// The client has shut down its side; set only while a deferred response was still owed.
    private var inputEnded = false
    private var watchedEvents = EPOLLIN.rawValue
    private var isClosed = false

    private static let lingerMilliseconds: UInt64 = 2_000
    /// Input held for after an awaited response before reading stops (backpressure on a pipelining client).
    private static let maximumInboxWhileAwaiting = 65_536
    private static let upgradedIdleMilliseconds: UInt64 = 60_000

    init(fd: Int32, state: LoopState, client: String) {
        self.fd = fd
        self.state = state
        self.client = client
        deadline = MonotonicClock.milliseconds() + state.shared.configuration.keepAliveTimeoutMilliseconds
    }

    /// Between requests with nothing left to send: safe to close when draining.
    var isIdle: Bool { (phase == .idle || phase == .upgraded) && outboxSent == outbox.count }

    private var isWatchingWritable: Bool { watchedEvents == EPOLLOUT.rawValue }

    func handleEvents(_ events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 {
            flush()
            if isClosed || isWatchingWritable { return }
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readAvailable() }
    }

    // MARK: - Reading

    private func readAvailable() {
        let buffer = state.readBuffer
        let count: Int
        do {
            guard case .processed(let read) = try Socket.read(fd, into: buffer) else { return }
            count = read
        } catch {
            close()
            return
        }
        guard count > 0 else { endOfInput(); return }
        if phase == .lingering { return }
        let input = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        if inbox.isEmpty {
            let used = process(input)
            if used < count && !closeAfterFlush { inbox.append(contentsOf: input[used...]) }
        } else {
            inbox.append(contentsOf: input)
            processInbox()
        }
        flush()
    }

    /// Handles the requests waiting in `inbox` and keeps what is left of it.
    private func processInbox() {
        let used = inbox.withUnsafeBytes { process($0) }
        if closeAfterFlush || used == inbox.count { inbox = [] } else { inbox.removeSubrange(0..<used) }
    }

    /// EOF from the client. Nothing is owed, so close, unless a deferred response is still being produced: a
    /// client that half-closes after sending its request still reads the answer, so close once it is sent.
    private func endOfInput() {
        guard phase == .awaiting else { close(); return }
        inputEnded = true
        updateInterest()
    }

    /// Handles as many requests as `bytes` holds; returns how many bytes were used (the rest waits for more).
    private func process(_ bytes: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while offset < bytes.count && !closeAfterFlush && phase != .awaiting {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            do {
                switch phase {
                case .idle, .head:
                    guard let used = try readHead(rest) else { return offset }
                    offset += used
                case .body:
                    offset += readBody(rest)
                case .chunkedBody:
                    offset += try readChunks(rest)
                case .upgraded:
                    if session?.receive(rest, output: &outbox) == false { closeAfterFlush = true }
                    deadline = MonotonicClock.milliseconds() + Self.upgradedIdleMilliseconds
                    return bytes.count
                case .awaiting, .lingering:
                    return bytes.count
                }
            } catch {
                fail(error)
                return bytes.count
            }
        }
        return offset
    }

    /// Parses a head at the start of `bytes`; returns the bytes used, or nil if the head is incomplete.
    private func readHead(_ bytes: UnsafeRawBufferPointer) throws(ParseError) -> Int? {
        if phase == .idle {
            phase = .head
            scannedUpTo = 0
            requestStart = MonotonicClock.nanoseconds()
            deadline = requestStart / 1_000_000 + state.shared.configuration.headTimeoutMilliseconds
        }
        switch try RequestParser.parseHead(bytes, scannedUpTo: scannedUpTo, limits: state.shared.configuration.limits) {
        case .incomplete(let scanned):
            scannedUpTo = scanned
            return nil
        case .complete(let head):
            try begin(head, headBytes: UnsafeRawBufferPointer(rebasing: bytes[..<head.length]), hasMore: bytes.count > head.length)
            return head.length
        }
    }

    private func begin(_ head: RequestHead, headBytes: UnsafeRawBufferPointer, hasMore: Bool) throws(ParseError) {
        requestBytesIn = head.length
        pending = PendingRequest(head: head, headBytes: Array(headBytes))
        if head.hasUnknownExpectation { throw ParseError(.expectationFailed, "Expectation Failed") }
        if head.isChunked {
            phase = .chunkedBody
            chunkedDecoder = ChunkedDecoder(limits: state.shared.configuration.limits)
        } else if let length = head.contentLength, length > 0 {
            phase = .body
            bodyRemaining = length
            pending?.body.reserveCapacity(length)
        } else {
            respondToPending()
            return
        }
        // RFC 9110 §10.1.1: tell an HTTP/1.1 client that waits for it to send the body; HTTP/1.0 never gets a 1xx.
        if head.expectContinue && head.minorVersion == 1 && !hasMore { outbox.appendLiteral("HTTP/1.1 100 Continue\r\n\r\n") }
        deadline = MonotonicClock.milliseconds() + state.shared.configuration.bodyIdleTimeoutMilliseconds
    }

    private func readBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        let take = min(bodyRemaining, bytes.count)
        pending?.body.append(contentsOf: bytes[..<take])
        bodyRemaining -= take
        requestBytesIn += take
        deadline = MonotonicClock.milliseconds() + state.shared.configuration.bodyIdleTimeoutMilliseconds
        if bodyRemaining == 0 { respondToPending() }
        return take
    }

    private func readChunks(_ bytes: UnsafeRawBufferPointer) throws(ParseError) -> Int {
        guard var decoder = chunkedDecoder, var request = pending else { preconditionFailure("chunked phase without a request") }
        pending = nil                      // so the body array is uniquely referenced while it grows
        let used = try decoder.decode(bytes, into: &request.body)
        pending = request
        chunkedDecoder = decoder
        requestBytesIn += used
        deadline = MonotonicClock.milliseconds() + state.shared.configuration.bodyIdleTimeoutMilliseconds
        if decoder.isComplete { respondToPending() }
        return used
    }

    // MARK: - Answering

    private func respondToPending() {
        guard let request = pending else { return }
        pending = nil
        chunkedDecoder = nil
        phase = .idle
        let (response, context, routed) = answer(request)
        if let deferred = response.deferred {
            awaitResponse(deferred, for: AwaitedRequest(request: request, context: context, routed: routed))
        } else {
            send(finished(response, to: routed, context: context), for: request, context: context, routed: routed)
        }
    }

    /// The final response after every middleware's `finish`, the one stage that immediate and deferred responses
    /// both pass (a request refused before routing has no middleware to run).
    private func finished(_ response: Response, to routed: Request?, context: RequestContext) -> Response {
        guard let routed else { return response }
        var response = response
        state.shared.router.finish(&response, to: routed, context: context)
        return response
    }

    /// Queues `response` to `request` and decides what the connection does next (keep alive, close, upgrade).
    private func send(_ response: Response, for request: PendingRequest, context: RequestContext, routed: Request?) {
        var response = response, context = context
        let outboxBefore = outbox.count
        let keepAlive = request.head.wantsKeepAlive && !state.shared.isDraining && response.upgrade == nil
        let option: ResponseWriter.ConnectionOption =
            response.upgrade != nil ? .none : !keepAlive ? .close : request.head.minorVersion == 0 ? .keepAlive : .none
        ResponseWriter.write(response, to: &outbox, requestID: context.requestID, date: state.dateCache.current(),
                             connection: option, includeBody: request.head.method != .head)
        report(method: request.head.method, path: routed?.path ?? "-", status: response.status, context: &context,
               bodies: (request.body.count, response.body.count), bytesOut: outbox.count - outboxBefore,
               traceparent: routed?.header("traceparent"), rejected: routed == nil)     // nil: a path refused before routing
        if let upgrade = response.upgrade {
            session = upgrade.makeSession()
            phase = .upgraded
            deadline = MonotonicClock.milliseconds() + Self.upgradedIdleMilliseconds
            response.upgrade = nil
        } else if keepAlive {
            deadline = MonotonicClock.milliseconds() + state.shared.configuration.keepAliveTimeoutMilliseconds
        } else {
            closeAfterFlush = true
        }
    }

    // MARK: - Deferred responses

    /// Starts `deferred`; until its response arrives through the completion, on this loop, what the client sends
    /// waits in `inbox` unparsed (see `updateInterest`).
    private func awaitResponse(_ deferred: DeferredResponse, for request: AwaitedRequest) {
        phase = .awaiting
        awaited = request
        updateInterest()
        let connection = LoopBound(self, on: state.loop)
        let completion = ResponseCompletion { outcome in
            connection.owner.execute { connection.value.deferredResponseArrived(outcome) }
        }
        switch deferred.start {
        case .onLoop:
            deferred.work(completion)
        case .onWorkerPool:
            guard state.shared.workerPool.submit({ deferred.work(completion) }) else {
                completion(.detail(.serviceUnavailable, "Service Unavailable", headers: [HeaderPair("retry-after", "1")]))
                return
            }
        }
    }

    /// Answers the awaited request, then goes on with whatever the client pipelined meanwhile. A client that
    /// left in the meantime gets nothing, but the request is still reported (metrics count it as finished).
    private func deferredResponseArrived(_ outcome: Result<Response, any Error>) {
        guard var request = awaited else { return }
        awaited = nil
        phase = .idle
        let response: Response
        switch outcome {
        case .success(let answer): response = answer
        case .failure(let error): response = state.shared.router.response(for: error, context: &request.context)
        }
        send(finished(response, to: request.routed, context: request.context), for: request.request, context: request.context,
             routed: request.routed)
        if isClosed { return }
        if !inbox.isEmpty && !closeAfterFlush { processInbox() }
        if inputEnded && phase != .awaiting { closeAfterFlush = true }
        flush()
        updateInterest()
    }

    /// Runs the router, or answers 400 when the target is not a safe path (then there is no `Request`).
    private func answer(_ pending: PendingRequest) -> (Response, RequestContext, Request?) {
        let parsed = pending.headBytes.withUnsafeBytes { bytes in
            Result { () throws(ParseError) in try RequestTarget(UnsafeRawBufferPointer(rebasing: bytes[pending.head.target])) }
        }
        let target: RequestTarget
        switch parsed {
        case .success(let value): target = value
        case .failure(let error):
            let context = RequestContext(requestID: state.requestIDs.id(incoming: nil), clientAddress: client, loopIndex: state.loop.index)
            return (.detail(error.status, error.reason), context, nil)
        }
        let request = Request(head: pending.head, headBytes: pending.headBytes, target: target, body: pending.body)
        let trustedProxies = state.shared.configuration.trustedProxies
        let clientAddress = trustedProxies.isEmpty ? client : ClientAddress.resolve(request, peer: client, trustedProxies: trustedProxies)
        var context = RequestContext(requestID: state.requestIDs.id(incoming: request.header("x-request-id")),
                                     clientAddress: clientAddress, loopIndex: state.loop.index)
        let response = state.shared.router.respond(to: request, context: &context)
        return (response, context, request)
    }

    /// Answers a request the parser refused (or that timed out) and closes the connection after it.
    private func fail(_ error: ParseError) {
        let method = pending?.head.method
        pending = nil
        chunkedDecoder = nil
        phase = .idle
        let outboxBefore = outbox.count
        var context = RequestContext(requestID: state.requestIDs.id(incoming: nil), clientAddress: client, loopIndex: state.loop.index)
        ResponseWriter.write(.detail(error.status, error.reason), to: &outbox, requestID: context.requestID,
                             date: state.dateCache.current(), connection: .close, includeBody: true)
        report(method: method, path: "-", status: error.status, context: &context, bodies: (0, 0),
               bytesOut: outbox.count - outboxBefore, traceparent: nil, rejected: true)
        closeAfterFlush = true
    }

    private func report(
        method: Method?, path: String, status: Status, context: inout RequestContext, bodies: (request: Int, response: Int),
        bytesOut: Int, traceparent: String?, rejected: Bool
    ) {
        let record = RequestRecord(
            parsedMethod: method, path: path, route: context.route, routeNumber: context.routeNumber, status: status.code,
            durationNanoseconds: MonotonicClock.nanoseconds() &- requestStart, bytesIn: requestBytesIn, bytesOut: bytesOut,
            requestBodyBytes: bodies.request, responseBodyBytes: bodies.response, isRejected: rejected,
            requestID: context.requestID, client: context.clientAddress, traceparent: traceparent, failure: context.failure)
        state.shared.observer.requestFinished(record, loop: state.loop.index)
    }

    // MARK: - Writing

    private func flush() {
        while outboxSent < outbox.count {
            let result = outbox.withUnsafeBytes { bytes in try? Socket.write(fd, from: UnsafeRawBufferPointer(rebasing: bytes[outboxSent...])) }
            switch result {
            case .processed(let written): outboxSent += written
            case .wouldBlock:
                updateInterest()
                deadline = MonotonicClock.milliseconds() + state.shared.configuration.bodyIdleTimeoutMilliseconds
                return
            case nil:
                close()
                return
            }
        }
        outbox.removeAll(keepingCapacity: outbox.capacity <= 16_384)
        outboxSent = 0
        if isWatchingWritable && phase == .idle && !closeAfterFlush {
            // The stalled write had set the write deadline; between requests the keep-alive timeout applies again.
            deadline = MonotonicClock.milliseconds() + state.shared.configuration.keepAliveTimeoutMilliseconds
        }
        updateInterest()
        if closeAfterFlush && phase != .lingering { beginLingeringClose() }
    }

    /// Watches for writability while output is pending, and for input otherwise. While a deferred response is
    /// awaited, input is still read (into `inbox`, for after it) unless the client has already sent more than
    /// `maximumInboxWhileAwaiting`: then nothing is watched (epoll still reports hang-ups). Keeping the interest as
    /// it was spares two epoll_ctl calls per deferred request.
    private func updateInterest() {
        guard !isClosed else { return }
        let readsPaused = inputEnded || (phase == .awaiting && inbox.count > Self.maximumInboxWhileAwaiting)
        let wanted = outboxSent < outbox.count ? EPOLLOUT.rawValue : readsPaused ? 0 : EPOLLIN.rawValue
        guard wanted != watchedEvents else { return }
        watchedEvents = wanted
        try? state.loop.modify(fd, events: wanted)
    }

    // MARK: - Closing

    /// Sends FIN but keeps reading (and dropping) for a moment, so the client reads our last response
    /// instead of losing it to the RST that closing with unread input would cause (RFC 9112 §9.6).
    private func beginLingeringClose() {
        Socket.shutdownWrite(fd)
        phase = .lingering
        inbox = []
        deadline = MonotonicClock.milliseconds() + Self.lingerMilliseconds
    }

    /// Called by the loop's sweep once `deadline` has passed.
    func timedOut() {
        switch phase {
        case .head, .body, .chunkedBody:
            fail(ParseError(.requestTimeout, "Request Timeout"))
            flush()
        case .idle, .upgraded, .lingering:
            close()
        case .awaiting:
            break      // the response is on its way; `ResponseCompletion` guarantees one
        }
    }

    /// Releases the descriptor and forgets the connection.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        state.loop.deregister(fd)
        Socket.close(fd)
        state.remove(self)
    }
}
