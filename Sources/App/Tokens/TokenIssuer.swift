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

    /// An access token for `userID` with `scopes`, lasting `lifetime` seconds (the configured one by
    /// default), in `family` (a new one by default), with a refresh token of the same family if asked.
    func issue(userID: Int64, scopes: [String], family: String = TokenID.make(), lifetime: Int64? = nil,
               withRefreshToken: Bool = true) -> Issued {
        let now = clock()
        let accessLifetime = lifetime ?? settings.accessTokenLifetime
        let scope = scopes.joined(separator: " ")
        let accessID = TokenID.make()
        let claims = JWTClaims(subject: String(userID), issuer: settings.issuer, audience: settings.audience.map { [$0] } ?? [],
                               expiresAt: now + accessLifetime, notBefore: now, issuedAt: now, id: accessID,
                               scope: scope.isEmpty ? nil : scope)
        var records = [TokenRecord(id: accessID, userID: userID, kind: .access, family: family, secretDigest: nil, scope: scope,
                                   issuedAt: now, expiresAt: now + accessLifetime)]
        var refresh: OpaqueToken?
        if withRefreshToken {
            let token = OpaqueToken.generate()
            refresh = token
            records.append(TokenRecord(id: TokenID.make(), userID: userID, kind: .refresh, family: family, secretDigest: token.digest,
                                       scope: scope, issuedAt: now, expiresAt: now + settings.refreshTokenLifetime))
        }
        return Issued(accessToken: jwt.sign(claims), refreshToken: refresh, records: records, scope: scope, expiresIn: accessLifetime)
    }
}

extension TokenIssuer.Issued {
    /// The RFC 6749 §5.1 response body.
    var response: TokenResponse {
        TokenResponse(accessToken: accessToken, expiresIn: expiresIn, refreshToken: refreshToken?.text ?? "", scope: scope)
    }
}
