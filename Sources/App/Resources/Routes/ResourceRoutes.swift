import HTTP
import JSON
import OpenAPI

/// The endpoints of one resource declared in the configuration (DESIGN §10), declared through the same operation
/// layer as the built-in routes: `POST /R/`, `GET /R/`, `GET /R/{id}`, `PATCH /R/{id}`, `PUT /R/{id}`,
/// `DELETE /R/{id}`. An operation whose rule is `nobody` is not served at all.
///
/// Rules: keywords are enforced before the handler (`ResourceRule.access`); a filter rule is checked on the record,
/// inside the write's transaction for changes. A record the rule hides answers 404, so a caller learns nothing of
/// its existence, unless they may read it: then the refusal is a 403.
struct ResourceRoutes: Sendable {
    let declaration: ResourceDeclaration
    let services: Services
    private let schemas: ResourceSchemas
    private let listParameters: ResourceListParameters
    private let batch: ResourceBatch

    static let recordID = Parameter<Int64>.path("id", .integer(minimum: 1, maximum: Int64.max), description: "The record's id.")
    /// Documented only: read by `IdempotencyKey`, which checks it (400 past 255 bytes). A client's own name for a request.
    static let idempotencyKey = Parameter<String?>.header("idempotency-key", Schema.string().extended("x-opaque", true).orNull, default: .null,
                                                          description: """
        A name the client gives this request (draft-ietf-httpapi-idempotency-key-header; up to 255 bytes): a retry with \
        the same key and body gets the first answer again (`Idempotent-Replayed: true`) for 24 hours, with no second \
        record; the same key with another body is 422, and while the first is still being answered 409.
        """)

    init(_ declaration: ResourceDeclaration, services: Services) {
        self.declaration = declaration
        self.services = services
        schemas = ResourceSchemas(declaration)
        listParameters = ResourceListParameters(declaration)
        batch = ResourceBatch(declaration, schemas: schemas)
    }

    /// Adds the resource's operations to `api`.
    func register(on api: inout API) {
        let name = declaration.name, title = declaration.title, tags = [name]
        let collection = "/\(name)/", item = "/\(name)/{id}", record = Schema(kind: .model(schemas.read))
        let uniqueTaken = "A record with the same values of a `unique` set of fields exists"
        if let rule = served(.create) {
            api.add(documented(Operation(.post, collection, id: "create_\(name)", summary: "Create a \(title)", tags: tags)
                .parameter(Self.idempotencyKey)
                .response(.created, schema: record, description: "The record; `Location` is its URL, `ETag` its version")
                .error(.badRequest, "The `Idempotency-Key` is empty or longer than 255 bytes")
                .error(.conflict, uniqueTaken + ", or a request with the same `Idempotency-Key` is still being answered"), rule, onRecord: false),
                    body: schemas.create, handler: create)
        }
        if let rule = served(.list) {
            let listing = Operation(.get, collection, id: "list_\(name)", summary: "List \(name)",
                                    description: "The records the caller may read, a page at a time.", tags: tags)
            api.add(documented(listParameters.declare(on: listing).response(.ok, schema: Schema(kind: .model(schemas.page))), rule, onRecord: false),
                    handler: list)
        }
        if let rule = served(.read) {
            let events = EventStreamRoutes(declaration: declaration, services: services, parameters: listParameters)
            api.add(documented(events.operation, rule, onRecord: false), handler: events.stream)
            api.add(documented(Operation(.get, item, id: "read_\(name)", summary: "Read a \(title)", tags: tags)
                .parameter(Self.recordID).parameter(ConditionalRequest.ifNoneMatch)
                .response(.ok, schema: record, description: "The record; `ETag` is its version")
                .response(.notModified, description: "The record still has the `If-None-Match` tag"), rule, onRecord: true), handler: read)
        }
        if let rule = served(.update) {
            let patch = Operation(.patch, item, id: "update_\(name)", summary: "Update a \(title)",
                                  description: "Changes the fields given; `null` clears an optional field.", tags: tags)
            let put = Operation(.put, item, id: "replace_\(name)", summary: "Replace a \(title)",
                                description: "Sets every field; those left out take their default.", tags: tags)
            for (operation, body) in [(patch, schemas.update), (put, schemas.create)] {
                api.add(documented(conditional(operation).response(.ok, schema: record, description: "The record; `ETag` is its new version")
                    .error(.conflict, uniqueTaken), rule, onRecord: true), body: body, handler: update)
            }
        }
        registerBatch(on: &api)
        if let rule = served(.delete) {
            api.add(documented(conditional(Operation(.delete, item, id: "delete_\(name)", summary: "Delete a \(title)", tags: tags))
                .response(.noContent, description: "Deleted")
                .error(.conflict, "A `restrict` reference of another record names this one"), rule, onRecord: true), handler: delete)
        }
    }

    /// `POST /R/batch`, when the resource can be changed at all: a token is needed, and each item meets its own rule.
    private func registerBatch(on api: inout API) {
        let name = declaration.name
        guard [.create, .update, .delete].contains(where: { served($0) != nil }) else { return }
        api.add(Operation(.post, "/\(name)/batch", id: "batch_\(name)", summary: "Change \(name) in one transaction", description: """
            Up to \(ResourceBatch.maximumItems) creates, updates and deletes, all or nothing. Every item is validated first by \
            its `op` (a 422 lists every problem, `loc` naming the item's index and op); then the first item the rules or the \
            data refuse (403, 404, 409, 412, 422) undoes the whole batch, and the answer names its index in `loc`.
            """, tags: [name])
            .response(.ok, schema: Schema(kind: .model(batch.results)), description: "Each item's result, in order")
            .problems(.forbidden, "An item's rule refuses the caller").problems(.notFound, "An item's record does not exist, or is hidden")
            .problems(.conflict, "An item repeats a `unique` set of fields, or deletes a record still referenced")
            .problems(.preconditionFailed, "An item's record changed since its `if_match` tag was read")
            .access(.token), body: batch.body, handler: runBatch)
    }

    private func runBatch(_ body: JSONValue, _ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let items = ResourceBatch.items(of: body), caller = input.caller, now = services.time.timestamp()
        let declaration = self.declaration, batch = self.batch, author = ChangeAuthor(input, context)
        return services.store.committing { transaction in
            try transaction.attributeChanges(to: author)
            return try batch.run(items, on: transaction.resource(declaration), caller: caller, now: now)
        } then: { results in .json(.ok, results) }
    }

    /// An operation on one record that changes it: the id, and `If-Match` with its 412.
    private func conditional(_ operation: Operation) -> Operation {
        operation.parameter(Self.recordID).parameter(ConditionalRequest.ifMatch)
            .error(.preconditionFailed, ConditionalRequest.changedDescription)
    }

    /// The rule of `operation`, or nil when it is `nobody` (the operation is not served).
    private func served(_ operation: ResourceRule.Operation) -> ResourceRule? {
        let rule = declaration.rule(operation)
        return rule == .nobody ? nil : rule
    }

    /// `operation` with its access and the answers the rule implies.
    private func documented(_ operation: Operation, _ rule: ResourceRule, onRecord: Bool) -> Operation {
        var operation = operation
        if onRecord { operation = operation.error(.notFound, "No such record, or one the caller may not see") }
        if rule.access == .optionalToken { operation = operation.error(.unauthorized, "A token was sent and is not valid") }
        if declaration.hasOwner && operation.method == .post { operation = operation.error(.unauthorized, "A record with an owner needs a token") }
        // A filter rule hides what the caller may not read (404), and refuses a change of what they may read (403).
        if case .filter = rule, operation.method != .get { operation = operation.error(.forbidden, "The rule refuses the caller") }
        return operation.access(rule.access)
    }

    // MARK: - Handlers

    private func create(_ body: JSONValue, _ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let caller = input.optionalCaller, now = services.time.timestamp(), declaration = self.declaration
        if declaration.hasOwner && caller == nil { throw Authenticator.notAuthenticated }
        let values = body.objectValue ?? [:]
        var candidate = values
        if let caller, declaration.hasOwner { candidate["owner_id"] = .integer(caller.user.id) }
        guard declaration.rule(.create).allows(candidate, caller: caller?.filterCaller, now: now) else { throw Authenticator.forbidden }
        let author = ChangeAuthor(input, context)
        let write: @Sendable (any Transaction) throws -> Response = { transaction in
            try transaction.attributeChanges(to: author)
            let record = try transaction.resource(declaration).insert(values, ownerID: caller?.user.id, at: now)
            var response = Self.response(.created, record)
            response.headers.append(HeaderPair("location", "/\(declaration.name)/\(record["id"]?.intValue ?? 0)"))
            return response
        }
        if let key = try IdempotencyKey(input.request, caller: caller) { return try services.idempotent(key, context, write: write) }
        return services.store.committing(write) { $0 }
    }

    private func list(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let caller = input.optionalCaller?.filterCaller, now = services.time.timestamp(), declaration = self.declaration
        let request = try listParameters.read(input, of: declaration, rule: declaration.rule(.list).listFilter, caller: caller, now: now)
        let limit = input[Pagination.limit]
        return try services.store.reading(context) { transaction in
            let store = transaction.resource(declaration)
            let rows = try store.page(request.query)
            return (rows, request.wantsCount ? try store.count(request.query.filter, caller: caller, now: now) : nil)
        } then: { rows, total in
            let items = rows.prefix(limit)
            var page: JSONObject = ["items": .array(items.map { .object(Self.selecting(request.fields, of: $0)) })]
            let next = rows.count > limit ? items.last.map { ResourceCursor(after: $0, sort: request.query.sort).text(sortText: request.sortText) } : nil
            page["next_cursor"] = next.map(JSONValue.string) ?? .null
            if let total { page["total"] = .integer(Int64(total)) }
            return .json(.ok, .object(page))
        }
    }

    private func read(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let id = input[Self.recordID], caller = input.optionalCaller?.filterCaller, now = services.time.timestamp()
        let declaration = self.declaration
        return try services.store.reading(context) { transaction in try transaction.resource(declaration).record(id: id) } then: { record in
            guard let record, declaration.rule(.read).allows(record, caller: caller, now: now) else { throw declaration.notFound }
            return ConditionalRequest.answer(.json(.ok, .object(record)), version: Self.version(of: record), to: input)
        }
    }

    /// `PATCH` (the fields given) and `PUT` (every field, defaults filled in by validation).
    private func update(_ body: JSONValue, _ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let changes = body.objectValue ?? [:]
        return changing(input[Self.recordID], .update, input, context) { store, id, now in try store.update(id: id, setting: changes, at: now) } then: { record in
            Self.response(.ok, record)
        }
    }

    private func delete(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        changing(input[Self.recordID], .delete, input, context) { store, id, _ in try store.delete(id: id) ? [:] : nil } then: { _ in
            Response(status: .noContent)
        }
    }

    /// Commits `change` of record `id` once `ResourceDeclaration.recordToChange` allows it, in the same transaction.
    private func changing(_ id: Int64, _ operation: ResourceRule.Operation, _ input: OperationInput, _ context: RequestContext,
                          _ change: @escaping @Sendable (any ResourceStore, Int64, String) throws -> JSONObject?,
                          then respond: @escaping @Sendable (JSONObject) throws -> Response) -> Response {
        let caller = input.optionalCaller?.filterCaller, now = services.time.timestamp()
        let declaration = self.declaration, ifMatch = ConditionalRequest.ifMatch(input), author = ChangeAuthor(input, context)
        return services.store.committing { transaction -> JSONObject? in
            try transaction.attributeChanges(to: author)
            let store = transaction.resource(declaration)
            guard try declaration.recordToChange(id, operation, in: store, caller: caller, now: now, ifMatch: ifMatch) != nil else { return nil }
            return try change(store, id, now)
        } then: { record in
            guard let record else { throw declaration.notFound }
            return try respond(record)
        }
    }

    /// A record's version, which every change counts up: its entity tag.
    private static func version(of record: JSONObject) -> Int64 {
        record["version"]?.intValue ?? 0
    }

    /// `record` as the answer, with its `ETag`.
    private static func response(_ status: Status, _ record: JSONObject) -> Response {
        ConditionalRequest.tagged(.json(status, .object(record)), version: version(of: record))
    }

    /// `record` with only `fields` (all of them when nil), in the record's order.
    private static func selecting(_ fields: [String]?, of record: JSONObject) -> JSONObject {
        guard let fields else { return record }
        return JSONObject(record.members.filter { fields.contains($0.key) })
    }
}
