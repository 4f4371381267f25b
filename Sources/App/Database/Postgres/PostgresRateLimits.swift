import Postgres

/// The SQL of `rate_limits` (`http.rate_limits.shared`): GCRA in one statement, on the database's clock, so every
/// instance counts against the same time whatever its own clock says.
struct PostgresRateLimits {
    let session: PostgresSession

    /// One in this many requests also purges the buckets whose time has passed, so the table holds about as many rows
    /// as there are clients within their limits' windows.
    static let requestsPerPurge = 4096

    /// Now, in Unix milliseconds by the database's clock; the same throughout one statement.
    private static let now = "(extract(epoch FROM statement_timestamp()) * 1000)::bigint"

    /// A new bucket starts with this request. A known one counts it from its arrival time (or from now, when that has
    /// passed) unless that takes it more than the tolerance ($3) ahead of now: then the row keeps its time, and says
    /// `admitted` false. (Every expression of SET sees the row as it was.)
    private static let admitSQL = """
        INSERT INTO rate_limits AS r (bucket, tat, admitted) VALUES ($1, \(now) + $2, true)
        ON CONFLICT (bucket) DO UPDATE SET
            admitted = GREATEST(r.tat, \(now)) + $2 <= \(now) + $3,
            tat = CASE WHEN GREATEST(r.tat, \(now)) + $2 <= \(now) + $3 THEN GREATEST(r.tat, \(now)) + $2 ELSE r.tat END
        RETURNING admitted, tat - \(now)
        """

    /// Counts one request in `bucket`, each request costing `interval` milliseconds, unless it is more than
    /// `tolerance` ahead.
    func admit(_ bucket: String, interval: Int64, tolerance: Int64) throws -> SharedAdmission {
        let admission = try session.row(Self.admitSQL, [bucket, interval, tolerance]) { row in
            SharedAdmission(admitted: row.bool(0), aheadMilliseconds: row.int64(1))
        }
        guard let admission else { throw StoreError.failed }
        return admission
    }

    /// Deletes the buckets whose time has passed: a new row would count from now just as they do.
    func purge() throws {
        _ = try session.run("DELETE FROM rate_limits WHERE tat < \(Self.now)")
    }
}
