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
    /// Failed logins per account within `throttleWindow` before 429.
    public var accountFailureLimit: Int
    /// Failed logins per client address within `throttleWindow` before 429.
    public var addressFailureLimit: Int
    /// The throttling window in seconds.
    public var throttleWindow: Int64
}
