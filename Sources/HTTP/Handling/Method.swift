/// The request methods `api` understands; any other token is answered 501 (RFC 9110 §9.1).
public enum Method: UInt8, Sendable, CaseIterable, Hashable {
    case get, head, post, put, patch, delete, options, trace, connect
    /// Any other valid method token (`QUERY`, `BREW`, `get`): the router answers 405 with `Allow` on a path
    /// that exists, as FastAPI does, and 501 elsewhere (RFC 9110 §9.1).
    case unknown

    /// The method token as it appears on the wire (methods are case-sensitive: `get` is not GET).
    public var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .patch: "PATCH"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .trace: "TRACE"
        case .connect: "CONNECT"
        case .unknown: "UNKNOWN"
        }
    }

    /// Recognises a method token, byte for byte.
    init?(token: UnsafeRawBufferPointer) {
        switch token.count {
        case 3:
            if token.elementsEqual("GET".utf8) { self = .get } else if token.elementsEqual("PUT".utf8) { self = .put } else { return nil }
        case 4:
            if token.elementsEqual("POST".utf8) { self = .post } else if token.elementsEqual("HEAD".utf8) { self = .head } else { return nil }
        case 5:
            if token.elementsEqual("PATCH".utf8) { self = .patch } else if token.elementsEqual("TRACE".utf8) { self = .trace } else { return nil }
        case 6:
            if token.elementsEqual("DELETE".utf8) { self = .delete } else { return nil }
        case 7:
            if token.elementsEqual("OPTIONS".utf8) { self = .options } else if token.elementsEqual("CONNECT".utf8) { self = .connect } else { return nil }
        default:
            return nil
        }
    }
}
