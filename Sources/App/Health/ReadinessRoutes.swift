import HTTP
import OpenAPI

/// `GET /readyz`: ready when the database answers on this loop's connection and its schema is the binary's. Why the
/// database did not answer is logged (`readiness.failed`), as a load balancer that takes the instance out says nothing.
struct ReadinessRoutes: Sendable {
    let store: any DataStore
    let logger: Logger

    /// The body of a ready answer, `{"status": "ready"}`.
    enum ReadyStatus: Model {
        static let schema = ModelSchema("ReadyStatus", [Property("status", .oneOf(["ready"]))])
    }

    private static let readyBody = Array(#"{"status":"ready"}"#.utf8)
    /// The database does not answer: a passing condition, so a load balancer may ask again in a second.
    private static let unavailable = HTTPError(.serviceUnavailable, detail: "Database unavailable", headers: [HeaderPair("retry-after", "1")])

    /// Adds the route to `api`.
    func register(on api: inout API) {
        let operation = Operation(.get, "/readyz", id: "readyz", summary: "Readiness",
                                  description: "200 when the database answers and its schema is current, else 503.", tags: ["health"])
            .response(.ok, ReadyStatus.self, description: "Ready to serve")
            .error(.serviceUnavailable, "The database does not answer or its schema is not current")
        let store = self.store, logger = self.logger
        api.add(operation) { _, context in
            try store.reading(context) { transaction in Result { try transaction.schemaIsCurrent() } } then: { isCurrent in
                switch isCurrent {
                case .success(true): return .json(body: Self.readyBody)
                case .success(false): throw HTTPError(.serviceUnavailable, detail: "Database schema is not current")
                case .failure(let error):
                    logger.warning("readiness.failed", ["error": .string(String(describing: error))])
                    throw Self.unavailable
                }
            }
        }
    }
}
