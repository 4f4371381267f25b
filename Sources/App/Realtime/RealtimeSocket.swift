import HTTP
import JSON

/// One `GET /realtime` WebSocket (DESIGN §11): the caller's subscriptions to resources' changes, as JSON messages.
///
/// - `{"type":"subscribe","id":"s1","resource":"projects","filter":"...","since":41}` answers
///   `{"type":"subscribed","id":"s1"}`, then the events (`{"type":"event","subscription":"s1","id":N,"event":NAME,"data":RECORD}`)
///   from after `since` (as `Last-Event-ID` on a stream; `reset` when the log no longer holds it) or from now.
/// - `{"type":"unsubscribe","id":"s1"}` answers `{"type":"unsubscribed","id":"s1"}`.
/// - A message that cannot be done answers `{"type":"error","id":...,"status":N,"detail":...}` (FastAPI's `detail`).
///
/// Called on the connection's loop, one message at a time; everything is sent through the outbound, in order.
final class RealtimeSocket: WebSocketHandler {
    private let hub: RealtimeHub
    private let resources: [String: ResourceDeclaration]
    private let caller: Caller?
    private let loop: Int
    private let now: @Sendable () -> (wall: String, monotonic: UInt64)
    private var outbound: WebSocketOutbound?
    private var subscriptions: [String: Subscriber] = [:]
    /// The most subscriptions one connection may hold.
    static let maximumSubscriptions = 100

    init(hub: RealtimeHub, resources: [String: ResourceDeclaration], caller: Caller?, loop: Int,
         now: @escaping @Sendable () -> (wall: String, monotonic: UInt64)) {
        self.hub = hub
        self.resources = resources
        self.caller = caller
        self.loop = loop
        self.now = now
    }

    func opened(_ outbound: WebSocketOutbound) {
        self.outbound = outbound
    }

    func received(_ message: WebSocketMessage) -> [WebSocketMessage] {
        guard case .text(let text) = message, let request = try? JSONParser.parse(Array(text.utf8)), let object = request.objectValue else {
            refuse(.null, 400, "expected a JSON object")
            return []
        }
        let id = object["id"] ?? .null
        switch object["type"]?.stringValue {
        case "subscribe": subscribe(object, id: id)
        case "unsubscribe": unsubscribe(id)
        default: refuse(id, 400, "unknown type (subscribe, unsubscribe)")
        }
        return []
    }

    private func subscribe(_ request: JSONObject, id: JSONValue) {
        guard let outbound else { return }
        guard let name = id.stringValue, !name.isEmpty, name.utf8.count <= 64 else {
            return refuse(id, 422, "a subscription's id is a string of 1 to 64 bytes")
        }
        guard subscriptions[name].map(\.isClosed) ?? true else {
            return refuse(id, 409, "a subscription with this id is open")
        }
        guard subscriptions.count < Self.maximumSubscriptions else {
            return refuse(id, 429, .string("at most \(Self.maximumSubscriptions) subscriptions per connection"))
        }
        guard let declaration = request["resource"]?.stringValue.flatMap({ resources[$0] }) else {
            return refuse(id, 404, "no such resource")
        }
        if let refusal = refusal(declaration.rule(.read)) { return refuse(id, refusal.status, refusal.detail) }
        let filter: Filter?
        switch parsedFilter(request["filter"], of: declaration) {
        case .success(let parsed): filter = parsed
        case .failure(let problem): return refuse(id, 422, problem.value)
        }
        let since = request["since"]?.intValue
        if let value = request["since"], value != .null, since.map({ $0 < 0 }) ?? true {
            return refuse(id, 422, "since is the id of an event: an integer, 0 or more")
        }
        reply(["type": "subscribed", "id": id])
        let subscriber = Subscriber(declaration: declaration, caller: caller.map(StreamCaller.init), filter: filter,
                                    sink: WebSocketSink(outbound, subscription: name), after: since ?? hub.head, now: now().monotonic,
                                    metrics: hub.metrics)
        subscriptions[name] = subscriber
        hub.subscribe(subscriber, resumingAfter: since, on: loop)
    }

    private func unsubscribe(_ id: JSONValue) {
        guard let name = id.stringValue, let subscriber = subscriptions.removeValue(forKey: name) else {
            return refuse(id, 404, "no such subscription")
        }
        subscriber.cancel()
        reply(["type": "unsubscribed", "id": id])
    }

    /// Why the caller may not subscribe under `rule`'s keyword part (a filter rule is checked on each event).
    private func refusal(_ rule: ResourceRule) -> (status: Int64, detail: JSONValue)? {
        switch rule {
        case .nobody: return (404, "no such resource")
        case .authenticated, .admin, .scope:
            guard let caller else { return (401, "Not authenticated") }
            return rule.allows([:] as JSONObject, caller: caller.filterCaller, now: now().wall) ? nil : (403, "Not enough permissions")
        case .everyone, .filter: return nil
        }
    }

    /// The subscription's filter, or FastAPI's `detail` for one that does not parse (`loc` `["filter"]`).
    private func parsedFilter(_ value: JSONValue?, of declaration: ResourceDeclaration) -> Result<Filter?, ParsedFilterProblem> {
        guard let value, value != .null else { return .success(nil) }
        guard let text = value.stringValue else { return .failure(ParsedFilterProblem(value: "filter is a string in the filter grammar")) }
        do { return .success(try FilterParser.parse(text, fields: declaration.filterFields)) } catch {
            return .failure(ParsedFilterProblem(value: [["type": "value_error", "loc": ["filter"], "msg": .string("Value error, \(error.description)"),
                                                        "input": .string(text)]]))
        }
    }

    /// Answers `id` with an error: FastAPI's `detail`, and the HTTP status the same refusal would have.
    private func refuse(_ id: JSONValue, _ status: Int64, _ detail: JSONValue) {
        reply(["type": "error", "id": id, "status": .integer(status), "detail": detail])
    }

    private func reply(_ message: JSONObject) {
        outbound?.send(.text(JSONValue.object(message).jsonText))
    }
}

/// A subscription's filter that does not parse, as the `detail` of its error.
struct ParsedFilterProblem: Error, ExpressibleByStringLiteral {
    let value: JSONValue

    init(value: JSONValue) {
        self.value = value
    }

    init(stringLiteral text: String) {
        value = .string(text)
    }
}
