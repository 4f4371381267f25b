import HTTP
import OpenAPI

/// The users API of the FastAPI example (DESIGN §3), made safe: reading needs a token, a user sees only
/// themselves unless an admin, no response ever holds a password or its hash, and passwords are hashed on
/// the worker pool.
struct UserRoutes: Sendable {
    let services: Services

    static let userID = Parameter<Int64>.path("user_id", .integer(minimum: 1, maximum: Int64.max), description: "The user's id.")

    private static let userNotFound = HTTPError(.notFound, detail: "User not found")
    /// A user's own routes: the user the path names, or an admin.
    private static let subjectOrAdmin = Access.subjectOrAdmin(parameter: "user_id")
    private static let busy = "Too many requests are waiting for a password-hashing thread; retry after `Retry-After` seconds"

    /// Adds the routes to `api`. `/users/me` is a static path, so it is matched before `/users/{user_id}`.
    func register(on api: inout API) {
        api.add(Operation(.post, "/users/", id: "create_user", summary: "Create a user", description: """
            Anyone may sign up while `auth.allow_signup` is on; otherwise, and to create an admin, an admin's token is needed. \
            Emails are unique in any case.
            """, tags: ["users"])
            .response(.created, UserPublic.self, description: "The user; `Location` is its URL, `ETag` its version")
            .error(.unauthorized, "Sign-up is closed and no token was given, or the token is not valid")
            .error(.forbidden, "Only an admin may create this user")
            .error(.conflict, "The email is already registered")
            .error(.serviceUnavailable, Self.busy)
            .access(services.settings.allowsSignup ? .optionalToken : .admin), body: UserCreate.self, handler: create)

        api.add(Operation(.get, "/users/", id: "list_users", summary: "List users", description: "Admins only; by id, a page at a time.",
                          tags: ["users"])
            .parameter(Pagination.limit).parameter(Pagination.cursor)
            .response(.ok, Page<UserPublic>.self)
            .error(.forbidden, "The caller is not an admin")
            .access(.admin), handler: list)

        api.add(Operation(.get, "/users/me", id: "read_current_user", summary: "The current user", tags: ["users"])
            .response(.ok, CurrentUser.self)
            .access(.token), handler: me)

        api.add(Operation(.get, "/users/{user_id}", id: "read_user", summary: "Read a user",
                          description: "A user reads themselves; an admin reads anyone.", tags: ["users"])
            .parameter(Self.userID).parameter(ConditionalRequest.ifNoneMatch)
            .response(.ok, UserPublic.self, description: "The user; `ETag` is their version")
            .response(.notModified, description: "The user still has the `If-None-Match` tag")
            .error(.forbidden, "Not the caller and the caller is not an admin")
            .error(.notFound, "No such user")
            .access(Self.subjectOrAdmin), handler: read)

        api.add(Operation(.patch, "/users/{user_id}", id: "update_user", summary: "Update a user", description: """
            Changes the fields given (absent or `null` ones stay). Only an admin changes `is_admin`. A new password ends \
            the user's refresh tokens.
            """, tags: ["users"])
            .parameter(Self.userID).parameter(ConditionalRequest.ifMatch)
            .response(.ok, UserPublic.self, description: "The user; `ETag` is their new version")
            .error(.forbidden, "Not the caller and the caller is not an admin, or a non-admin changing `is_admin`")
            .error(.notFound, "No such user")
            .error(.conflict, "The email is already registered")
            .error(.preconditionFailed, ConditionalRequest.changedDescription)
            .error(.serviceUnavailable, Self.busy)
            .access(Self.subjectOrAdmin), body: UserUpdate.self, handler: update)

        api.add(Operation(.delete, "/users/{user_id}", id: "delete_user", summary: "Delete a user",
                          description: "Deletes the user and revokes their tokens.", tags: ["users"])
            .parameter(Self.userID).parameter(ConditionalRequest.ifMatch)
            .response(.noContent, description: "Deleted")
            .error(.forbidden, "Not the caller and the caller is not an admin")
            .error(.notFound, "No such user")
            .error(.preconditionFailed, ConditionalRequest.changedDescription)
            .access(Self.subjectOrAdmin), handler: delete)
    }

    // MARK: - Handlers

    private func create(_ body: UserCreate, _ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        // Only an admin makes an admin: a rule on the body's data, beyond the operation's access.
        if body.isAdmin && input.optionalCaller?.user.isAdmin != true { throw Authenticator.forbidden }
        let now = services.time.timestamp()
        return services.hashing(body.password) { transaction, hash in
            try transaction.users.insert(name: body.name, email: body.email, passwordHash: hash, isAdmin: body.isAdmin, at: now)
        } respond: { user in
            ConditionalRequest.tagged(try .json(.created, UserPublic(user), headers: [HeaderPair("location", "/users/\(user.id)")]),
                                      version: user.version)
        }
    }

    private func list(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let after = Pagination.cursorID(input) ?? 0, limit = input[Pagination.limit] + 1
        return try services.store.reading(context) { transaction in
            try transaction.users.page(after: after, limit: limit)
        } then: { users in
            try .json(.ok, Pagination.page(users.map(UserPublic.init), input, id: \.id))
        }
    }

    private func me(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        try .json(.ok, CurrentUser(input.caller))
    }

    private func read(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        try user(input[Self.userID], for: input.caller, context) { user in
            ConditionalRequest.answer(try .json(.ok, UserPublic(user)), version: user.version, to: input)
        }
    }

    private func update(_ body: UserUpdate, _ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let caller = input.caller, services = self.services, ifMatch = ConditionalRequest.ifMatch(input)
        return try user(input[Self.userID], for: caller, context) { user in try Self.update(user, with: body, ifMatch: ifMatch, by: caller, services) }
    }

    /// Saves `body`'s changes to `user`, hashing a new password first, if the user still has the `If-Match` tag.
    private static func update(_ user: UserRecord, with body: UserUpdate, ifMatch: EntityTagCondition?, by caller: Caller,
                               _ services: Services) throws -> Response {
        var user = user
        if let isAdmin = body.isAdmin, isAdmin != user.isAdmin {         // a rule on the body's data: admins only
            guard caller.user.isAdmin else { throw Authenticator.forbidden }
            user.isAdmin = isAdmin
        }
        if let name = body.name { user.name = name }
        if let email = body.email { user.email = email }
        let updated = user, time = services.time, now = time.timestamp()
        let save: @Sendable (any Transaction, String?) throws -> (revoked: [Revocation], version: Int64)? = { transaction, hash in
            guard let current = try transaction.users.user(id: updated.id) else { return nil }
            try ConditionalRequest.check(ifMatch, version: current.version)
            guard let revoked = try UserAccount.save(updated, passwordHash: hash, at: now, revokingAt: time.wallSeconds(), in: transaction) else {
                return nil
            }
            return (revoked, current.version + 1)
        }
        let respond: @Sendable ((revoked: [Revocation], version: Int64)?) throws -> Response = { saved in
            guard let saved else { throw Self.userNotFound }
            services.revoked(saved.revoked)
            return ConditionalRequest.tagged(try .json(.ok, UserPublic(updated)), version: saved.version)
        }
        guard let password = body.password else { return services.store.committing({ try save($0, nil) }, then: respond) }
        return services.hashing(password, then: save, respond: respond)
    }

    private func delete(_ input: OperationInput, _ context: inout RequestContext) throws -> Response {
        let id = input[Self.userID], ifMatch = ConditionalRequest.ifMatch(input)
        let time = services.time, services = self.services, author = ChangeAuthor(input, context)
        return services.store.committing { transaction -> [Revocation]? in
            guard let current = try transaction.users.user(id: id) else { return nil }
            try transaction.attributeChanges(to: author)       // the user's records go with them
            try ConditionalRequest.check(ifMatch, version: current.version)
            return try UserAccount.delete(id, revokingAt: time.wallSeconds(), in: transaction)
        } then: { revoked in
            guard let revoked else { throw Self.userNotFound }
            services.revoked(revoked)
            return Response(status: .noContent)
        }
    }

    /// `respond` of user `id` (404 when there is none): the caller themselves without a second read, else as read.
    private func user(_ id: Int64, for caller: Caller, _ context: RequestContext,
                      then respond: @escaping @Sendable (UserRecord) throws -> Response) throws -> Response {
        if id == caller.user.id { return try respond(caller.user) }
        return try services.store.reading(context) { transaction in try transaction.users.user(id: id) } then: { user in
            guard let user else { throw Self.userNotFound }
            return try respond(user)
        }
    }
}
