import HTTP
import JSON
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
                                         headers: Self.headers(row.string(4)), body: row.blob(5)))
        }
    }

    func keep(_ response: StoredResponse, for key: IdempotencyKey, at now: Int64, purgingBefore: Int64) throws {
        try database.execute("DELETE FROM idempotency_keys WHERE created_at < ?", purgingBefore)
        let headers = JSONValue.array(response.headers.map { [.string($0.name), .string($0.value)] }).jsonText
        try database.execute("""
            INSERT INTO idempotency_keys (caller, key, fingerprint, status, reason, content_type, headers, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, key.caller, key.key, key.fingerprint, response.status, response.reasonPhrase, response.contentType, headers,
            response.body, now)
    }

    /// `[["location", "/projects/7"], ...]` back into header pairs.
    private static func headers(_ text: String) -> [HeaderPair] {
        let pairs = (try? JSONParser.parse(Array(text.utf8)))?.arrayValue ?? []
        return pairs.compactMap { pair in
            guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue, let value = items[1].stringValue else { return nil }
            return HeaderPair(name, value)
        }
    }
}
