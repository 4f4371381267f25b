import Auth
import HTTP
import Net

/// What the route handlers share: the data store, authentication, token issuing, password hashing, login
/// throttling, the job runner and their counters, built once by `Application` from the configuration.
final class Services: Sendable {
    let settings: AuthSettings
    let store: any DataStore
    /// `sqlite` or `postgresql`.
    let engineName: String
    let authenticator: Authenticator
    let issuer: TokenIssuer
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let revocations: RevocationList
    let metrics: AuthMetrics
    let jobs: JobRunner
    /// The rate limiter's table, shared by the login throttle and `http.rate_limits`.
    let limiter: RateLimiter
    /// The one clock of the application (DESIGN §4): the system's when serving, a manual one in tests.
    let time: any TimeSource
    /// The event streams of this process.
    let realtime: RealtimeHub
    /// The outcomes of the scheduled backups.
    let backups = BackupMetrics()
    /// The requests with an `Idempotency-Key` being answered now.
    let inFlight = IdempotencyInFlight()

    init(config: Config, store: any DataStore, keys: JWTKeySet, hasher: PasswordHasher, jobKinds: [RegisteredJobKind],
         time: any TimeSource) {
        settings = config.auth
        self.store = store
        engineName = config.database.engineName
        self.hasher = hasher
        self.time = time
        let clock: @Sendable () -> Int64 = { time.wallSeconds() }
        revocations = RevocationList(loops: config.server.workers)
        let jwt = config.auth.makeJWT(keys: keys, clock: clock)
        authenticator = Authenticator(jwt: jwt, revocations: revocations, users: UserCache(store: store, loops: config.server.workers, clock: clock),
                                      store: store, loops: config.server.workers, clock: clock)
        let authenticator = self.authenticator
        store.onRevocationsElsewhere { authenticator.pollRevocations(loop: 0) }
        issuer = TokenIssuer(jwt: jwt, settings: config.auth, clock: clock)
        limiter = RateLimiter(time: time)
        throttle = LoginThrottle(config.auth.loginThrottle, limiter: limiter)
        metrics = AuthMetrics()
        let retention = config.realtime
        jobs = JobRunner(store: store, kinds: jobKinds, settings: config.jobs, time: time) { transaction, now in
            _ = try transaction.changes.purge(before: Timestamp.format(milliseconds: now - retention.retentionSeconds * 1000),
                                              keeping: retention.retentionCount, limit: 1000)
        }
        realtime = RealtimeHub(settings: config.realtime, channels: config.channels, store: store, authenticator: authenticator,
                               revocations: revocations, time: time, loops: config.server.workers)
    }

    /// Makes revocations committed by this process take effect at once and counts them.
    func revoked(_ revocations: [Revocation]) {
        self.revocations.add(revocations)
        metrics.countRevoked(revocations.count)
    }
}

extension Services {
    /// A deferred response that first hashes `password` on the worker pool (DESIGN §6: never on a loop),
    /// then commits `write` with the hash and answers with `respond` of its result.
    func hashing<T>(_ password: String, then write: @escaping @Sendable (any Transaction, String) throws -> T,
                    respond: @escaping @Sendable (T) throws -> Response) -> Response {
        .later(.onWorkerPool) { complete in
            let hash: String
            do { hash = try self.hasher.hash(Array(password.utf8)) } catch {
                complete.respond { throw error }
                return
            }
            self.store.commit({ transaction in try write(transaction, hash) }, answering: complete, with: respond)
        }
    }
}
