import Crypto
import HTTP
import OpenAPI

/// The `Idempotency-Key` of a `POST` (draft-ietf-httpapi-idempotency-key-header): the client's name for one request,
/// so a retry of it gets the first answer instead of a second write. Keys are kept per caller.
struct IdempotencyKey: Sendable {
    /// Longest key accepted, in bytes (the issue's limit; the draft leaves it to the server).
    static let maximumBytes = 255

    /// Who sent it: `user:ID`, or `anonymous` (keys of anonymous callers share one space).
    let caller: String
    /// The key as sent, without the quotes of a structured-field string.
    let key: String
    /// SHA-256 of the method, the path and the body: the same key with another request is refused.
    let fingerprint: [UInt8]

    /// How long an answer is kept and replayed: 24 hours.
    static let lifetimeMilliseconds: Int64 = 24 * 3600 * 1000

    /// The caller and the key together: what the in-flight set and the store know a request by.
    var scope: String { caller + "\u{0}" + key }

    /// A key with these parts, as a store holds it.
    init(caller: String, key: String, fingerprint: [UInt8]) {
        self.caller = caller
        self.key = key
        self.fingerprint = fingerprint
    }

    /// The request's key, or nil when it sent none; throws 400 for an empty or too long one.
    init?(_ request: Request, caller: Caller?) throws {
        guard let field = request.header("idempotency-key") else { return nil }
        // The draft writes the key as a structured-field string (`"abc"`); a bare token is taken as it is.
        let key = field.count >= 2 && field.hasPrefix("\"") && field.hasSuffix("\"") ? String(field.dropFirst().dropLast()) : field
        guard !key.isEmpty, key.utf8.count <= Self.maximumBytes else {
            throw HTTPError(.badRequest, detail: "Idempotency-Key must be 1 to \(Self.maximumBytes) bytes")
        }
        self.caller = caller.map { "user:\($0.user.id)" } ?? "anonymous"
        self.key = key
        var hasher = SHA256()
        hasher.update(Array("\(request.method.name) \(request.path)\n".utf8))
        hasher.update(request.body)
        fingerprint = hasher.finalize()
    }

    /// The 422 for a key that answered another request, in the shape of a validation error on the header.
    var usedForAnotherRequest: HTTPError {
        let problem = "this Idempotency-Key was used with another request"
        return HTTPError(.unprocessableContent, detail: [ValidationIssue(type: "value_error", location: ["header", "idempotency-key"],
                                                                         message: "Value error, \(problem)", input: .string(key),
                                                                         context: ["error": .string(problem)]).json])
    }
}
