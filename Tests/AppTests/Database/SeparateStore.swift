@testable import App

/// Runs `body` with the configured database opened as another process opens it (`api user add`, a second server):
/// migrated, with its own connections (for `loops` loops) and writer, closed when `body` returns.
func withSeparateStore<T>(_ config: Config, loops: Int = 1, _ body: (any DataStore) throws -> T) throws -> T {
    _ = try config.database.engine.prepare(config.database, migratePending: true)
    _ = try config.database.engine.prepareResources(config.database, declared: config.resources, migratePending: true, at: "2026-01-01T00:00:00.000Z",
                                                    destructive: nil)
    let store = try config.database.engine.open(config.database, loops: loops, resources: config.resources)
    defer { store.close() }
    return try body(store)
}
