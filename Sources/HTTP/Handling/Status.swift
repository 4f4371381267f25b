/// An HTTP status code with its reason phrase.
public struct Status: Hashable, Sendable, CustomStringConvertible {
    /// The three-digit code.
    public let code: Int
    /// The reason phrase sent on the status line.
    public let reasonPhrase: String

    /// A status with `code` and `reasonPhrase`.
    public init(code: Int, reasonPhrase: String) {
        self.code = code
        self.reasonPhrase = reasonPhrase
    }

    public var description: String { "\(code) \(reasonPhrase)" }

    /// `true` for 1xx, 204 and 304, which never carry a body (RFC 9110 §6.4.1).
    public var forbidsBody: Bool { code < 200 || code == 204 || code == 304 }

    public static let switchingProtocols = Status(code: 101, reasonPhrase: "Switching Protocols")
    public static let ok = Status(code: 200, reasonPhrase: "OK")
    public static let created = Status(code: 201, reasonPhrase: "Created")
    public static let noContent = Status(code: 204, reasonPhrase: "No Content")
    public static let notModified = Status(code: 304, reasonPhrase: "Not Modified")
    public static let badRequest = Status(code: 400, reasonPhrase: "Bad Request")
    public static let unauthorized = Status(code: 401, reasonPhrase: "Unauthorized")
    public static let forbidden = Status(code: 403, reasonPhrase: "Forbidden")
    public static let notFound = Status(code: 404, reasonPhrase: "Not Found")
    public static let methodNotAllowed = Status(code: 405, reasonPhrase: "Method Not Allowed")
    public static let requestTimeout = Status(code: 408, reasonPhrase: "Request Timeout")
    public static let conflict = Status(code: 409, reasonPhrase: "Conflict")
    public static let preconditionFailed = Status(code: 412, reasonPhrase: "Precondition Failed")
    public static let contentTooLarge = Status(code: 413, reasonPhrase: "Content Too Large")
    public static let uriTooLong = Status(code: 414, reasonPhrase: "URI Too Long")
    public static let unsupportedMediaType = Status(code: 415, reasonPhrase: "Unsupported Media Type")
    public static let expectationFailed = Status(code: 417, reasonPhrase: "Expectation Failed")
    public static let unprocessableContent = Status(code: 422, reasonPhrase: "Unprocessable Content")
    public static let upgradeRequired = Status(code: 426, reasonPhrase: "Upgrade Required")
    public static let tooManyRequests = Status(code: 429, reasonPhrase: "Too Many Requests")
    public static let headerFieldsTooLarge = Status(code: 431, reasonPhrase: "Request Header Fields Too Large")
    public static let internalServerError = Status(code: 500, reasonPhrase: "Internal Server Error")
    public static let notImplemented = Status(code: 501, reasonPhrase: "Not Implemented")
    public static let serviceUnavailable = Status(code: 503, reasonPhrase: "Service Unavailable")
    public static let httpVersionNotSupported = Status(code: 505, reasonPhrase: "HTTP Version Not Supported")
}
