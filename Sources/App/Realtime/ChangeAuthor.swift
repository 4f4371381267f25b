import HTTP
import OpenAPI

/// Who made the changes of a write, as the change log records them (`actor`, `request_id`).
struct ChangeAuthor: Sendable {
    /// The user whose request it is; nil for an anonymous one.
    let userID: Int64?
    /// The request's `X-Request-ID`.
    let requestID: String

    /// The caller of `input` (if any) and the request of `context`.
    init(_ input: OperationInput, _ context: RequestContext) {
        userID = input.optionalCaller?.user.id
        requestID = context.requestID
    }
}
