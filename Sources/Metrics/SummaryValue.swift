/// A Prometheus summary without quantiles: a sum and a count (what prometheus-fastapi-instrumentator exposes).
public struct SummaryValue: Sendable, Equatable {
    /// Sum of all observations.
    public private(set) var sum: Double = 0
    /// Number of observations.
    public private(set) var count: UInt64 = 0

    /// An empty summary.
    public init() {}

    /// Records `value`.
    public mutating func observe(_ value: Double) {
        sum += value
        count += 1
    }

    /// Adds `other` into this one.
    public mutating func merge(_ other: SummaryValue) {
        sum += other.sum
        count += other.count
    }
}
