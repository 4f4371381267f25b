import Storage

/// The SQL of `idempotency_keys`: one row per caller and key, written in the transaction of the write it answers.
struct SQLiteIdempotencyStore: IdempotencyStore {
    let database: Database

    func answer(for key: IdempotencyKey, since: Int64) throws -> (fingerprint: [UInt8], response: StoredResponse)? {
        try database.queryOne("""
            SELECT fingerprint, status, reason, content_type, headers, body FROM idempotency_keys
            WHERE caller = ? AND key = ? AND created_at >= ?
            """, key.caller, key.key, since) { row in
            (row.blob(0), StoredResponse(status: row.int(1), reasonPhrase: row.string(2), contentType: row.optionalString(3),
                                         headers: StoredResponse.headers(fromJSON: row.string(4)), body: row.blob(5)))
        }
    }

    func keep(_ response: StoredResponse, for key: IdempotencyKey, at now: Int64, purgingBefore: Int64) throws {
        try database.execute("DELETE FROM idempotency_keys WHERE created_at < ?", purgingBefore)
        try database.execute("""
            INSERT INTO idempotency_keys (caller, key, fingerprint, status, reason, content_type, headers, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, key.caller, key.key, key.fingerprint, response.status, response.reasonPhrase, response.contentType, response.headersJSON,
            response.body, now)
    }
}
