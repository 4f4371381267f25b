import Auth
import Dispatch
import HTTP
import OpenAPI

/// OAuth2 token endpoints: `POST /token` (password grant, RFC 6749 §4.3, and refresh grant, §6, with
/// rotation and reuse detection) and `POST /token/revoke` (RFC 7009).
struct TokenRoutes: Sendable {
    let services: Services

    /// What exchanging a refresh token came to, decided inside one write transaction.
    private enum Exchange: Sendable {
        case issued(TokenIssuer.Issued)
        /// Unknown or expired token, or its user is gone.
        case invalid
        /// A token already exchanged or revoked came back: it was stolen or replayed, so its whole family
        /// has been revoked (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
        case reused([Revocation])
    }

    private static let badCredentials = HTTPError(.badRequest, detail: "Incorrect username or password")
    private static let invalidRefreshToken = HTTPError(.badRequest, detail: "Invalid refresh token")
    /// RFC 6749 §5.1: token responses must not be cached.
    private static let noStore = [HeaderPair("cache-control", "no-store"), HeaderPair("pragma", "no-cache")]

    /// Adds the routes to `api`.
    func register(on api: inout API) {
        api.add(Operation(.post, "/token", id: "issue_token", summary: "Log in or refresh", description: """
            `grant_type=password` (the default) with `username` (the email) and `password`, or `grant_type=refresh_token` with \
            `refresh_token`. Each refresh token works once: using it again revokes every token of that login. Failed logins \
            are throttled per account and per client address.
            """, tags: ["auth"])
            .response(.ok, TokenResponse.self, description: "An access token and a refresh token")
            .error(.badRequest, "Incorrect username or password, or an invalid refresh token")
            .error(.tooManyRequests, "Too many failed logins; retry after `Retry-After` seconds")
            .error(.serviceUnavailable, "Too many logins are waiting for a password-hashing thread; retry"),
                body: TokenForm.self, encoding: .form, handler: issue)

        api.add(Operation(.post, "/token/revoke", id: "revoke_token", summary: "Revoke a token", description: """
            Revokes an access or refresh token of the caller (an admin may revoke anyone's); a refresh token takes \
            every token of its login with it. As RFC 7009 says, an unknown or invalid token is not an error.
            """, tags: ["auth"])
            .response(.ok, description: "Revoked, or nothing to revoke")
            .access(.token), body: RevocationForm.self, encoding: .form, handler: revoke)
    }

    // MARK: - POST /token

    private func issue(_ form: TokenForm, _ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        if form.grantType == "refresh_token" {
            guard let token = form.refreshToken, !token.isEmpty else { throw Self.missing("refresh_token") }
            return refresh(token)
        }
        guard let username = form.username else { throw Self.missing("username") }
        guard let password = form.password else { throw Self.missing("password") }
        return try login(username: username, password: password, scope: form.scope, input, context)
    }

    /// The password grant: throttle, read the account, verify on the worker pool, then commit the tokens.
    private func login(username: String, password: String, scope: String, _ input: OperationInput, _ context: RequestContext) throws -> Response {
        let account = UserRecord.emailKey(username)
        let address = context.clientAddress
        let delay: Int64
        switch services.throttle.admit(account: account, address: address) {
        case .refused(let wait):
            services.metrics.countLogin(.throttled)
            throw HTTPError(.tooManyRequests, detail: "Too many failed login attempts; try again later",
                            headers: [HeaderPair("retry-after", String(wait))])
        case .admitted(let milliseconds):
            delay = milliseconds
        }
        let services = self.services
        return try services.store.reading(context) { transaction in
            try transaction.users.credentials(email: username)
        } then: { credentials in
            Self.verify(password, against: credentials, account: account, address: address, scope: scope, delay: delay, services)
        }
    }

    /// Checks `password` on the worker pool (against a dummy hash when there is no such account), then commits the
    /// tokens of a success; answers no sooner than `delay` milliseconds.
    private static func verify(_ password: String, against credentials: (user: UserRecord, passwordHash: String)?, account: String,
                               address: String, scope: String, delay: Int64, _ services: Services) -> Response {
        .later(.onWorkerPool) { answer in
            let complete = Self.slowed(answer, by: delay)
            let hasher = services.hasher
            // Unknown accounts are checked against a dummy hash, so timing does not tell which accounts exist.
            guard let credentials, (try? hasher.verify(Array(password.utf8), against: credentials.passwordHash)) == true else {
                if credentials == nil { _ = try? hasher.verify(Array(password.utf8), against: nil) }
                services.metrics.countLogin(.failure)
                complete(Self.badCredentials.response)
                return
            }
            services.throttle.succeeded(account: account, address: address)
            services.metrics.countLogin(.success)
            let user = credentials.user
            let rehash = hasher.needsRehash(credentials.passwordHash) ? try? hasher.hash(Array(password.utf8)) : nil
            let issued = services.issuer.issue(userID: user.id, scopes: Scopes.granted(scope, to: user))
            services.store.commit({ transaction in
                for record in issued.records { try transaction.tokens.insert(record) }
                if let rehash { try transaction.users.setPasswordHash(rehash, of: user.id) }
            }, answering: complete) { _ in
                services.metrics.countIssued(access: 1, refresh: 1)
                return try .json(.ok, issued.response, headers: Self.noStore)
            }
        }
    }

    /// `complete`, or while an account is being slowed (`LoginThrottle`), a completion that answers `milliseconds`
    /// later, from a timer rather than a sleeping worker thread.
    private static func slowed(_ complete: ResponseCompletion, by milliseconds: Int64) -> ResponseCompletion {
        guard milliseconds > 0 else { return complete }
        return ResponseCompletion { outcome in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(milliseconds))) { complete.complete(outcome) }
        }
    }

    /// The refresh grant, decided and committed in one transaction, so two uses of one token cannot both win.
    private func refresh(_ token: String) -> Response {
        let digest = OpaqueToken.digest(of: token), services = self.services, draw = services.issuer.draw()
        return services.store.committing { transaction in
            try Self.exchange(digest, services: services, draw: draw, in: transaction)
        } then: { exchange in
            switch exchange {
            case .issued(let issued):
                services.metrics.countIssued(access: 1, refresh: 1)
                return try .json(.ok, issued.response, headers: Self.noStore)
            case .reused(let revoked):
                services.revoked(revoked)
                throw Self.invalidRefreshToken
            case .invalid:
                throw Self.invalidRefreshToken
            }
        }
    }

    private static func exchange(_ digest: [UInt8], services: Services, draw: TokenIssuer.Draw, in transaction: any Transaction) throws -> Exchange {
        let now = draw.now, tokens = transaction.tokens
        guard let token = try tokens.refreshToken(digest: digest) else { return .invalid }
        guard token.usedAt == nil, token.revokedAt == nil else { return .reused(try tokens.revokeFamily(token.family, at: now)) }
        guard token.expiresAt > now, let user = try transaction.users.user(id: token.userID),
              try tokens.markUsed(token.id, at: now) else { return .invalid }
        // The scopes are granted again: a user who lost admin loses `metrics` at the next refresh.
        let issued = services.issuer.issue(userID: user.id, scopes: Scopes.granted(token.scope, to: user), family: token.family, draw: draw)
        for record in issued.records { try tokens.insert(record) }
        return .issued(issued)
    }

    // MARK: - POST /token/revoke

    private func revoke(_ form: RevocationForm, _ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let caller = input.caller
        // A JWT this server signed names its id; anything else is looked up as a refresh token. An expired or
        // foreign JWT needs no revocation.
        let accessTokenID = services.authenticator.verifiedClaims(form.token)?.id
        let digest = OpaqueToken.digest(of: form.token), time = services.time, services = self.services
        return services.store.committing { transaction -> [Revocation] in
            let tokens = transaction.tokens
            let token = try accessTokenID.map { try tokens.token(id: $0) } ?? tokens.refreshToken(digest: digest)
            guard let token, caller.mayAct(on: token.userID) else { return [] }
            return try tokens.revokeToken(token.id, at: time.wallSeconds())
        } then: { revoked in
            services.revoked(revoked)
            return Response(status: .ok)
        }
    }

    /// The 422 FastAPI gives for a form field its grant needs, in Pydantic's shape.
    private static func missing(_ field: String) -> HTTPError {
        HTTPError(.unprocessableContent, detail: [["type": "missing", "loc": ["body", .string(field)], "msg": "Field required",
                                                   "input": .null]])
    }
}
