import Auth
import JSON
import Net
import OpenAPI

/// What the admin commands do (`api migrate`, `api user`, `api token`), on the configured database, with or
/// without a server running: the engine's locking and the busy timeout let both write, and a server sees a
/// revocation made here within a second.
public final class Administration {
    private let config: Config
    private let store: any DataStore
    /// The commands' clock: the system's.
    private static let time = SystemTime()

    /// Opens the configured database, migrating it as `serve` would (a new one always; pending migrations
    /// when `database.auto_migrate` is on).
    /// - Throws: `AppError` when the schema is refused or the file cannot be opened.
    public init(config: Config) throws(AppError) {
        self.config = config
        let engine = config.database.engine
        _ = try engine.prepareForUse(config.database, resources: config.resources, at: Self.time.timestamp())
        do { store = try engine.open(config.database, loops: 1, resources: config.resources) } catch {
            throw AppError("\(config.database.location): \(error)")
        }
    }

    deinit {
        store.close()
    }

    // MARK: - Migrations

    /// `api migrate`: applies pending migrations, then the resources' additive changes; one line per change. With
    /// `allowDestructive`, the destructive changes it allows too, after a backup whose path is printed first;
    /// `backfills` (`resource.field=VALUE`, the value read as JSON, else as text) give new required fields their value.
    public static func migrate(_ config: Config, allowDestructive: Bool = false, backfills: [String] = []) throws(AppError) -> String {
        let engine = config.database.engine, now = time.timestamp()
        let applied = try engine.prepare(config.database, migratePending: true)
        var destructive: DestructiveMigration?
        if allowDestructive {
            let stamp = String(now.filter { $0.isNumber })                 // to the millisecond
            destructive = DestructiveMigration(backup: engine.backupLocation(config.database, stamp: stamp), backfills: try Self.backfills(backfills))
        }
        let changes = try engine.prepareResources(config.database, declared: config.resources, migratePending: true, at: now, destructive: destructive)
        if applied.isEmpty && changes.isEmpty { return "\(config.database.location): up to date at version \(engine.latestVersion)\n" }
        let backup = changes.contains(where: \.isDestructive) ? destructive.map { "backup \($0.backup)\n" } ?? "" : ""
        return backup + applied.map { "applied \($0.version) \($0.name)\n" }.joined() + changes.map { "applied \($0.summary)\n" }.joined()
    }

    // MARK: - Backups

    /// `api backup FILE`: a consistent copy of the database at `path` (0600), made while servers may be writing;
    /// with `withSecret`, the generated signing secret too, as `FILE.key` (0600). Returns the line to print.
    public static func backUp(_ config: Config, to path: String, withSecret: Bool) throws(AppError) -> String {
        let secret = SigningKeys.generatedFile(in: config.database.directory)
        if withSecret {
            guard config.auth.secret.isEmpty && config.auth.secretFile.isEmpty else {
                throw AppError("--with-secret: the signing secret comes from the configuration (auth.secret or auth.secret_file), which a backup does not hold", exitCode: 2)
            }
            guard FileSystem.exists(secret) else { throw AppError("--with-secret: no generated secret at \(secret)", exitCode: 2) }
        }
        OSThread.lowerCurrentPriority(by: BackupSchedule.niceness)     // a server on this machine comes first
        let (bytes, seconds) = try config.database.backUp(to: path)
        if withSecret { try copyPrivately(secret, to: path + secretSuffix) }
        let extra = withSecret ? " and the signing secret to \(path + secretSuffix)" : ""
        return "backed up \(config.database.path) to \(path)\(extra): \(bytes) bytes in \((seconds * 1000).rounded() / 1000) s\n"
    }

    /// `api restore FILE`: replaces the database with the backup at `path`, refused while a server has the database
    /// open; a `FILE.key` beside it (`backup --with-secret`) becomes the generated signing secret. Returns the lines to print.
    public static func restore(_ config: Config, from path: String) throws(AppError) -> String {
        try config.database.engine.restore(config.database, from: path)
        var report = "restored \(path) to \(config.database.path)\n"
        if FileSystem.exists(path + secretSuffix) {
            let secret = SigningKeys.generatedFile(in: config.database.directory)
            try copyPrivately(path + secretSuffix, to: secret)
            report += "restored the signing secret to \(secret)\n"
        }
        return report
    }

    /// What `backup --with-secret` appends to the backup's path for the secret's copy.
    private static let secretSuffix = ".key"

    /// Copies the file at `source` to `destination`, created (or truncated) with mode 0600.
    private static func copyPrivately(_ source: String, to destination: String) throws(AppError) {
        do {
            let bytes = try FileSystem.read(source)
            try FileSystem.writePrivately(bytes, to: destination)
        } catch {
            throw AppError("\(error)")
        }
    }

    /// `resource.field=VALUE` pairs; the value is read as JSON when it is JSON (`3`, `true`, `"x"`), else as text.
    private static func backfills(_ pairs: [String]) throws(AppError) -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), pair[..<equals].contains(".") else {
                throw AppError("--set \(pair): expected resource.field=VALUE", exitCode: 2)
            }
            let text = String(pair[pair.index(after: equals)...])
            values[String(pair[..<equals])] = (try? JSONParser.parse(Array(text.utf8))) ?? .string(text)
        }
        return values
    }

    /// `api migrate plan`: the resources' changes the next `api migrate` would make and the SQL it would run, changing
    /// nothing; `isRefused` when a change is destructive (refused without `--allow-destructive`).
    public static func migrationPlan(_ config: Config) throws(AppError) -> (report: String, isRefused: Bool) {
        let (plan, sql) = try config.database.engine.resourcePlan(config.database, declared: config.resources)
        if plan.isEmpty { return ("resources: up to date\n", false) }
        var report = plan.changes.map { "-- \($0.isDestructive ? "REFUSED " : "")\($0.summary)\n" }.joined()
        report += sql.map { $0 + ";\n" }.joined()
        return (report, !plan.destructive.isEmpty)
    }

    /// `api migrate status`: every migration, applied (with when) or pending, without changing anything; `isRefused`
    /// when `serve` would refuse the database (migrated by a newer binary, or a recorded checksum differs).
    public static func migrationStatus(_ config: Config) throws(AppError) -> (report: String, isRefused: Bool) {
        try config.database.engine.migrationStatus(config.database)
    }

    // MARK: - Resources

    /// `api resources`: each declared resource with its record count and whether its table matches the declaration,
    /// changing nothing (unlike the other commands, it does not migrate first: it reports what a migration would do).
    public static func listResources(_ config: Config) throws(AppError) -> String {
        guard !config.resources.isEmpty else { return "no resources declared (see docs/resources.md)\n" }
        guard !config.database.url.isEmpty || FileSystem.exists(config.database.path) else {
            return "\(config.database.path): no database yet; run 'api migrate'\n"
        }
        let engine = config.database.engine
        let pending = try engine.resourcePlan(config.database, declared: config.resources).plan.changes
        return try reporting {
            let store = try engine.open(config.database, loops: 1, resources: config.resources)
            defer { store.close() }
            return try config.resources.map { declaration in
                let changes = pending.filter { $0.resource == declaration.name }
                let exists = !changes.contains { if case .createResource = $0 { true } else { false } }
                // A resource to be renamed still has its records under its previous name.
                let table = changes.lazy.compactMap { if case .renameResource(let old, _) = $0 { old } else { nil } }.first ?? declaration
                let count = exists ? try store.read(on: 0) { try $0.resource(table).totalCount() } : 0
                let state = changes.isEmpty ? "migrated" : "pending: " + changes.map(\.summary).joined(separator: "; ")
                return "\(declaration.name)  \(count) record(s)  \(state)\n"
            }.joined()
        }
    }

    // MARK: - Export and import

    /// `api export`: the records of resource `name` that pass `filter`, by id, one line each in `format`, handed to
    /// `write` a page at a time (constant memory); `users` exports the users (without hashes, and without a filter).
    public func exportResource(_ name: String, format: String, filter: String?, write: (String) -> Void) throws(AppError) {
        if name == "users" && filter == nil {
            let format = try Self.format(format)
            return try Self.reporting { try UserExport.run(on: store, format: format, write: write) }
        }
        let (declaration, format) = try Self.transfer(config, name, format)
        let export = try ResourceExport(declaration, format: format, filter: filter)
        try Self.reporting { try export.run(on: store, now: Self.time.timestamp(), write: write) }
    }

    /// `api import`: the records of the file at `path` into resource `name`, all or nothing in one transaction, each
    /// checked as an admin's create would be (`ResourceImport`). Invalid data throws exit code 2 with a line per
    /// problem, `line N: loc: msg` (20 at most, then how many more), an unreadable file exit code 1. `dryRun` checks
    /// everything and writes nothing.
    public func importResource(_ name: String, path: String, format: String, upsertBy: String?, dryRun: Bool) throws(AppError) -> String {
        let (declaration, format) = try Self.transfer(config, name, format)
        let load = try ResourceImport(declaration, format: format, upsertBy: upsertBy, now: Self.time.timestamp(), dryRun: dryRun)
        _ = try LineReader(path: path)                 // an unreadable file is an I/O error (exit 1) before anything begins
        do {
            // The file is opened inside: the writer may run a write twice, and each run reads it from its start.
            let count = try store.write { transaction in try load.run(LineReader(path: path), into: transaction.resource(declaration)) }
            return "imported \(count) record(s) into \(name)\n"
        } catch let report as ImportReport {
            if dryRun, report.problems.isEmpty { return "would import \(report.count) record(s) into \(name)\n" }
            throw AppError(report.description, exitCode: 2)
        } catch {
            throw AppError("\(error)")
        }
    }

    private static func transfer(_ config: Config, _ name: String, _ format: String) throws(AppError) -> (ResourceDeclaration, TransferFormat) {
        guard let declaration = config.resources.first(where: { $0.name == name }) else {
            throw AppError("no resource named '\(name)' (declared: \(config.resources.map(\.name).joined(separator: ", ")))", exitCode: 2)
        }
        return (declaration, try Self.format(format))
    }

    private static func format(_ text: String) throws(AppError) -> TransferFormat {
        guard let format = TransferFormat(rawValue: text) else { throw AppError("--format: expected ndjson or csv, got '\(text)'", exitCode: 2) }
        return format
    }

    // MARK: - Users

    /// `api user add`: creates a user; returns the line to print.
    public func addUser(email: String, name: String?, password: String, isAdmin: Bool) throws(AppError) -> String {
        let address: String
        switch EmailAddress.validate(email) {
        case .success(let normalized): address = normalized
        case .failure(let reason): throw AppError("'\(email)' is not a valid email address: \(reason.message)", exitCode: 2)
        }
        try Self.checkPassword(password)
        let displayName = name ?? String(address.prefix { $0 != "@" })
        try Self.checkName(displayName)
        do {
            let hash = try config.auth.makeHasher().hash(Array(password.utf8))
            let user = try store.write { transaction in
                try transaction.users.insert(name: displayName, email: address, passwordHash: hash, isAdmin: isAdmin, at: Self.time.timestamp())
            }
            return "created user \(user.id) \(user.email)\(isAdmin ? " (admin)" : "")\n"
        } catch UserStoreRefusal.emailTaken {
            throw AppError("a user with the email \(address) already exists")
        } catch {
            throw AppError("\(error)")
        }
    }

    /// `api user delete`: deletes the user with `email` and revokes their tokens (a running server refuses them
    /// within a second), as `DELETE /users/{id}` does.
    public func deleteUser(email: String) throws(AppError) -> String {
        return try Self.reporting {
            let user = try user(email: email)
            let revoked = try store.write { transaction in try UserAccount.delete(user.id, revokingAt: Self.time.wallSeconds(), in: transaction) }
            guard let revoked else { throw AppError("no user with the email \(email)") }
            return "deleted user \(user.id) \(user.email); revoked \(revoked.count) token(s)\n"
        }
    }

    /// `api user update`: a new name and/or admin flag for the user with `email`; nil leaves a field as it is.
    public func updateUser(email: String, name: String?, isAdmin: Bool?) throws(AppError) -> String {
        if let name { try Self.checkName(name) }
        return try Self.reporting {
            var user = try user(email: email)
            if let name { user.name = name }
            if let isAdmin { user.isAdmin = isAdmin }
            let updated = user
            let saved = try store.write { transaction in
                try UserAccount.save(updated, passwordHash: nil, at: Self.time.timestamp(), revokingAt: Self.time.wallSeconds(), in: transaction)
            }
            guard saved != nil else { throw AppError("no user with the email \(email)") }
            return "updated user \(user.id) \(user.email): name \(user.name), \(user.isAdmin ? "admin" : "not admin")\n"
        }
    }

    /// `api user set-password`: a new password for the user with `email`; their refresh tokens end, so every session
    /// must log in again once its access token expires (as a password change through `PATCH /users/{id}` does).
    public func setPassword(email: String, password: String) throws(AppError) -> String {
        try Self.checkPassword(password)
        return try Self.reporting {
            let user = try user(email: email)
            let hash = try config.auth.makeHasher().hash(Array(password.utf8))
            let revoked = try store.write { transaction in
                try UserAccount.save(user, passwordHash: hash, at: Self.time.timestamp(), revokingAt: Self.time.wallSeconds(), in: transaction)
            }
            guard let revoked else { throw AppError("no user with the email \(email)") }
            return "set the password of user \(user.id) \(user.email); ended \(revoked.count) refresh token(s)\n"
        }
    }

    /// Runs `body`, passing its `AppError` on and turning any other error (the database's) into one.
    private static func reporting<T>(_ body: () throws -> T) throws(AppError) -> T {
        do {
            return try body()
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError("\(error)")
        }
    }

    /// The password limits the API's schemas declare (UserFields), so a password set here could have been set there.
    private static func checkPassword(_ password: String) throws(AppError) {
        let passwords = UserFields.password.minLength! ... UserFields.password.maxLength!     // both declared there
        let length = password.unicodeScalars.count
        guard passwords.contains(length) else {
            throw AppError("the password must be \(passwords.lowerBound) to \(passwords.upperBound) characters, got \(length)", exitCode: 2)
        }
    }

    /// The name limits the API's schemas declare (UserFields).
    private static func checkName(_ name: String) throws(AppError) {
        let names = UserFields.name.minLength! ... UserFields.name.maxLength!                 // both declared there
        guard names.contains(name.unicodeScalars.count) else {
            throw AppError("the name must be \(names.lowerBound) to \(names.upperBound) characters", exitCode: 2)
        }
    }

    /// `api user list`: every user, one per line.
    public func listUsers() throws(AppError) -> String {
        do {
            var lines = ["id\temail\tname\tadmin\tcreated_at\n"]
            var after: Int64 = 0
            while true {
                let page = try store.read(on: 0) { transaction in try transaction.users.page(after: after, limit: 500) }
                lines += page.map { "\($0.id)\t\($0.email)\t\($0.name)\t\($0.isAdmin ? "yes" : "no")\t\($0.createdAt)\n" }
                guard let last = page.last else { return lines.joined() }
                after = last.id
            }
        } catch {
            throw AppError("\(error)")
        }
    }

    // MARK: - Tokens

    /// `api token issue`: an access token for the user with `email`, signed with the server's key and
    /// recorded so it can be listed and revoked.
    public func issueToken(subject email: String, scopes: [String], lifetime: Int64?) throws(AppError) -> String {
        if let unknown = scopes.first(where: { !Scopes.all.contains($0) }) {
            throw AppError("unknown scope '\(unknown)'; known scopes: \(Scopes.all.joined(separator: ", "))", exitCode: 2)
        }
        let keys = try Application.loadKeys(config) { Console.error(Application.generatedSecretWarning($0)) }
        let issuer = TokenIssuer(jwt: config.auth.makeJWT(keys: keys) { Self.time.wallSeconds() }, settings: config.auth, clock: { Self.time.wallSeconds() })
        return try Self.reporting {
            let user = try user(email: email)
            let issued = issuer.issue(userID: user.id, scopes: scopes, lifetime: lifetime, withRefreshToken: false)
            try store.write { transaction in
                for record in issued.records { try transaction.tokens.insert(record) }
            }
            return issued.accessToken + "\n"
        }
    }

    /// `api token revoke`: revokes the token with `id` (a refresh token's whole family); returns how many.
    public func revokeToken(_ id: String) throws(AppError) -> Int {
        let revoked: [Revocation]
        do {
            revoked = try store.write { transaction in try transaction.tokens.revokeToken(id, at: Self.time.wallSeconds()) }
        } catch {
            throw AppError("\(error)")
        }
        if revoked.isEmpty { throw AppError("no live token with id \(id) (unknown, expired or already revoked)") }
        return revoked.count
    }

    /// `api token list`: the live tokens of the user with `email` (everyone's when nil), one per line.
    public func listTokens(subject email: String?) throws(AppError) -> String {
        return try Self.reporting {
            let userID = try email.map { try user(email: $0).id }
            let tokens = try store.read(on: 0) { transaction in try transaction.tokens.liveTokens(of: userID, at: Self.time.wallSeconds()) }
            return (["jti\tuser_id\tkind\tscope\tissued_at\texpires_at\tstate\n"] + tokens.map { token in
                let state = token.revokedAt != nil ? "revoked" : token.usedAt != nil ? "used" : "live"
                let issued = Timestamp.format(milliseconds: token.issuedAt * 1000), expires = Timestamp.format(milliseconds: token.expiresAt * 1000)
                return "\(token.id)\t\(token.userID)\t\(token.kind.rawValue)\t\(token.scope)\t\(issued)\t\(expires)\t\(state)\n"
            }).joined()
        }
    }

    // MARK: - Jobs

    /// `api jobs list`: jobs in `state` (a state name, or all when nil), newest first, one per line.
    public func listJobs(state: String?, limit: Int) throws(AppError) -> String {
        var wanted: JobRecord.State?
        if let state {
            guard let known = JobRecord.State(rawValue: state) else {
                throw AppError("unknown state '\(state)'; expected one of \(JobRecord.State.allCases.map(\.rawValue).joined(separator: ", "))", exitCode: 2)
            }
            wanted = known
        }
        do {
            let jobs = try store.read(on: 0) { transaction in try transaction.jobs.list(state: wanted, limit: limit) }
            return (["id\tkind\tstate\tattempts\tcreated_at\tlast_error\n"] + jobs.map { job in
                let created = Timestamp.format(milliseconds: job.createdAt)
                return "\(job.id)\t\(job.kind)\t\(job.state.rawValue)\t\(job.attempts)/\(job.maxAttempts)\t\(created)\t\(job.lastError ?? "")\n"
            }).joined()
        } catch {
            throw AppError("\(error)")
        }
    }

    /// `api jobs retry`: a dead (or waiting) job runs again with a fresh count of attempts; a running server picks
    /// it up within a second.
    public func retryJob(_ id: Int64) throws(AppError) -> String {
        let requeued: Bool
        do {
            requeued = try store.write { transaction in try transaction.jobs.requeue(id, at: Self.time.wallMilliseconds()) }
        } catch {
            throw AppError("\(error)")
        }
        guard requeued else { throw AppError("no job \(id) to retry (unknown, or it already succeeded)") }
        return "job \(id) queued again\n"
    }

    /// The user with `email` (in any case), or an `AppError` naming it.
    private func user(email: String) throws -> UserRecord {
        guard let user = try store.read(on: 0, { transaction in try transaction.users.credentials(email: email)?.user }) else {
            throw AppError("no user with the email \(email)")
        }
        return user
    }
}
