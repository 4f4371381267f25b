import Glibc

/// The per-process descriptor limit, which live tests and `api bench --realtime` with many connections need to raise.
public enum OpenFileLimit {
    /// Raises the soft RLIMIT_NOFILE to at least `count` (capped by the hard limit); returns the soft limit now in force.
    @discardableResult
    public static func raise(atLeast count: Int) -> Int {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return 0 }
        if limit.rlim_cur < rlim_t(count) {
            limit.rlim_cur = min(rlim_t(count), limit.rlim_max)
            _ = setrlimit(resource, &limit)
            _ = getrlimit(resource, &limit)
        }
        return Int(limit.rlim_cur)
    }
}
