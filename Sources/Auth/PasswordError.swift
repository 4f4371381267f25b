/// Why a password could not be hashed or checked. The texts are fit to show the user who chose
/// the password (`passwordTooShort`, `passwordTooLong`) or to log (the others).
public enum PasswordError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than `PasswordHasher.passwordByteCounts.lowerBound` UTF-8 bytes.
    case passwordTooShort(minimumBytes: Int)
    /// More than `PasswordHasher.passwordByteCounts.upperBound` UTF-8 bytes; the cap keeps one
    /// request from buying an unbounded amount of BLAKE2b work.
    case passwordTooLong(maximumBytes: Int)
    /// Configured Argon2 parameters that RFC 9106 does not allow.
    case invalidParameters(String)
    /// A stored hash that is not an Argon2id PHC string this hasher can check.
    case unsupportedHash(String)

    /// One line naming the problem.
    public var description: String {
        switch self {
        case .passwordTooShort(let minimum): "password must be at least \(minimum) bytes"
        case .passwordTooLong(let maximum): "password must be at most \(maximum) bytes"
        case .invalidParameters(let reason): "invalid Argon2 parameters: \(reason)"
        case .unsupportedHash(let reason): "unsupported stored password hash: \(reason)"
        }
    }
}
