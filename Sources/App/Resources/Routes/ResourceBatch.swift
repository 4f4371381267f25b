import HTTP
import JSON
import OpenAPI

/// `POST /R/batch` (issue 17): up to 100 creates, updates and deletes in one transaction, all or nothing. The body is a
/// discriminated union on `op`, so each item is validated with its operation's body (every problem of every item at
/// once, `loc` naming the item's index and its `op`), then run with its operation's rule and `if_match`; the first item
/// the rules or the data refuse undoes the whole batch, and the answer names that item's index.
struct ResourceBatch: Sendable {
    static let maximumItems = 100

    /// One validated item.
    enum Item: Sendable {
        case create(JSONObject)
        case update(Int64, JSONObject, EntityTagCondition?)
        case delete(Int64, EntityTagCondition?)
    }

    private let declaration: ResourceDeclaration
    private let schemas: ResourceSchemas
    /// `TitleBatch`, the body.
    let body: ModelSchema
    /// `TitleBatchResults`, the answer.
    let results: ModelSchema

    init(_ declaration: ResourceDeclaration, schemas: ResourceSchemas) {
        self.declaration = declaration
        self.schemas = schemas
        let name = declaration.componentName
        let id = Property("id", Schema.integer(minimum: 1, maximum: Int64.max).strict.described("The record."))
        // The tag is the server's: tools must not make one up (`x-opaque`).
        let ifMatch = Property("if_match", Schema.string().extended("x-opaque", true).orNull
            .described("An `ETag` read before: the item fails with 412 once the record has changed."), default: .null)
        let create = ModelSchema(name + "BatchCreate", [Property("op", .oneOf(["create"])), Property("data", Schema(kind: .model(schemas.create)))])
        let update = ModelSchema(name + "BatchUpdate", [Property("op", .oneOf(["update"])), id, Property("data", Schema(kind: .model(schemas.update))),
                                                        ifMatch])
        let delete = ModelSchema(name + "BatchDelete", [Property("op", .oneOf(["delete"])), id, ifMatch])
        body = ModelSchema(name + "Batch", [
            Property("operations", .array(of: .tagged(by: "op", [TaggedVariant("create", create), TaggedVariant("update", update),
                                                                  TaggedVariant("delete", delete)]),
                                          minItems: 1, maxItems: Self.maximumItems)),
        ])
        let result = ModelSchema(name + "BatchResult", [
            Property("status", Schema.integer().described("201, 200 or 204: what the item alone would have answered.")),
            Property("record", Schema(kind: .model(schemas.read)).orNull.described("The record as written; null for a delete.")),
        ])
        results = ModelSchema(name + "BatchResults", [Property("results", .array(of: Schema(kind: .model(result))))])
    }

    /// The items of a body its schema validated (each item by its `op`'s model, every problem at once).
    static func items(of body: JSONValue) -> [Item] {
        (body["operations"]?.arrayValue ?? []).compactMap { operation in
            let id = operation["id"]?.intValue, ifMatch = operation["if_match"]?.stringValue.map(EntityTagCondition.init(parsing:))
            let data = operation["data"]?.objectValue ?? [:]
            switch (operation["op"]?.stringValue, id) {
            case ("create", _): return .create(data)
            case ("update", let id?): return .update(id, data, ifMatch)
            case ("delete", let id?): return .delete(id, ifMatch)
            default: return nil            // the schema admits no other
            }
        }
    }

    /// Runs `items` in order on `store` (inside one write transaction) for `caller`; the results, or the failure of the
    /// first item refused (which the caller throws, undoing the others).
    func run(_ items: [Item], on store: any ResourceStore, caller: Caller?, now: String) throws -> JSONValue {
        var results: [JSONValue] = []
        for (index, item) in items.enumerated() {
            do {
                let (status, record) = try perform(item, on: store, caller: caller, now: now)
                results.append(["status": .integer(Int64(status)), "record": record.map(JSONValue.object) ?? .null])
            } catch {
                throw Self.failure(of: index, error)
            }
        }
        return ["results": .array(results)]
    }

    private func perform(_ item: Item, on store: any ResourceStore, caller: Caller?, now: String) throws -> (Int, JSONObject?) {
        let filterCaller = caller?.filterCaller
        switch item {
        case .create(let values):
            var candidate = values
            if let caller, declaration.hasOwner { candidate["owner_id"] = .integer(caller.user.id) }
            guard declaration.rule(.create).allows(candidate, caller: filterCaller, now: now) else { throw Authenticator.forbidden }
            return (201, try store.insert(values, ownerID: caller?.user.id, at: now))
        case .update(let id, let changes, let ifMatch):
            guard try declaration.recordToChange(id, .update, in: store, caller: filterCaller, now: now, ifMatch: ifMatch) != nil else {
                throw declaration.notFound
            }
            return (200, try store.update(id: id, setting: changes, at: now))
        case .delete(let id, let ifMatch):
            guard try declaration.recordToChange(id, .delete, in: store, caller: filterCaller, now: now, ifMatch: ifMatch) != nil else {
                throw declaration.notFound
            }
            _ = try store.delete(id: id)
            return (204, nil)
        }
    }

    /// The answer for item `index` failing with `error`: its status, and its problem with the item's place in `loc`
    /// (a field's problem keeps the field: `["body", "operations", 56, "data", "lead"]`). A server error stays one.
    static func failure(of index: Int, _ error: any Error) -> any Error {
        guard let mapped = HTTPError.mapping(error) else { return error }
        let at: [JSONValue] = ["body", "operations", .integer(Int64(index))]
        let problems: [JSONValue]
        if let issues = mapped.detail.arrayValue {
            problems = issues.map { issue in
                guard var object = issue.objectValue else { return issue }
                object["loc"] = .array(at + ["data"] + (object["loc"]?.arrayValue?.dropFirst() ?? []))   // ["body", field]
                return .object(object)
            }
        } else {
            let kind = mapped.status.reasonPhrase.lowercased().split(separator: " ").joined(separator: "_")
            problems = [["type": .string(kind), "loc": .array(at), "msg": mapped.detail]]
        }
        return HTTPError(mapped.status, detail: .array(problems), headers: mapped.headers)
    }
}
