/// A revoked token id, kept until the token would have expired anyway.
struct Revocation: Sendable, Equatable {
    let tokenID: String
    let expiresAt: Int64
}
