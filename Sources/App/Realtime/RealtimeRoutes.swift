import HTTP
import JSON
import OpenAPI

/// `POST /realtime/ticket`: a one-use ticket, valid 30 seconds, that opens one stream as the caller with `?ticket=`
/// (DESIGN §11, "Access"), for browsers, whose `EventSource` and `WebSocket` cannot send a bearer token.
struct RealtimeRoutes: Sendable {
    let services: Services

    /// Adds the routes to `api`.
    func register(on api: inout API) {
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
