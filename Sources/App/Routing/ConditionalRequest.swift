import HTTP
import OpenAPI

/// Conditional requests (RFC 9110 §13) on records that count their versions (users and resources): the version is the
/// record's strong `ETag`; `If-None-Match` makes a read 304, `If-Match` makes a change 412 once the record has moved
/// on. A change checks its condition inside the transaction that writes, so no other change slips between.
enum ConditionalRequest {
    /// The validators are the server's own tokens: `x-opaque` tells tools not to make them up.
    static let ifNoneMatch = Parameter<String?>.header("if-none-match", Schema.string().extended("x-opaque", true).orNull, default: .null,
                                                       description: "An `ETag` read before: 304, with no body, while the record still has it.")
    static let ifMatch = Parameter<String?>.header("if-match", Schema.string().extended("x-opaque", true).orNull, default: .null, description: """
        The `ETag` of the record as the client read it: the change is made only if the record still has it, else 412 \
        (so two clients cannot overwrite each other's changes); `*` for any current record.
        """)
    static let preconditionFailed = HTTPError(.preconditionFailed, detail: "Precondition Failed")
    static let changedDescription = "The record changed since the `If-Match` tag was read"

    /// The entity tag of a record at `version`.
    static func tag(version: Int64) -> EntityTag {
        EntityTag(String(version))
    }

    /// The request's `If-Match`, if it has one.
    static func ifMatch(_ input: OperationInput) -> EntityTagCondition? {
        input[ifMatch].map(EntityTagCondition.init(parsing:))
    }

    /// Throws 412 unless `condition` (the request's `If-Match`) holds for the record at `version`.
    static func check(_ condition: EntityTagCondition?, version: Int64) throws {
        if let condition, !condition.ifMatch(tag(version: version)) { throw preconditionFailed }
    }

    /// `response` (the record at `version`), or 304 when the request's `If-None-Match` names that version; with its tag.
    static func answer(_ response: Response, version: Int64, to input: OperationInput) -> Response {
        if let condition = input[ifNoneMatch].map(EntityTagCondition.init(parsing:)), !condition.ifNoneMatch(tag(version: version)) {
            return tagged(Response(status: .notModified), version: version)
        }
        return tagged(response, version: version)
    }

    /// `response` with the `ETag` of the record at `version`.
    static func tagged(_ response: Response, version: Int64) -> Response {
        var response = response
        response.headers.append(HeaderPair("etag", tag(version: version).fieldValue))
        return response
    }
}
