import Auth
import HTTP
import OpenAPI
import Synchronization

/// Turns a request's bearer token into a `Caller`: a valid HS256 access token (DESIGN §6), not revoked,
/// whose user still exists. Clients only ever learn "Not authenticated" or "Could not validate
/// credentials", never which check failed (expired, bad signature, revoked...).
final class Authenticator: AccessPolicy {
    private let jwt: JWT
    private let revocations: RevocationList
    private let users: UserCache
    private let store: any DataStore
    private let clock: @Sendable () -> Int64
    /// When the next poll of the `revocations` table is due (Unix seconds); the loop that moves it polls.
    private let nextPoll = Atomic<Int64>(0)
    /// Each loop's last verified token, its claims and the second it was verified in: the rate limiter reads the
    /// subject before the access check does, and one request should not verify its token twice. Reused only within
    /// that second, when the token is as valid as it was (`exp` has a resolution of seconds).
    private let lastVerified: PerLoop<(token: String, claims: JWTClaims, second: Int64)?>
    private static let pollInterval: Int64 = 1
    /// The one-use tickets that stand for a caller on the stream routes.
    let tickets: StreamTickets

    init(jwt: JWT, revocations: RevocationList, users: UserCache, store: any DataStore, loops: Int, clock: @escaping @Sendable () -> Int64) {
        self.jwt = jwt
        self.revocations = revocations
        self.users = users
        self.store = store
        self.clock = clock
        tickets = StreamTickets(clock: clock)
        lastVerified = PerLoop(count: max(1, loops)) { _ in nil }
    }

    /// The caller; throws 401 without a valid token.
    private func caller(_ request: Request, _ context: RequestContext) throws -> Caller {
        guard let caller = try optionalCaller(request, context) else { throw Self.notAuthenticated }
        return caller
    }

    /// The caller, or nil when the request carries no bearer token; throws 401 for a token that is not valid.
    private func optionalCaller(_ request: Request, _ context: RequestContext) throws -> Caller? {
        guard let token = Self.bearerToken(request) else { return try ticketCaller(request) }
        guard let claims = verified(token, loop: context.loopIndex), let tokenID = claims.id, let subject = claims.subject,
              let userID = Int64(subject) else { throw Self.invalidCredentials }
        pollRevocationsIfDue(loop: context.loopIndex)
        guard !revocations.isRevoked(tokenID, loop: context.loopIndex),
              let user = try users.user(id: userID, loop: context.loopIndex) else { throw Self.invalidCredentials }
        return Caller(user: user, scopes: claims.scopes, tokenID: tokenID, expiresAt: claims.expiresAt)
    }

    /// The caller of a stream route's `?ticket=` (`GET /R/events`, `GET /realtime`), or nil when none is given;
    /// throws 401 for a ticket that is unknown, used or expired.
    private func ticketCaller(_ request: Request) throws -> Caller? {
        guard request.method == .get, request.path.hasSuffix("/events") || request.path == "/realtime",
              let ticket = request.queryItems.first(where: { $0.name == "ticket" })?.value else { return nil }
        guard let caller = tickets.redeem(ticket) else { throw Self.invalidCredentials }
        return caller
    }

    /// The `AccessPolicy` of the API: who is calling, and whether `access` lets them (401 without a valid token
    /// where one is needed, 403 for a caller the rule refuses). For `subjectOrAdmin`, a path value that is not an id
    /// is left to validation (422), as FastAPI checks the caller before the parameters; an id in any form validation
    /// accepts (`1.0`, `+1`) is compared as the id it is.
    func authorize(_ access: Access, _ request: Request, _ context: RequestContext) throws -> (any Sendable)? {
        switch access {
        case .anyone:
            return nil
        case .optionalToken:
            return try optionalCaller(request, context)
        case .token:
            return try caller(request, context)
        case .admin:
            return try caller(request, context).allowed { $0.user.isAdmin }
        case .scope(let scope):
            return try caller(request, context).allowed { $0.scopes.contains(scope) }
        case .subjectOrAdmin(let parameter):
            let named = Access.subjectID(parameter, in: context)
            return try caller(request, context).allowed { caller in named.map(caller.mayAct) ?? true }
        }
    }

    /// The user id a request's bearer token names, when this server signed it and it is valid now (revocation and the
    /// user's existence are the access check's business); for keying rate limits on the caller.
    func subject(of request: Request, loop: Int) -> String? {
        Self.bearerToken(request).flatMap { verified($0, loop: loop)?.subject }
    }

    /// The claims of `token` if it verifies, remembering the last one per loop.
    private func verified(_ token: String, loop: Int) -> JWTClaims? {
        let now = clock()
        if let last = lastVerified[loop], last.second == now, last.token == token { return last.claims }
        guard let claims = try? jwt.verify(token) else { return nil }
        lastVerified[loop] = (token, claims, now)
        return claims
    }

    /// The claims of a token this server signed that is valid now, or nil (for revocation requests).
    func verifiedClaims(_ token: String) -> JWTClaims? {
        try? jwt.verify(token)
    }

    /// Reads revocations made by other processes (`api token revoke`, other instances) about once a second, on the
    /// calling loop's connection; one loop wins each round. On PostgreSQL the answer comes later: this request is
    /// checked against what is known, and later ones against the answer.
    func pollRevocationsIfDue(loop: Int) {
        let now = clock()
        let due = nextPoll.load(ordering: .relaxed)
        guard now >= due, nextPoll.compareExchange(expected: due, desired: now + Self.pollInterval, ordering: .relaxed).exchanged else { return }
        pollRevocations(loop: loop)
    }

    /// Reads the revocations past the last one seen now, on `loop`'s connection (its thread): what the database's
    /// doorbell asks for when another instance revokes (`DataStore.onRevocationsElsewhere`).
    func pollRevocations(loop: Int) {
        let now = clock(), revocations = self.revocations, after = revocations.lastSequence
        store.read(on: loop, { transaction in try transaction.tokens.revocations(after: after, at: now) }) { outcome in
            guard case .success(let found) = outcome else { return }
            revocations.merge(found.entries, upTo: found.last, now: now)
        }
    }

    /// Merges the `revocations` rows past the last one seen.
    func loadRevocations(from transaction: any Transaction, now: Int64) throws {
        let (entries, last) = try transaction.tokens.revocations(after: revocations.lastSequence, at: now)
        revocations.merge(entries, upTo: last, now: now)
    }

    // MARK: - Errors (FastAPI's words, with `WWW-Authenticate: Bearer`, RFC 6750 §3)

    static let notAuthenticated = HTTPError(.unauthorized, detail: "Not authenticated", headers: [HeaderPair("www-authenticate", "Bearer")])
    static let invalidCredentials = HTTPError(.unauthorized, detail: "Could not validate credentials",
                                              headers: [HeaderPair("www-authenticate", "Bearer")])
    static let forbidden = HTTPError(.forbidden, detail: "Not enough permissions")

    /// The token of `Authorization: Bearer TOKEN` (RFC 6750 §2.1; the scheme in any case, RFC 9110 §11.1), or
    /// nil. Read from the header's bytes: this runs on every authenticated request, and Character-wise string
    /// work here was a tenth of the token check.
    private static func bearerToken(_ request: Request) -> String? {
        guard var value = request.header("authorization") else { return nil }
        return value.withUTF8 { bytes -> String? in
            let scheme = "bearer".utf8
            guard bytes.count > scheme.count, bytes[scheme.count] == UInt8(ascii: " "),
                  zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }   // ASCII lower case
            let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            var start = scheme.count + 1, end = bytes.count
            while start < end, isBlank(bytes[start]) { start += 1 }
            while end > start, isBlank(bytes[end - 1]) { end -= 1 }
            return start < end ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) : nil
        }
    }
}
