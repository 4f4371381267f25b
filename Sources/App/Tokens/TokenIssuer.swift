import Auth

/// Makes access tokens (HS256 JWTs, DESIGN §6) and refresh tokens (random, stored only as digests), with the
/// rows that record them. Issuing is pure: the caller stores `records` in the same transaction as the rest.
struct TokenIssuer: Sendable {
    /// What one issue produced.
    struct Issued: Sendable {
        let accessToken: String
        let refreshToken: OpaqueToken?
        let records: [TokenRecord]
        let scope: String
        let expiresIn: Int64
    }

    let jwt: JWT
    let settings: AuthSettings
    let clock: @Sendable () -> Int64

    /// What an issue draws by chance or from the clock, drawn before a transaction whose body issues: the body may run
    /// again (PostgreSQL runs it again as each answer comes), and must then issue the very tokens it stored.
    struct Draw: Sendable {
        let now: Int64
        let accessID: String
        let refreshID: String
        let refreshToken: OpaqueToken
    }

    /// A draw at the issuer's clock now.
    func draw() -> Draw {
        Draw(now: clock(), accessID: TokenID.make(), refreshID: TokenID.make(), refreshToken: OpaqueToken.generate())
    }

    /// An access token for `userID` with `scopes`, lasting `lifetime` seconds (the configured one by
    /// default), in `family` (a new one by default), with a refresh token of the same family if asked; its ids,
    /// secret and time are `draw`'s.
    func issue(userID: Int64, scopes: [String], family: String = TokenID.make(), lifetime: Int64? = nil,
               withRefreshToken: Bool = true, draw: Draw) -> Issued {
        let now = draw.now
        let accessLifetime = lifetime ?? settings.accessTokenLifetime
        let scope = scopes.joined(separator: " ")
        let claims = JWTClaims(subject: String(userID), issuer: settings.issuer, audience: settings.audience.map { [$0] } ?? [],
                               expiresAt: now + accessLifetime, notBefore: now, issuedAt: now, id: draw.accessID,
                               scope: scope.isEmpty ? nil : scope)
        var records = [TokenRecord(id: draw.accessID, userID: userID, kind: .access, family: family, secretDigest: nil, scope: scope,
                                   issuedAt: now, expiresAt: now + accessLifetime)]
        var refresh: OpaqueToken?
        if withRefreshToken {
            refresh = draw.refreshToken
            records.append(TokenRecord(id: draw.refreshID, userID: userID, kind: .refresh, family: family, secretDigest: draw.refreshToken.digest,
                                       scope: scope, issuedAt: now, expiresAt: now + settings.refreshTokenLifetime))
        }
        return Issued(accessToken: jwt.sign(claims), refreshToken: refresh, records: records, scope: scope, expiresIn: accessLifetime)
    }

    /// `issue(...)` with a draw made now: for a caller that issues outside a transaction's body.
    func issue(userID: Int64, scopes: [String], lifetime: Int64? = nil, withRefreshToken: Bool = true) -> Issued {
        issue(userID: userID, scopes: scopes, lifetime: lifetime, withRefreshToken: withRefreshToken, draw: draw())
    }
}

extension TokenIssuer.Issued {
    /// The RFC 6749 §5.1 response body.
    var response: TokenResponse {
        TokenResponse(accessToken: accessToken, expiresIn: expiresIn, refreshToken: refreshToken?.text ?? "", scope: scope)
    }
}
