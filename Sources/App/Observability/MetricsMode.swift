/// Who may read `GET /metrics` (`metrics.mode`).
public enum MetricsMode: String, Sendable {
    /// Anyone.
    case open
    /// A bearer token with the `metrics` scope (`api token issue --subject ... --scope metrics`).
    case token
    /// Nobody: the route is absent and nothing is counted.
    case off
}
