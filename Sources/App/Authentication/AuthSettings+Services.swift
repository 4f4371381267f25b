import Auth

extension AuthSettings {
    /// The password hasher with these Argon2id costs; `serve` and `api user add` hash alike.
    /// - Throws: `AppError` (exit 2) when RFC 9106 forbids the costs.
    func makeHasher() throws(AppError) -> PasswordHasher {
        do {
            return try PasswordHasher(memoryKiB: argon2MemoryKiB, iterations: argon2Iterations, parallelism: argon2Parallelism)
        } catch {
            throw AppError("auth.argon2: \(error)", exitCode: 2)
        }
    }

    /// The HS256 signer and verifier for `keys` with this issuer, audience and leeway; `serve` and `api token
    /// issue` sign alike.
    func makeJWT(keys: JWTKeySet, clock: @escaping @Sendable () -> Int64) -> JWT {
        JWT(keys: keys, issuer: issuer, audience: audience, leeway: leeway, clock: clock)
    }
}
