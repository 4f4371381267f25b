import HTTP
import OpenAPI

extension HTTPError {
    /// 503 with `Retry-After: 1`: a passing condition (a database busy past its timeout, a server shutting down).
    static let retryLater = HTTPError(.serviceUnavailable, detail: "Service Unavailable", headers: [HeaderPair("retry-after", "1")])

    /// The response for errors with a meaning for clients, or nil for those that are a 500.
    static func mapping(_ error: any Error) -> HTTPError? {
        switch error {
        case let error as HTTPError: error
        case UserStoreRefusal.emailTaken: HTTPError(.conflict, detail: "Email already registered")
        case let refusal as ResourceRefusal: refusal.error
        // Another process held the write lock past the busy timeout, or the database server is unreachable: worth a
        // retry, not a bug.
        case let error where error.storeError == .busy || error.storeError == .unavailable: retryLater
        default: nil
        }
    }
}

extension ResourceRefusal {
    /// The answer: 409 for a taken unique set or a record still referenced, 422 on the field for a dangling reference.
    var error: HTTPError {
        switch self {
        case .duplicate(let resource, let fields):
            HTTPError(.conflict, detail: "A record of \(resource) with the same \(fields.joined(separator: ", ")) already exists")
        case .missingReference(let field, let target, let id):
            HTTPError(.unprocessableContent, detail: [ValidationIssue(
                type: "value_error", location: ["body", .string(field)], message: "Value error, no record of \(target) has id \(id)",
                input: .integer(id), context: ["error": .string("no record of \(target) has id \(id)")]).json])
        case .stillReferenced(let resource):
            HTTPError(.conflict, detail: "The record of \(resource) is still referenced by another record (a restrict reference)")
        }
    }
}
