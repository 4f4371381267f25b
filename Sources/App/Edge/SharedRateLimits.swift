/// The rate limits' counts kept where every instance on one database sees them (`http.rate_limits.shared`, DESIGN
/// §14): a GCRA theoretical arrival time per bucket, on the database's clock, so instances whose clocks differ still
/// agree.
protocol SharedRateLimits: Sendable {
    /// Counts one request in `bucket` unless that would put it more than `tolerance` milliseconds ahead of now (each
    /// request costs `interval`); `completion` gets the outcome on loop `loop`'s thread. Call on that thread.
    func admit(_ bucket: String, interval: Int64, tolerance: Int64, on loop: Int,
               completion: @escaping @Sendable (Result<SharedAdmission, any Error>) -> Void)
}

/// What the shared count said of one request.
struct SharedAdmission: Sendable, Equatable {
    /// Whether the request was counted (else it is over the limit, and counted nowhere).
    let admitted: Bool
    /// How far ahead of the database's now the bucket's theoretical arrival time is, after this request.
    let aheadMilliseconds: Int64
}
