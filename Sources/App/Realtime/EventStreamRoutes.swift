import HTTP
import OpenAPI

/// `GET /R/events` (DESIGN §11): a resource's changes as server-sent events, each checked against the caller's
/// `read` rule and the stream's `filter`; `Last-Event-ID` (or `last_event_id` on a first connection) resumes after
/// an event, exactly once and in order, or answers `reset` when the log no longer holds what follows it.
struct EventStreamRoutes: Sendable {
    let declaration: ResourceDeclaration
    let services: Services
    let parameters: ResourceListParameters

    static let lastEventID = Parameter<Int64?>.header("last-event-id", Schema.integer(minimum: 0, maximum: Int64.max).orNull, default: .null,
                                                       description: "The id of the last event received: the stream resumes after it (browsers send it when they reconnect).")
    static let lastEventIDQuery = Parameter<Int64?>.query("last_event_id", Schema.integer(minimum: 0, maximum: Int64.max).orNull, default: .null,
                                                           description: "As `Last-Event-ID`, for a first connection (an `EventSource` cannot set the header).")

    /// Documented only: read by `Authenticator`, for clients that cannot send a token.
    static let ticket = Parameter<String?>.query("ticket", Schema.string().extended("x-opaque", true).orNull, default: .null,
                                                 description: "A ticket from `POST /realtime/ticket`, in place of a bearer token (one use, 30 seconds).")

    /// The operation, for `ResourceRoutes` to document with the `read` rule's access.
    var operation: Operation {
        let name = declaration.name
        return Operation(.get, "/\(name)/events", id: "stream_\(name)", summary: "Stream changes of \(name)", description: """
            Server-sent events (`text/event-stream`), one per change the caller may see: `created`, `updated`, `deleted`, \
            and `entered`/`left` when a change moves a record into or out of what the `read` rule and `filter` let the \
            caller see. `id` is the change's sequence number and `data` the record as `GET /\(name)/{id}` shows it. \
            A stream that falls behind ends with `overflow`; one resumed from an id the log no longer holds gets `reset`. \
            See docs/realtime.md.
            """, tags: [name])
            .parameter(parameters.filter).parameter(Self.lastEventID).parameter(Self.lastEventIDQuery).parameter(Self.ticket)
            .response(.ok, description: "The event stream", mediaType: "text/event-stream")
            .error(.serviceUnavailable, "The server is shutting down")
    }

    /// Opens the stream on the request's loop.
    func stream(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let hub = services.realtime
        guard !hub.isClosing else { throw HTTPError.retryLater }
        var issues: [ValidationIssue] = []
        let filter = parameters.filter(in: input, of: declaration, issues: &issues)
        guard issues.isEmpty else { throw HTTPError(.unprocessableContent, detail: .array(issues.map(\.json))) }
        let caller = input.optionalCaller.map(StreamCaller.init), resumed = input[Self.lastEventID] ?? input[Self.lastEventIDQuery]
        let declaration = self.declaration, loop = context.loopIndex, time = services.time, head = hub.head
        let headers = [HeaderPair("cache-control", "no-cache"), HeaderPair("x-accel-buffering", "no")]
        return .streaming(.ok, contentType: "text/event-stream", headers: headers, queueLimit: hub.settings.maxQueueBytes) { outbound in
            let sink = EventStreamSink(outbound)
            // A comment at once: a proxy that holds the response head until body bytes come (nginx over HTTP/2) passes
            // it now, and a browser's EventSource reports the stream open now, not at the first event or heartbeat.
            sink.heartbeat()
            let subscriber = Subscriber(declaration: declaration, caller: caller, filter: filter, sink: sink, after: resumed ?? head,
                                        now: time.monotonicMilliseconds(), metrics: hub.metrics)
            hub.subscribe(subscriber, resumingAfter: resumed, on: loop)
        }
    }
}
