import HTTP
import OpenAPI

extension Services {
    /// The answer to a `POST` with `key` (draft-ietf-httpapi-idempotency-key-header): the answer kept for the key if
    /// there is one (422 when it answered another request), 409 while the first request with the key is still being
    /// answered, else `write` committed together with its answer, which is kept 24 hours. An error is not kept: a retry
    /// runs the request again.
    func idempotent(_ key: IdempotencyKey, _ context: RequestContext,
                    write: @escaping @Sendable (any Transaction) throws -> Response) throws -> Response {
        guard inFlight.begin(key.scope) else {
            throw HTTPError(.conflict, detail: "A request with this Idempotency-Key is still being answered")
        }
        let now = time.wallMilliseconds(), cutoff = now - IdempotencyKey.lifetimeMilliseconds
        let store = self.store, inFlight = self.inFlight
        do {
            return try store.reading(context) { transaction in try transaction.idempotency.answer(for: key, since: cutoff) } then: { kept in
                if let kept {
                    inFlight.end(key.scope)
                    guard kept.fingerprint == key.fingerprint else { throw key.usedForAnotherRequest }
                    return kept.response.replayed
                }
                return .later(.onLoop) { complete in
                    store.submit({ transaction in
                        let response = try write(transaction)
                        try transaction.idempotency.keep(StoredResponse(response), for: key, at: now, purgingBefore: cutoff)
                        return response
                    }) { result in
                        inFlight.end(key.scope)
                        complete.respond { try result.get() }
                    }
                }
            }
        } catch {
            inFlight.end(key.scope)
            throw error
        }
    }
}
