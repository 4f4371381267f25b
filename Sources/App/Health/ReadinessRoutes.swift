import HTTP
import OpenAPI
import Storage

/// `GET /readyz`: ready when the database answers on this loop's connection and its schema is the binary's.
struct ReadinessRoutes: Sendable {
    let database: DatabasePool

    /// The body of a ready answer, `{"status": "ready"}`.
    enum ReadyStatus: Model {
        static let schema = ModelSchema("ReadyStatus", [Property("status", .oneOf(["ready"]))])
    }

    private static let readyBody = Array(#"{"status":"ready"}"#.utf8)

    /// Adds the route to `api`.
    func register(on api: inout API) {
        let operation = Operation(.get, "/readyz", id: "readyz", summary: "Readiness",
                                  description: "200 when the database answers and its schema is current, else 503.", tags: ["health"])
            .response(.ok, ReadyStatus.self, description: "Ready to serve")
            .error(.serviceUnavailable, "The database does not answer or its schema is not current")
        let database = self.database
        api.add(operation) { _, context in
            let version = try? database.reader(context.loopIndex).queryOne("SELECT max(version) FROM schema_migrations") { $0.int(0) }
            guard let version else { throw HTTPError(.serviceUnavailable, detail: "Database unavailable") }
            guard version == Migrations.latestVersion else { throw HTTPError(.serviceUnavailable, detail: "Database schema is not current") }
            return .json(body: Self.readyBody)
        }
    }
}
