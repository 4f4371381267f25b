/// The `auth` section: signing secrets, token lifetimes, sign-up, password hashing and login throttling.
public struct AuthSettings: Sendable {
    /// The secret itself (`auth.secret` / `API_AUTH_SECRET`), or "".
    public var secret: String
    /// A file holding the secret, or "".
    public var secretFile: String
    /// Files with earlier secrets, still accepted for verification.
    public var retiredSecretFiles: [String]
    /// `iss` of issued tokens.
    public var issuer: String
    /// `aud` of issued tokens, or nil.
    public var audience: String?
    /// Access-token lifetime in seconds.
    public var accessTokenLifetime: Int64
    /// Refresh-token lifetime in seconds.
    public var refreshTokenLifetime: Int64
    /// Clock skew tolerated, in seconds.
    public var leeway: Int64
    /// Whether anyone may create a user.
    public var allowsSignup: Bool
    /// Argon2id memory cost of new hashes, in KiB.
    public var argon2MemoryKiB: Int
    /// Argon2id passes.
    public var argon2Iterations: Int
    /// Argon2id lanes.
    public var argon2Parallelism: Int
    /// Login attempts within a window: per (account, address) and per address before 429, per account before
    /// each further one is slowed.
    var loginThrottle: LoginThrottle.Limits
}
