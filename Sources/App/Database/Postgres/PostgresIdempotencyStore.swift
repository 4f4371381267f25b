import JSON
import Postgres

/// The SQL of `idempotency_keys` on PostgreSQL: one row per caller and key, written in the transaction of the write
/// it answers.
struct PostgresIdempotencyStore: IdempotencyStore {
    let session: PostgresSession

    func answer(for key: IdempotencyKey, since: Int64) throws -> (fingerprint: [UInt8], response: StoredResponse)? {
        try session.row("""
            SELECT fingerprint, status, reason, content_type, headers, body FROM idempotency_keys
            WHERE caller = $1 AND key = $2 AND created_at >= $3
            """, [key.caller, key.key, since]) { row in
            (row.bytes(0), StoredResponse(status: row.int(1), reasonPhrase: row.string(2), contentType: row.optionalString(3),
                                          headers: StoredResponse.headers(fromJSON: row.string(4)), body: row.bytes(5)))
        }
    }

    func keep(_ response: StoredResponse, for key: IdempotencyKey, at now: Int64, purgingBefore: Int64) throws {
        _ = try session.run("DELETE FROM idempotency_keys WHERE created_at < $1", [purgingBefore])
        _ = try session.run("""
            INSERT INTO idempotency_keys (caller, key, fingerprint, status, reason, content_type, headers, body, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [key.caller, key.key, key.fingerprint, response.status, response.reasonPhrase, response.contentType,
                  response.headersJSON, response.body, now])
    }
}
