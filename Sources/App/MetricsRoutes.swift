import HTTP
import Metrics
public import OpenAPI

/// `GET /metrics`: Prometheus text exposition of the HTTP and process metrics (DESIGN §7).
public struct MetricsRoutes: Sendable {
    private let metrics: HTTPMetrics

    /// Routes serving `metrics`.
    public init(metrics: HTTPMetrics) {
        self.metrics = metrics
    }

    /// Adds `GET /metrics` to `api`.
    public func register(on api: inout API) {
        let metrics = self.metrics
        let operation = Operation(.get, "/metrics", id: "metrics", summary: "Prometheus metrics",
                                  description: "Prometheus text exposition format 0.0.4, with prometheus-fastapi-instrumentator's names.",
                                  tags: ["observability"])
            .response(.ok, description: "The current metrics", mediaType: "text/plain")
        api.add(operation) { _, _ in
            var writer = ExpositionWriter()
            metrics.write(to: &writer)
            ProcessMetrics.read().write(to: &writer)
            return Response(status: .ok, contentType: ExpositionWriter.contentType, body: writer.bytes)
        }
    }
}
