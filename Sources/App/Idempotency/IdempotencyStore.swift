/// The answers kept for `Idempotency-Key`s, in one transaction (or one loop's read).
protocol IdempotencyStore {
    /// The answer kept for `key`'s caller and key since `since` (Unix milliseconds), with the fingerprint of the request
    /// it answered; nil when there is none.
    func answer(for key: IdempotencyKey, since: Int64) throws -> (fingerprint: [UInt8], response: StoredResponse)?

    /// Keeps `response` as the answer to `key`, in the transaction of the write it answers (so neither can be committed
    /// without the other), and deletes the answers made before `purgingBefore`.
    func keep(_ response: StoredResponse, for key: IdempotencyKey, at now: Int64, purgingBefore: Int64) throws
}
