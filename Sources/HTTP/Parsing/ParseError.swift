/// Why a request could not be read: the status to answer with and a short reason for the client.
///
/// Every parse error ends the connection after its response, because the framing of
/// whatever follows on the wire can no longer be trusted (RFC 9112 §11.2).
public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The status of the response.
    public let status: Status
    /// Shown to the client as `detail`.
    public let reason: String

    /// An error answered with `status` and `reason`.
    public init(_ status: Status, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.code) \(reason)" }

    static func bad(_ reason: String) -> ParseError { ParseError(.badRequest, reason) }
}
