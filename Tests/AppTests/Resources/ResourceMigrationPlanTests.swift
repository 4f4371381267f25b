import AppTestKit
import JSON
import Postgres
import Storage
import Testing
import TestKit
@testable import App

/// The migration plan of the resources (DESIGN §10, "Migrations"): each kind of change found and classed, and the
/// additive ones applied to a populated table, keeping its rows and its id counter; a change the rows break is refused
/// whole, naming the change. On SQLite, or on PostgreSQL with `API_TEST_ENGINE=postgres` (`make test` runs both).
@Suite struct ResourceMigrationPlanTests {
    static let base = #"{"items": {"fields": {"name": {"type": "string", "max_length": 10}, "size": {"type": "integer", "default": 1}}, "indexes": [["size"]]}}"#

    private static func declarations(_ text: String) throws -> [ResourceDeclaration] {
        try ResourceDeclarationReader.read(try JSONParser.parse(Array(text.utf8)))
    }

    /// A private cluster when the engine under test is PostgreSQL (keep it alive for the test), else nil.
    private static func cluster() throws -> PostgresServer? {
        ResourceFixture.onPostgres ? try PostgresServer() : nil
    }

    /// The test configuration with `resources`, on `cluster` when there is one.
    private static func config(_ resources: [ResourceDeclaration], on cluster: PostgresServer?) -> Config {
        var config = LiveServer.testDefaults
        config.resources = resources
        if let cluster { config.database.url = cluster.tcpConnectionString }
        return config
    }

    /// A database with the base `items` holding `records`: its configuration, and the cluster it is on when the engine
    /// is PostgreSQL (keep it alive for the test).
    private static func seeded(_ records: [JSONObject]) throws -> (config: Config, cluster: PostgresServer?) {
        let items = try declarations(base), database = try cluster()
        let made = config(items, on: database)
        try withSeparateStore(made) { store in
            try store.write { transaction in
                for record in records { _ = try transaction.resource(items[0]).insert(record, ownerID: nil, at: "t") }
            }
        }
        return (made, database)
    }

    private static func plan(to text: String) throws -> [String] {
        try ResourceMigrationPlan(recorded: declarations(base), declared: declarations(text)).changes.map { "\($0.isDestructive ? "!" : "")\($0.summary)" }
    }

    @Test func eachChangeIsFoundAndClassed() throws {
        #expect(try Self.plan(to: Self.base).isEmpty)
        #expect(try Self.plan(to: Self.base.replacing(#""indexes""#, with: #""title": "Item", "indexes""#)) == ["record the declaration of items"])
        #expect(try Self.plan(to: Self.base.replacing(#""size": {"#, with: #""note": {"type": "string", "optional": true}, "size": {"#))
                == ["add field items.note"])
        #expect(try Self.plan(to: Self.base.replacing(#""size": {"#, with: #""note": {"type": "string"}, "size": {"#))
                == ["!add required field items.note without a default: existing records have no value for it (give it a default, "
                   + "optional: true, or run api migrate --allow-destructive --set items.note=VALUE)"])
        #expect(try Self.plan(to: Self.base.replacing(#""max_length": 10"#, with: #""max_length": 20"#))
                == ["rebuild table items for items.name"])
        #expect(try Self.plan(to: Self.base.replacing(#""type": "integer""#, with: #""type": "number""#))
                == ["!change the type of items.size from integer to number: each value is converted, or the migration refused (api migrate --allow-destructive)",
                    "rebuild table items for items.size"])
        #expect(try Self.plan(to: Self.base.replacing(#""type": "integer", "default": 1"#, with: #""type": "object", "optional": true"#))
                == ["!change the type of items.size from integer to object: no conversion exists (declare a new field, copy the values, drop the old one)",
                    "rebuild table items for items.size"])
        #expect(try Self.plan(to: Self.base.replacing(#", "size": {"type": "integer", "default": 1}"#, with: "").replacing(#", "indexes": [["size"]]"#, with: ""))
                == ["!drop field items.size: it is no longer declared, and its column holds data (api migrate --allow-destructive)",
                    "rebuild table items for items.size", "drop index items (size)"])
        #expect(try Self.plan(to: Self.base.replacing(#""indexes": [["size"]]"#, with: #""unique": [["name"]]"#))
                == ["drop index items (size)", "add unique items (name)"])
        #expect(try Self.plan(to: #"{}"#) == ["!drop resource items: it is no longer declared, and its table holds data (api migrate --allow-destructive)"])
    }

    /// A relaxed constraint rebuilds the table with every row and the id counter kept; a tighter one the rows break,
    /// or a unique set they repeat, is refused and changes nothing.
    @Test func aRebuildKeepsTheRowsAndARefusedChangeChangesNothing() throws {
        let items = try Self.declarations(Self.base)
        let database = try Self.cluster()
        defer { withExtendedLifetime(database) {} }
        var config = Self.config(items, on: database)
        let ids = try withSeparateStore(config) { store in
            try ["alpha", "beta", "alpha"].map { name in
                try store.write { try $0.resource(items[0]).insert(["name": .string(name), "size": 2], ownerID: nil, at: "2026-01-01T00:00:00.000Z")["id"] }
            }
        }
        #expect(ids == [1, 2, 3])
        _ = try withSeparateStore(config) { store in try store.write { try $0.resource(items[0]).delete(id: 3) } }

        let relaxed = try Self.declarations(Self.base.replacing(#""max_length": 10"#, with: #""max_length": 20"#))
        #expect(try config.database.engine.prepareResources(config.database, declared: relaxed, migratePending: true, at: "t", destructive: nil).count == 1)
        config.resources = relaxed
        let (names, next) = try withSeparateStore(config) { store in
            let names = try store.read(on: 0) { try $0.resource(relaxed[0]).page(ResourceQuery(filter: nil, sort: [], after: nil, limit: 10, caller: nil, now: "")) }
                .compactMap { $0["name"]?.stringValue }
            let next = try store.write { try $0.resource(relaxed[0]).insert(["name": "a longer name here", "size": 1], ownerID: nil, at: "t")["id"] }
            return (names, next)
        }
        #expect(names == ["alpha", "beta"])
        #expect(next == 4, "the id counter carried over the rebuild: id 3 is never used again")

        for (change, words) in [(#""max_length": 5"#, "rebuild table items for items.name"), (#""indexes": [["size"]], "unique": [["size"]]"#, "add unique items (size)")] {
            let tighter = try Self.declarations(Self.base.replacing(#""max_length": 10"#, with: #""max_length": 20"#).replacing(
                change.hasPrefix(#""max"#) ? #""max_length": 20"# : #""indexes": [["size"]]"#, with: change))
            #expect {
                try config.database.engine.prepareResources(config.database, declared: tighter, migratePending: true, at: "t", destructive: nil)
            } throws: { error in
                (error as? AppError)?.description.contains(words) == true
            }
            let unchanged = try config.database.engine.resourcePlan(config.database, declared: relaxed).plan
            #expect(unchanged.isEmpty, "the refused migration left the recorded declaration as it was")
        }
    }

    /// `renamed_from` renames the column, keeping its values (and the indexes on it follow the new name).
    @Test func aRenamedFieldKeepsItsValues() throws {
        let renamed = Self.base.replacing(#""size": {"type": "integer", "default": 1}"#, with: #""amount": {"type": "integer", "default": 1, "renamed_from": "size"}"#)
            .replacing(#""indexes": [["size"]]"#, with: #""indexes": [["amount"]]"#)
        #expect(try Self.plan(to: renamed) == ["rename field items.size to amount", "drop index items (size)", "add index items (amount)"])
        let (seeded, database) = try Self.seeded([["name": "kept", "size": 7]])
        defer { withExtendedLifetime(database) {} }
        var config = seeded
        let after = try Self.declarations(renamed)
        #expect(try config.database.engine.prepareResources(config.database, declared: after, migratePending: true, at: "t", destructive: nil).count == 3)
        config.resources = after
        let record = try withSeparateStore(config) { store in try store.read(on: 0) { try $0.resource(after[0]).record(id: 1) } }
        #expect(record?["amount"] == 7 && record?["name"] == "kept" && record?["size"] == nil)
        #expect(try config.database.engine.resourcePlan(config.database, declared: after).plan.isEmpty, "nothing left to do")
    }

    /// `renamed_from` on a resource renames its table: the records, the id counter and the indexes stay (the indexes
    /// under the new name), and another resource's reference follows it.
    @Test func aRenamedResourceKeepsItsRecordsAndReferences() throws {
        let withParts = String(Self.base.dropLast()) + #", "parts": {"fields": {"item": {"type": "reference", "to": "items"}}}}"#
        let renamed = withParts.replacing(#"{"items": {"fields""#, with: #"{"things": {"renamed_from": "items", "fields""#)
            .replacing(#""to": "items""#, with: #""to": "things""#)
        #expect(try ResourceMigrationPlan(recorded: Self.declarations(withParts), declared: Self.declarations(renamed)).changes.map(\.summary)
                == ["rename resource items to things", "record the declaration of things", "record the declaration of parts"])
        let before = try Self.declarations(withParts)
        let database = try Self.cluster()
        defer { withExtendedLifetime(database) {} }
        var config = Self.config(before, on: database)
        try withSeparateStore(config) { store in
            try store.write { transaction in
                for name in ["one", "two", "three"] { _ = try transaction.resource(before[0]).insert(["name": .string(name), "size": 2], ownerID: nil, at: "t") }
                _ = try transaction.resource(before[1]).insert(["item": 2], ownerID: nil, at: "t")
                _ = try transaction.resource(before[0]).delete(id: 3)
            }
        }
        let after = try Self.declarations(renamed)
        #expect(try config.database.engine.prepareResources(config.database, declared: after, migratePending: true, at: "t", destructive: nil).count == 3)
        config.resources = after
        let (kept, next) = try withSeparateStore(config) { store in
            let kept = try store.read(on: 0) { try $0.resource(after[0]).record(id: 2) }
            let next = try store.write { try $0.resource(after[0]).insert(["name": "four", "size": 1], ownerID: nil, at: "t")["id"] }
            return (kept, next)
        }
        #expect(kept?["name"] == "two" && next == 4)
        #expect(throws: ResourceRefusal.self, "the part's reference now restricts deleting a thing") {
            try withSeparateStore(config) { store in try store.write { _ = try $0.resource(after[0]).delete(id: 2) } }
        }
        if !ResourceFixture.onPostgres {
            let file = try Database(path: config.database.path, options: config.database.options)
            #expect(try file.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'things' AND sql IS NOT NULL") { $0.string(0) }
                    == ["things__size"])
            #expect(try file.query("SELECT \"table\" FROM pragma_foreign_key_list('parts')") { $0.string(0) } == ["things"])
        }
        #expect(try config.database.engine.resourcePlan(config.database, declared: after).plan.isEmpty, "nothing left to do")
    }

    /// With `--allow-destructive`, a field no longer declared is dropped (its index with it) and a new required one
    /// takes the value `--set` gives it, after a backup that holds the table as it was: SQLite's file, or on PostgreSQL
    /// a schema of copies. A unique set added in the same migration is made once (SQLite's rebuild makes it too).
    @Test func aDestructiveMigrationBacksUpThenDropsAndFills() throws {
        let (seeded, database) = try Self.seeded([["name": "kept", "size": 7]])
        defer { withExtendedLifetime(database) {} }
        var config = seeded
        let changed = try Self.declarations(Self.base.replacing(#""size": {"type": "integer", "default": 1}"#, with: #""code": {"type": "string", "min_length": 2}"#)
            .replacing(#""indexes": [["size"]]"#, with: #""unique": [["name"]]"#))
        let engine = config.database.engine, backup = engine.backupLocation(config.database, stamp: "1")
        #expect {
            try engine.prepareResources(config.database, declared: changed, migratePending: true, at: "t", destructive: nil)
        } throws: { error in (error as? AppError)?.description.contains("drop field items.size") == true }
        let applied = try engine.prepareResources(config.database, declared: changed, migratePending: true, at: "t",
                                                  destructive: DestructiveMigration(backup: backup, backfills: ["items.code": "AB"]))
        #expect(applied.map(\.summary).contains("rebuild table items for items.size"), "\(applied.map(\.summary))")
        config.resources = changed
        let record = try withSeparateStore(config) { store in try store.read(on: 0) { try $0.resource(changed[0]).record(id: 1) } }
        #expect(record?["name"] == "kept" && record?["code"] == "AB" && record?["size"] == nil, "\(String(describing: record))")
        let backedUp = try database.map { cluster in
            try PostgresConnection(cluster.socketConnectionString).runBlocking("SELECT size FROM \(backup).items").records.map { $0.int64(0) }
        } ?? Database(path: backup, options: config.database.options).query("SELECT size FROM items") { $0.int64(0) }
        #expect(backedUp == [7], "the backup holds the dropped column's values")
        #expect(try engine.resourcePlan(config.database, declared: changed).plan.isEmpty, "nothing left to do")
    }

    /// A changed type converts every value as a request would be validated, or, when one does not convert, refuses the
    /// migration naming the record and changes nothing.
    @Test func aChangedTypeConvertsEveryValueOrNone() throws {
        let (seeded, database) = try Self.seeded([["name": "12", "size": 1], ["name": "7", "size": 0], ["name": "-3", "size": 1]])
        defer { withExtendedLifetime(database) {} }
        var config = seeded
        let items = config.resources
        var backups = 0
        func destructive() -> DestructiveMigration {
            backups += 1
            return DestructiveMigration(backup: config.database.engine.backupLocation(config.database, stamp: "\(backups)"), backfills: [:])
        }
        let swapped = try Self.declarations(Self.base.replacing(#""type": "string", "max_length": 10"#, with: #""type": "integer", "minimum": 0"#)
            .replacing(#""type": "integer", "default": 1"#, with: #""type": "boolean", "default": true"#))
        #expect {
            try config.database.engine.prepareResources(config.database, declared: swapped, migratePending: true, at: "t", destructive: nil)
        } throws: { error in (error as? AppError)?.description.contains("change the type of items.name from string to integer") == true }
        #expect {
            try config.database.engine.prepareResources(config.database, declared: swapped, migratePending: true, at: "t", destructive: destructive())
        } throws: { error in
            (error as? AppError)?.description.contains(#"change the type of items.name: record 3 holds "-3", which does not convert (Input should be greater than or equal to 0)"#) == true
        }
        #expect(try config.database.engine.resourcePlan(config.database, declared: items).plan.isEmpty, "the refused migration changed nothing")

        let converted = try Self.declarations(Self.base.replacing(#""type": "string", "max_length": 10"#, with: #""type": "integer""#)
            .replacing(#""type": "integer", "default": 1"#, with: #""type": "boolean", "default": true"#))
        _ = try config.database.engine.prepareResources(config.database, declared: converted, migratePending: true, at: "t", destructive: destructive())
        config.resources = converted
        let records = try withSeparateStore(config) { store in
            try store.read(on: 0) { try $0.resource(converted[0]).page(ResourceQuery(filter: nil, sort: [], after: nil, limit: 10, caller: nil, now: "")) }
        }
        #expect(records.map { [$0["name"], $0["size"]] } == [[12, true], [7, false], [-3, true]])
        let logged = try withSeparateStore(config) { store in
            _ = try store.write { try $0.resource(converted[0]).insert(["name": 5, "size": false], ownerID: nil, at: "t") }
            return try store.read(on: 0) { try $0.changes.changes(after: 0, of: "items", limit: 100) }
        }
        #expect(logged.map(\.operation) == [.created, .created, .created, .created], "the conversion logged no change")
        #expect(logged.last?.record.members.map(\.key) == ["id", "name", "size", "created_at", "updated_at", "version"],
                "a logged record lists its fields as declared, whatever the order of the table's columns")

        let back = try Self.declarations(Self.base)
        _ = try config.database.engine.prepareResources(config.database, declared: back, migratePending: true, at: "t", destructive: destructive())
        config.resources = back
        let names = try withSeparateStore(config) { store in
            try store.read(on: 0) { try $0.resource(back[0]).page(ResourceQuery(filter: nil, sort: [], after: nil, limit: 10, caller: nil, now: "")) }
        }
        #expect(names.map { [$0["name"], $0["size"]] } == [["12", 1], ["7", 0], ["-3", 1], ["5", 0]])
    }
}
