import JSON

/// One entry of the change log (DESIGN §11): a record of a resource created, updated or deleted, as committed.
struct Change: Sendable {
    /// What happened to the record.
    enum Operation: String, Sendable {
        case created, updated, deleted
    }

    /// The sequence number: the event id of every stream, growing in commit order.
    let sequence: Int64
    /// The resource's name.
    let resource: String
    let recordID: Int64
    let operation: Operation
    /// The record as written; a deleted record as it was.
    let record: JSONObject
    /// An updated record as it was before; nil for the other operations.
    let previous: JSONObject?
    /// The user whose request made the change; nil for an anonymous request or a command.
    let actor: Int64?
    /// The `X-Request-ID` of that request; nil for a command.
    let requestID: String?
    /// When the change was made (RFC 3339, UTC).
    let at: String
}
