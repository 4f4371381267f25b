import Synchronization

/// The rate limits' counts in the database, for the instances that share it: one statement per request, on the
/// loop's read link, committed on its own.
extension PostgresDataStore: SharedRateLimits {
    var sharedRateLimits: (any SharedRateLimits)? { self }

    func admit(_ bucket: String, interval: Int64, tolerance: Int64, on loop: Int,
               completion: @escaping @Sendable (Result<SharedAdmission, any Error>) -> Void) {
        // Decided before the body, which runs again as each answer comes (`DataStore.submit`).
        let purges = rateLimitRequests.add(1, ordering: .relaxed).newValue % PostgresRateLimits.requestsPerPurge == 0
        run(on: loop, { session in
            let limits = PostgresRateLimits(session: session)
            if purges { try limits.purge() }
            return try limits.admit(bucket, interval: interval, tolerance: tolerance)
        }, completion: completion)
    }
}
