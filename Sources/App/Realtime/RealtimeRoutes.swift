import HTTP
import JSON
import OpenAPI

/// `GET /realtime`, the WebSocket of subscriptions (`RealtimeSocket`), and `POST /realtime/ticket`: a one-use ticket, valid 30 seconds, that opens one stream as the caller with `?ticket=`
/// (DESIGN §11, "Access"), for browsers, whose `EventSource` and `WebSocket` cannot send a bearer token.
struct RealtimeRoutes: Sendable {
    let services: Services
    /// The declared resources, which subscriptions name.
    let resources: [ResourceDeclaration]

    /// Adds the routes to `api`: the ticket, documented, and the WebSocket, which OpenAPI cannot describe.
    func register(on api: inout API) {
        let services = self.services, resources = Dictionary(uniqueKeysWithValues: resources.map { ($0.name, $0) })
        api.addUndocumented(.get, "/realtime") { request, context in
            let hub = services.realtime
            guard !hub.isClosing else { throw HTTPError.retryLater }
            let caller = try services.authenticator.authorize(.optionalToken, request, context) as? Caller
            let loop = context.loopIndex, time = services.time
            return try WebSocketHandshake.accept(request, settings: hub.settings.realtimeSocket) {
                RealtimeSocket(hub: hub, resources: resources, caller: caller, loop: loop) { (time.timestamp(), time.monotonicMilliseconds()) }
            }
        }
        api.add(Operation(.post, "/realtime/ticket", id: "issue_stream_ticket", summary: "Get a ticket for a stream", description: """
            A ticket opens one stream (`GET /R/events?ticket=...`, `GET /realtime?ticket=...`) as the caller, once, within \
            \(StreamTickets.lifetime) seconds; the stream then lives as the token does (it ends when the token expires or \
            is revoked). Tickets are kept by the instance that issued them and never written to the access log.
            """, tags: ["realtime"])
            .response(.ok, schema: Self.ticketSchema, description: "The ticket")
            .access(.token), handler: issue)
    }

    private static let ticketSchema = Schema(kind: .model(ModelSchema("StreamTicket", [
        Property("ticket", Schema.string().described("Give it as `?ticket=` to the stream route.")),
        Property("expires_in", Schema.integer().described("Seconds it stays valid.")),
    ])))

    private func issue(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let ticket = services.authenticator.tickets.issue(for: input.caller)
        return .json(.ok, ["ticket": .string(ticket), "expires_in": .integer(StreamTickets.lifetime)])
    }
}
