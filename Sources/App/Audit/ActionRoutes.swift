import HTTP
import OpenAPI

/// `POST /action/` and `GET /audit` (DESIGN §3, issue 8): an action answered only once its audit job is
/// committed, and the audit log that durable background work writes.
struct ActionRoutes: Sendable {
    let services: Services

    static let user = Parameter<String?>.query("user", Schema.string(minLength: 1, maxLength: 200).orNull, default: .null,
                                               description: "Whom the action is for; the caller when absent.")

    /// `{"message": "Action scheduled"}`.
    enum ActionScheduled: Model {
        static let schema = ModelSchema("ActionScheduled", [Property("message", .oneOf(["Action scheduled"]))])
    }

    private static let scheduledBody = Array(#"{"message":"Action scheduled"}"#.utf8)

    /// Adds the routes to `api`.
    func register(on api: inout API) {
        api.add(Operation(.post, "/action/", id: "perform_action", summary: "Perform an action", description: """
            Answers once a background job that writes the audit entry is committed: the entry is then written even if \
            the server crashes first (it runs again after a restart, and writes once).
            """, tags: ["actions"])
            .parameter(Self.user)
            .response(.ok, ActionScheduled.self, description: "The job is committed")
            .access(.token), handler: perform)

        api.add(Operation(.get, "/audit", id: "list_audit", summary: "The audit log", description: "Admins only; newest first.",
                          tags: ["actions"])
            .parameter(Pagination.limit).parameter(Pagination.cursor)
            .response(.ok, Page<AuditEntry>.self)
            .error(.forbidden, "The caller is not an admin")
            .access(.admin), handler: audit)
    }

    private func perform(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let caller = input.caller
        let payload = AuditJob.Payload(actor: caller.user.email, user: input[Self.user] ?? caller.user.email, action: "action",
                                       requestID: context.requestID, createdAt: services.time.timestamp())
        let jobs = services.jobs, job = try jobs.prepare(AuditJob.self, payload)
        return services.store.committing { transaction in
            try jobs.enqueue(job, in: transaction)
        } then: { _ in
            jobs.wake()
            return .json(body: Self.scheduledBody)
        }
    }

    private func audit(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let before = Pagination.cursorID(input), limit = input[Pagination.limit] + 1
        return try services.store.reading(context) { transaction in
            try transaction.audit.page(before: before, limit: limit)
        } then: { entries in
            try .json(.ok, Pagination.page(entries, input, id: \.id))
        }
    }
}
