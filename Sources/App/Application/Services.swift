import Auth
import HTTP
import Storage

/// What the route handlers share: the database, authentication, token issuing, password hashing, login
/// throttling, the job runner and their counters, built once by `Application` from the configuration.
final class Services: Sendable {
    let settings: AuthSettings
    let database: DatabasePool
    let authenticator: Authenticator
    let issuer: TokenIssuer
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let revocations: RevocationList
    let metrics: AuthMetrics
    let jobs: JobRunner
    let clock: @Sendable () -> Int64

    init(config: Config, database: DatabasePool, keys: JWTKeySet, hasher: PasswordHasher, jobKinds: [RegisteredJobKind],
         clock: @escaping @Sendable () -> Int64) {
        settings = config.auth
        self.database = database
        self.hasher = hasher
        self.clock = clock
        revocations = RevocationList(loops: config.server.workers)
        let jwt = config.auth.makeJWT(keys: keys, clock: clock)
        authenticator = Authenticator(jwt: jwt, revocations: revocations, users: UserCache(database: database, loops: config.server.workers, clock: clock),
                                      database: database, clock: clock)
        issuer = TokenIssuer(jwt: jwt, settings: config.auth, clock: clock)
        throttle = LoginThrottle(config.auth.loginThrottle)
        metrics = AuthMetrics()
        jobs = JobRunner(writer: database.writer, kinds: jobKinds, settings: config.jobs)
    }

    /// Makes revocations committed by this process take effect at once and counts them.
    func revoked(_ revocations: [Revocation]) {
        self.revocations.add(revocations)
        metrics.countRevoked(revocations.count)
    }
}

extension Services {
    /// Runs `write` in the writer's next transaction and, once it has committed, answers `complete` with
    /// `respond` of its result (or the error that stopped it).
    func commit<T>(_ write: @escaping @Sendable (Database) throws -> T, answering complete: ResponseCompletion,
                   with respond: @escaping @Sendable (T) throws -> Response) {
        database.writer.submit(write) { result in complete.respond { try respond(result.get()) } }
    }

    /// A deferred response: `write` committed by the writer, then `respond` of its result.
    func committing<T>(_ write: @escaping @Sendable (Database) throws -> T,
                       then respond: @escaping @Sendable (T) throws -> Response) -> Response {
        .later(.onLoop) { complete in self.commit(write, answering: complete, with: respond) }
    }

    /// A deferred response that first hashes `password` on the worker pool (DESIGN §6: never on a loop),
    /// then commits `write` with the hash and answers with `respond` of its result.
    func hashing<T>(_ password: String, then write: @escaping @Sendable (Database, String) throws -> T,
                    respond: @escaping @Sendable (T) throws -> Response) -> Response {
        .later(.onWorkerPool) { complete in
            let hash: String
            do { hash = try self.hasher.hash(Array(password.utf8)) } catch {
                complete.respond { throw error }
                return
            }
            self.commit({ database in try write(database, hash) }, answering: complete, with: respond)
        }
    }
}
