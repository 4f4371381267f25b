import HTTP
import JSON

/// One `GET /realtime` WebSocket (DESIGN §11): the caller's subscriptions to resources' changes, as JSON messages.
///
/// - `{"type":"subscribe","id":"s1","resource":"projects","filter":"...","since":41}` answers
///   `{"type":"subscribed","id":"s1"}`, then the events (`{"type":"event","subscription":"s1","id":N,"event":NAME,"data":RECORD}`)
///   from after `since` (as `Last-Event-ID` on a stream; `reset` when the log no longer holds it) or from now.
/// - `{"type":"subscribe","id":"c1","channel":"chat:lobby","history":true}` answers `{"type":"subscribed","id":"c1"}`
///   (with `"history":[...]`, the kept messages, when asked), then the channel's messages
///   (`{"type":"message","subscription":"c1","channel":...,"seq":N,"from":USER,"at":TIME,"data":DATA}`).
/// - `{"type":"publish","id":"p1","channel":"chat:lobby","data":{...}}` answers `{"type":"published","id":"p1","seq":N}`.
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
    private var subscriptions: [String: any Closable] = [:]
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
        case "publish": publish(object, id: id)
        case "unsubscribe": unsubscribe(id)
        default: refuse(id, 400, "unknown type (subscribe, publish, unsubscribe)")
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
        if let channel = request["channel"] { return subscribe(to: channel, request, id: name) }
        guard let declaration = request["resource"]?.stringValue.flatMap({ resources[$0] }) else {
            return refuse(id, 404, "no such resource")
        }
        if let refusal = refusal(declaration.rule(.read)) { return refuse(id, refusal.status, refusal.detail) }
        let (filter, problem) = parsedFilter(request["filter"], of: declaration)
        if let problem { return refuse(id, 422, problem) }
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

    /// A subscription to a declared channel: its `subscribe` rule decides, for the caller and the channel's name.
    private func subscribe(to channel: JSONValue, _ request: JSONObject, id: String) {
        guard let outbound else { return }
        guard let name = channel.stringValue, let (declaration, record) = hub.channels.declaration(of: name) else {
            return refuse(.string(id), 404, "no such channel")
        }
        if let refusal = refusal(declaration.subscribe, on: record) { return refuse(.string(id), refusal.status, refusal.detail) }
        let subscription = ChannelSubscription(channel: name, caller: caller.map(StreamCaller.init), outbound: outbound, subscription: id)
        subscriptions[id] = subscription
        let history = hub.channels.subscribe(subscription, on: loop)
        var answer: JSONObject = ["type": "subscribed", "id": .string(id)]
        if request["history"] == .bool(true) { answer["history"] = .array(history.map(\.json)) }
        reply(answer)
    }

    /// A message to a declared channel: its `publish` rule decides; `data` is any JSON up to the channel's size.
    private func publish(_ request: JSONObject, id: JSONValue) {
        guard let name = request["channel"]?.stringValue, let (declaration, record) = hub.channels.declaration(of: name) else {
            return refuse(id, 404, "no such channel")
        }
        if let refusal = refusal(declaration.publish, on: record) { return refuse(id, refusal.status, refusal.detail) }
        guard let data = request["data"] else { return refuse(id, 422, "a message has data") }
        let size = data.serialized().count
        guard size <= declaration.maxMessageBytes else {
            return refuse(id, 413, .string("the data is \(size) bytes; this channel takes \(declaration.maxMessageBytes) at most"))
        }
        let outbound = outbound
        hub.channels.publish(data, to: name, from: caller?.user.id, at: now().wall, on: loop) { outcome in
            let answer: JSONObject = switch outcome {
            case .success(let sequence): ["type": "published", "id": id, "seq": .integer(sequence)]
            case .failure: Self.error(id, 503, "the message could not be sent; try again")
            }
            Self.reply(answer, through: outbound)
        }
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
        case .everyone, .filter: return nil
        case .authenticated, .admin, .scope: return refusal(rule, on: [:])
        }
    }

    /// Why `rule` refuses the caller for `record` (a channel's parameters): 401 without a token where the rule needs
    /// one, else 403.
    private func refusal(_ rule: ResourceRule, on record: JSONObject) -> (status: Int64, detail: JSONValue)? {
        if rule.allows(record, caller: caller?.filterCaller, now: now().wall) { return nil }
        return caller == nil && rule != .everyone ? (401, "Not authenticated") : (403, "Not enough permissions")
    }

    /// The subscription's filter (nil when none is given), or FastAPI's `detail` for one that does not parse: the
    /// `value_error` a `GET /R/` filter meets, at `["filter"]`.
    private func parsedFilter(_ value: JSONValue?, of declaration: ResourceDeclaration) -> (Filter?, problem: JSONValue?) {
        guard let value, value != .null else { return (nil, nil) }
        guard let text = value.stringValue else { return (nil, "filter is a string in the filter grammar") }
        do { return (try FilterParser.parse(text, fields: declaration.filterFields), nil) } catch {
            return (nil, [ResourceListParameters.issue(at: ["filter"], text, error.description).json])
        }
    }

    /// Answers `id` with an error: FastAPI's `detail`, and the HTTP status the same refusal would have.
    private func refuse(_ id: JSONValue, _ status: Int64, _ detail: JSONValue) {
        reply(Self.error(id, status, detail))
    }

    /// An error answer to `id`: FastAPI's `detail`, and the HTTP status the same refusal would have.
    private static func error(_ id: JSONValue, _ status: Int64, _ detail: JSONValue) -> JSONObject {
        ["type": "error", "id": id, "status": .integer(status), "detail": detail]
    }

    private func reply(_ message: JSONObject) {
        Self.reply(message, through: outbound)
    }

    private static func reply(_ message: JSONObject, through outbound: WebSocketOutbound?) {
        outbound?.send(.text(JSONValue.object(message).jsonText))
    }
}
