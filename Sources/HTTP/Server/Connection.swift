import CLinux
import Net

/// One client connection: reads requests (pipelined ones in order), answers them, and enforces limits and timeouts.
///
/// Loop thread only. While output is pending the connection stops reading, which is its backpressure:
/// so whenever it is watching for input, its output buffer is empty. While a `DeferredResponse` is being
/// produced or a body streamed, what the client pipelines is kept, unparsed, for after it (up to a bound), so
/// requests keep their turn. A streamed body and an upgraded protocol take what other threads push through an
/// `Outbound`, whenever the output buffer has drained, so a slow reader fills that queue instead of memory.
final class Connection: IOHandler {
    private enum Phase {
        case idle, head, body, chunkedBody, awaiting, streaming, upgraded, lingering
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

    /// A request whose body is being streamed, with what reporting it needs once the stream ends.
    private struct StreamedRequest {
        var request: PendingRequest
        var context: RequestContext
        var routed: Request
        var status: Status
        var isChunked: Bool
        var keepAlive: Bool
        /// The head and the body so far, as written.
        var bytesOut: Int
    }

    let fd: Int32
    private unowned let state: LoopState
    /// `state.shared`, held strongly: it outlives every connection, and reaching it through the unowned `state`
    /// would cost an atomic retain and release each time.
    private let shared: ServerShared
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
    private var streamed: StreamedRequest?
    /// What other threads push: the streamed body, or the upgraded protocol's frames.
    private var outbound: Outbound?
    private var isDrainingOutbound = false
    private var requestStart: UInt64 = 0
    private var requestBytesIn = 0
    private var closeAfterFlush = false
    /// The client has shut down its side; set only while a deferred response was still owed.
    private var inputEnded = false
    private var watchedEvents = EPOLLIN.rawValue
    private var isClosed = false

    private static let lingerMilliseconds: UInt64 = 2_000
    /// How long a connection between requests may stay open once a shutdown began: enough for a request already sent.
    private static let drainQuietMilliseconds: UInt64 = 1_000
    /// Input held for after an awaited response before reading stops (backpressure on a pipelining client).
    private static let maximumInboxWhileAwaiting = 65_536
    /// The upgraded protocol's silence before a probe, and the probe's wait for an answer (0: no probe).
    private var upgradedTimers: (idle: UInt64, probe: UInt64) = (0, 0)
    /// A probe is waiting for the client's answer.
    private var isProbing = false

    init(fd: Int32, state: LoopState, client: String) {
        self.fd = fd
        self.state = state
        shared = state.shared
        self.client = client
        deadline = shared.time.monotonicMilliseconds() + shared.configuration.keepAliveTimeoutMilliseconds
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

    /// While a response is owed (deferred, or still streaming), requests the client pipelines wait unparsed.
    private var isHoldingInput: Bool { phase == .awaiting || phase == .streaming }

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
        while offset < bytes.count && !closeAfterFlush && !isHoldingInput {
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
                    isProbing = false
                    deadline = shared.time.monotonicMilliseconds() + upgradedTimers.idle
                    return bytes.count
                case .awaiting, .streaming, .lingering:
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
            deadline = shared.time.monotonicMilliseconds() + shared.configuration.headTimeoutMilliseconds
        }
        switch try RequestParser.parseHead(bytes, scannedUpTo: scannedUpTo, limits: shared.configuration.limits) {
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
            chunkedDecoder = ChunkedDecoder(limits: shared.configuration.limits)
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
        deadline = shared.time.monotonicMilliseconds() + shared.configuration.bodyIdleTimeoutMilliseconds
    }

    private func readBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        let take = min(bodyRemaining, bytes.count)
        pending?.body.append(contentsOf: bytes[..<take])
        bodyRemaining -= take
        requestBytesIn += take
        deadline = shared.time.monotonicMilliseconds() + shared.configuration.bodyIdleTimeoutMilliseconds
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
        deadline = shared.time.monotonicMilliseconds() + shared.configuration.bodyIdleTimeoutMilliseconds
        if decoder.isComplete { respondToPending() }
        return used
    }

    // MARK: - Answering

    private func respondToPending() {
        guard let request = pending else { return }
        pending = nil
        chunkedDecoder = nil
        phase = .idle
        var (response, context, routed) = answer(request)
        if let deferred = response.deferred {
            awaitResponse(deferred, for: AwaitedRequest(request: request, context: context, routed: routed))
        } else {
            finish(&response, to: routed, context: context)
            send(response, for: request, context: context, routed: routed)
        }
    }

    /// Runs every middleware's `finish` on the final response, the one stage that immediate and deferred responses
    /// both pass (a request refused before routing has no middleware to run).
    private func finish(_ response: inout Response, to routed: Request?, context: RequestContext) {
        guard let routed else { return }
        shared.router.finish(&response, to: routed, context: context)
    }

    /// Queues `response` to `request` and decides what the connection does next (keep alive, close, upgrade, stream).
    private func send(_ response: Response, for request: PendingRequest, context: RequestContext, routed: Request?) {
        var response = response, context = context
        let outboxBefore = outbox.count
        let streams = response.stream != nil && !response.status.forbidsBody
        let isChunked = streams && request.head.minorVersion == 1
        // An HTTP/1.0 client reads a streamed body until the connection closes.
        let keepAlive = request.head.wantsKeepAlive && !shared.isDraining && response.upgrade == nil && (!streams || isChunked)
        let option: ResponseWriter.ConnectionOption =
            response.upgrade != nil ? .none : !keepAlive ? .close : request.head.minorVersion == 0 ? .keepAlive : .none
        ResponseWriter.write(response, to: &outbox, requestID: context.requestID, date: state.dateCache.current(),
                             connection: option, includeBody: request.head.method != .head, isChunked: isChunked)
        if streams, let stream = response.stream, let routed, request.head.method != .head {
            let streamed = StreamedRequest(request: request, context: context, routed: routed, status: response.status,
                                           isChunked: isChunked, keepAlive: keepAlive, bytesOut: outbox.count - outboxBefore)
            return beginStreaming(stream, streamed)
        }
        report(method: request.head.method, path: routed?.path ?? "-", status: response.status, context: &context,
               bodies: (request.body.count, response.body.count), bytesOut: outbox.count - outboxBefore,
               traceparent: routed?.header("traceparent"), rejected: routed == nil)     // nil: a path refused before routing
        if let upgrade = response.upgrade {
            let session = upgrade.makeSession()
            self.session = session
            phase = .upgraded
            upgradedTimers = (upgrade.idleMilliseconds, upgrade.probeMilliseconds)
            deadline = shared.time.monotonicMilliseconds() + upgradedTimers.idle
            response.upgrade = nil
            session.opened(openOutbound(limit: upgrade.queueLimit))
        } else if keepAlive {
            deadline = shared.time.monotonicMilliseconds() + shared.configuration.keepAliveTimeoutMilliseconds
        } else {
            closeAfterFlush = true
        }
    }

    // MARK: - Streams and pushes

    /// A new `Outbound` for this connection: its sends wake the loop to drain it.
    private func openOutbound(limit: Int) -> Outbound {
        let connection = LoopBound(WeakConnection(self), on: state.loop)
        let outbound = Outbound(limit: limit) {
            connection.owner.execute { connection.value.connection?.drainOutbound() }
        }
        self.outbound = outbound
        return outbound
    }

    /// The kernel send buffer of a streamed response (doubled by Linux): enough for a fast reader to keep up.
    static let streamSendBuffer: Int32 = 65_536

    /// The head is queued: the body now comes from whoever `stream.start` hands the `Outbound` to.
    private func beginStreaming(_ stream: ResponseStream, _ request: StreamedRequest) {
        phase = .streaming
        streamed = request
        deadline = .max                                 // no timeout: the client's leaving or the sender ends a stream
        // The `Outbound`'s limit is what may wait for a slow reader: keep the kernel from holding megabytes more.
        try? Socket.setSendBuffer(fd, bytes: Self.streamSendBuffer)
        stream.start(openOutbound(limit: stream.queueLimit))
    }

    /// Writes what the `Outbound` holds whenever the output buffer has drained (so a slow reader leaves it queued,
    /// where `Outbound.limit` bounds it), and ends the stream or the upgraded connection once the sender asked.
    private func drainOutbound() {
        guard !isDrainingOutbound else { return }         // flush, called below, comes back here
        isDrainingOutbound = true
        defer { isDrainingOutbound = false }
        while !isClosed, let outbound, outboxSent == outbox.count, outbound.hasPending {
            let before = outbox.count
            let (chunks, ends) = outbound.take()
            for chunk in chunks {
                if streamed?.isChunked == true { ResponseWriter.writeChunk(chunk, to: &outbox) } else { outbox.append(contentsOf: chunk) }
            }
            streamed?.bytesOut += outbox.count - before
            if ends { endOutbound() }
            flush()
        }
    }

    /// The sender closed its `Outbound`: a streamed body ends (and the connection goes on with what was pipelined,
    /// or closes); an upgraded connection closes once its last bytes are written.
    private func endOutbound() {
        outbound = nil
        guard var request = streamed else {
            closeAfterFlush = true
            return
        }
        streamed = nil
        phase = .idle
        if request.isChunked {
            let before = outbox.count
            ResponseWriter.writeLastChunk(to: &outbox)
            request.bytesOut += outbox.count - before
        }
        reportStream(request)
        guard request.keepAlive && !shared.isDraining else {         // a stream ended by the drain closes its connection
            closeAfterFlush = true
            return
        }
        deadline = shared.time.monotonicMilliseconds() + shared.configuration.keepAliveTimeoutMilliseconds
        if !inbox.isEmpty && !closeAfterFlush { processInbox() }
        if inputEnded && !isHoldingInput { closeAfterFlush = true }
    }

    /// Reports a streamed request once its stream has ended, or its client left.
    private func reportStream(_ request: StreamedRequest) {
        var context = request.context
        report(method: request.request.head.method, path: request.routed.path, status: request.status, context: &context,
               bodies: (request.request.body.count, request.bytesOut), bytesOut: request.bytesOut,
               traceparent: request.routed.header("traceparent"), rejected: false)
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
            guard shared.workerPool.submit({ deferred.work(completion) }) else {
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
        var response: Response
        switch outcome {
        case .success(let answer):
            if let next = answer.deferred { return awaitResponse(next, for: request) }   // a deferral deferred again
            response = answer
        case .failure(let error): response = shared.router.response(for: error, context: &request.context)
        }
        finish(&response, to: request.routed, context: request.context)
        send(response, for: request.request, context: request.context, routed: request.routed)
        if isClosed { return }
        if !inbox.isEmpty && !closeAfterFlush { processInbox() }
        if inputEnded && !isHoldingInput { closeAfterFlush = true }
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
        let trustedProxies = shared.configuration.trustedProxies
        let clientAddress = trustedProxies.isEmpty ? client : ClientAddress.resolve(request, peer: client, trustedProxies: trustedProxies)
        var context = RequestContext(requestID: state.requestIDs.id(incoming: request.header("x-request-id")),
                                     clientAddress: clientAddress, loopIndex: state.loop.index)
        let response = shared.router.respond(to: request, context: &context)
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
        shared.observer.requestFinished(record, loop: state.loop.index)
    }

    // MARK: - Writing

    private func flush() {
        while outboxSent < outbox.count {
            let result = outbox.withUnsafeBytes { bytes in try? Socket.write(fd, from: UnsafeRawBufferPointer(rebasing: bytes[outboxSent...])) }
            switch result {
            case .processed(let written): outboxSent += written
            case .wouldBlock:
                updateInterest()
                deadline = shared.time.monotonicMilliseconds() + shared.configuration.bodyIdleTimeoutMilliseconds
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
            deadline = shared.time.monotonicMilliseconds() + shared.configuration.keepAliveTimeoutMilliseconds
        } else if phase == .streaming {
            deadline = .max                             // written out: a stream may be quiet as long as it likes
        }
        updateInterest()
        if closeAfterFlush && phase != .lingering { beginLingeringClose() }
        if outbound != nil { drainOutbound() }
    }

    /// Watches for writability while output is pending, and for input otherwise. While a deferred response is
    /// awaited, input is still read (into `inbox`, for after it) unless the client has already sent more than
    /// `maximumInboxWhileAwaiting`: then nothing is watched (epoll still reports hang-ups). Keeping the interest as
    /// it was spares two epoll_ctl calls per deferred request.
    private func updateInterest() {
        guard !isClosed else { return }
        let readsPaused = inputEnded || (isHoldingInput && inbox.count > Self.maximumInboxWhileAwaiting)
        let wanted = outboxSent < outbox.count ? EPOLLOUT.rawValue : readsPaused ? 0 : EPOLLIN.rawValue
        guard wanted != watchedEvents else { return }
        watchedEvents = wanted
        try? state.loop.modify(fd, events: wanted)
    }

    // MARK: - Closing

    /// Sends FIN but keeps reading (and dropping) for a moment, so the client reads our last response
    /// instead of losing it to the RST that closing with unread input would cause (RFC 9112 §9.6).
    private func beginLingeringClose() {
        outbound?.connectionClosed()                   // nothing more is written after the FIN
        outbound = nil
        Socket.shutdownWrite(fd)
        phase = .lingering
        inbox = []
        deadline = shared.time.monotonicMilliseconds() + Self.lingerMilliseconds
    }

    /// Called by the loop's sweep once `deadline` has passed.
    func timedOut() {
        switch phase {
        case .head, .body, .chunkedBody:
            fail(ParseError(.requestTimeout, "Request Timeout"))
            flush()
        case .upgraded:
            probeOrClose()
        case .idle, .lingering:
            close()
        case .awaiting:
            break      // the response is on its way; `ResponseCompletion` guarantees one
        case .streaming:
            // A quiet stream has no deadline (SSE sends its own heartbeats); one whose client stopped reading while a
            // write was stalled gets the write timeout, as any response does.
            if outboxSent < outbox.count { close() }
        }
    }

    /// A silent upgraded client: probed once (its answer, or anything else, resets the silence), closed when the probe
    /// went unanswered or the protocol has none.
    private func probeOrClose() {
        guard !isProbing, upgradedTimers.probe > 0, let session, session.probe(output: &outbox) else { return close() }
        isProbing = true
        deadline = shared.time.monotonicMilliseconds() + upgradedTimers.probe
        flush()
    }

    /// Closes the connection for a shutdown: an upgraded protocol says its farewell first (WebSocket: Close 1001). One
    /// waiting between requests is closed only after a quiet moment: a client reuses a kept-alive connection without
    /// warning, so its next request may already be on the way, and closing now would lose it to a reset (a restart
    /// would fail requests). A request that does arrive is answered with `Connection: close`.
    func closeForShutdown() {
        if phase == .idle {
            state.loop.schedule(afterMilliseconds: Self.drainQuietMilliseconds) { [weak self] in
                if let self, self.phase == .idle { self.close() }
            }
            return
        }
        guard phase == .upgraded, let session else { return close() }
        let before = outbox.count
        session.farewell(output: &outbox)
        guard outbox.count > before else { return close() }
        closeAfterFlush = true
        flush()
    }

    /// Releases the descriptor and forgets the connection.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        outbound?.connectionClosed()
        outbound = nil
        if let request = streamed {
            streamed = nil
            reportStream(request)
        }
        state.loop.deregister(fd)
        Socket.close(fd)
        state.remove(self)
    }
}

/// A connection an `Outbound` wakes without keeping it alive once it has closed.
private final class WeakConnection {
    weak var connection: Connection?

    init(_ connection: Connection) {
        self.connection = connection
    }
}
