import HTTP
public import OpenAPI

/// `GET /healthz`: liveness, answered from the loop with a body made once.
public struct HealthRoutes: Sendable {
    private static let okBody = Array(#"{"status":"ok"}"#.utf8)

    /// The body's schema, `{"status": "ok"}`.
    enum HealthStatus: Model {
        static let schema = ModelSchema("HealthStatus", [Property("status", .oneOf(["ok"]))])
    }

    /// Health routes.
    public init() {}

    /// Adds the routes to `api`.
    public func register(on api: inout API) {
        let liveness = Operation(.get, "/healthz", id: "healthz", summary: "Liveness",
                                 description: "Answers 200 while the process serves requests; it touches nothing else.", tags: ["health"])
            .response(.ok, HealthStatus.self, description: "The server is alive")
        api.add(liveness) { _, _ in .json(body: Self.okBody) }
    }
}
