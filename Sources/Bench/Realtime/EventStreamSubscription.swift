import HTTP

/// A subscriber's `GET /R/events`: the response head through `ResponseParser`, the chunked body through
/// `EventStreamParser`, and of the events only the `created` ones' record ids.
final class EventStreamSubscription: Subscription {
    private let request: [UInt8]
    private var response = ResponseParser()
    private var events = EventStreamParser()
    private var isSubscribed = false

    /// A subscription that sends `request`, the whole `GET` (`RealtimePlan` builds it once for all).
    init(request: [UInt8]) {
        self.request = request
    }

    func openingBytes() -> [UInt8] { request }

    func receive(_ bytes: UnsafeRawBufferPointer, _ signal: (SubscriptionSignal) -> Void) throws(SubscriptionFailure) {
        var tooLong = false
        do {
            _ = try response.parse(bytes) { body in
                do { try events.parse(body) { Self.take($0, signal) } } catch { tooLong = true }
            }
        } catch {
            throw SubscriptionFailure(reason: "malformed response")
        }
        if tooLong { throw SubscriptionFailure(reason: "event stream line too long") }
        guard let head = response.head else { return }
        // A refusal's body went through the event parser too; a JSON error has no blank line, so it dispatched nothing.
        guard head.status == 200 else { throw SubscriptionFailure(reason: "HTTP \(head.status)") }
        if !isSubscribed {
            isSubscribed = true
            signal(.subscribed)
        }
        if response.isComplete { throw SubscriptionFailure(reason: "stream ended") }
    }

    private static func take(_ event: EventStreamParser.Event, _ signal: (SubscriptionSignal) -> Void) {
        if event.name.equals("created") {
            guard let id = JSONSkim.member("id", in: event.data).flatMap(JSONSkim.integer) else { return }
            signal(.created(recordID: id))
        } else if event.name.equals("overflow") {
            signal(.closing(reason: "overflow"))
        }
    }
}
