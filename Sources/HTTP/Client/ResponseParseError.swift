/// Why a response could not be read. The connection it came on can no longer be trusted and must be closed,
/// because the framing of whatever follows is unknown (RFC 9112 §11.2).
public struct ResponseParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A short reason, for error counts and messages.
    public let reason: String

    /// An error with `reason`.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
