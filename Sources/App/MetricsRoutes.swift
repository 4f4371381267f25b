public import HTTP
import Metrics

/// `GET /metrics`: Prometheus text exposition of the HTTP and process metrics (DESIGN §7).
public struct MetricsRoutes: Sendable {
    private let metrics: HTTPMetrics

    /// Routes serving `metrics`.
    public init(metrics: HTTPMetrics) {
        self.metrics = metrics
    }

    /// Adds `GET /metrics` to `router`.
    public func register(on router: inout Router) {
        let metrics = self.metrics
        router.add(.get, "/metrics") { _, _ in
            var writer = ExpositionWriter()
            metrics.write(to: &writer)
            ProcessMetrics.read().write(to: &writer)
            return Response(status: .ok, contentType: ExpositionWriter.contentType, body: writer.bytes)
        }
    }
}
