import Glibc

/// The variables a service manager sets for this process alone (`LISTEN_*`, `NOTIFY_SOCKET`, `WATCHDOG_*`).
enum ServiceEnvironment {
    /// The values of `names` that are set, each removed from the environment so that no child inherits it (what
    /// sd_listen_fds(3) and sd_notify(3) do with `unset_environment`). Call before other threads read the environment.
    static func take(_ names: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in names {
            if let value = getenv(name) { values[name] = String(cString: value) }
            unsetenv(name)
        }
        return values
    }
}
