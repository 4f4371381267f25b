import AppTestKit
import TestKit
import JSON
import Testing
@testable import App

/// The `resources` section as DESIGN §10 writes it, read and checked: the example reads as declared, and each mistake
/// is one line naming its key path (and a rule's position).
@Suite struct ResourceDeclarationTests {
    static let projects = #"""
        {"projects": {
          "title": "Project",
          "fields": {
            "name":   {"type": "string", "min_length": 1, "max_length": 200},
            "status": {"type": "string", "enum": ["draft", "active", "archived"], "default": "draft"},
            "budget": {"type": "number", "minimum": 0, "default": 0},
            "tags":   {"type": "array", "items": {"type": "string", "max_length": 40}, "max_items": 20, "default": []},
            "due":    {"type": "date", "optional": true},
            "lead":   {"type": "reference", "to": "users", "optional": true, "on_delete": "set_null"}
          },
          "owner": true,
          "unique": [["owner_id", "name"]],
          "indexes": [["status", "budget"]],
          "rules": {
            "list":   "owner_id = @caller.id || @caller.admin",
            "read":   "owner_id = @caller.id || @caller.admin",
            "create": "authenticated",
            "update": "owner_id = @caller.id",
            "delete": "owner_id = @caller.id || @caller.admin"
          }
        }}
        """#

    private static func read(_ text: String) throws -> [ResourceDeclaration] {
        try ResourceDeclarationReader.read(try JSONParser.parse(Array(text.utf8)))
    }

    @Test func designsExampleReadsAsDeclared() throws {
        let projects = try #require(try Self.read(Self.projects).first)
        #expect(projects.name == "projects" && projects.title == "Project" && projects.hasOwner)
        #expect(projects.fields.map(\.name) == ["name", "status", "budget", "tags", "due", "lead"])
        #expect(projects.fields.filter(\.isRequired).map(\.name) == ["name"], "the others have a default or are optional")
        #expect(projects.fields[1].kind == .string(minLength: nil, maxLength: nil, pattern: nil, format: nil, choices: ["draft", "active", "archived"]))
        #expect(projects.fields[5].kind == .reference(to: "users", onDelete: .setNull))
        #expect(projects.unique == [["owner_id", "name"]] && projects.indexes == [["status", "budget"]])
        #expect(projects.rule(.create) == .authenticated)
        #expect(projects.rule(.update) == .filter(.compare("owner_id", .equal, .variable(.callerID))))
        let noRules = try #require(try Self.read(#"{"notes": {"fields": {"text": {"type": "string"}}}}"#).first)
        #expect(ResourceRule.Operation.allCases.allSatisfy { noRules.rule($0) == .admin }, "closed by default")
    }

    struct Mistake: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        let path: String
        let words: String
        var testDescription: String { name }
    }

    static let mistakes = [
        Mistake(name: "a name that is not an identifier", json: #"{"Projects": {"fields": {"a": {"type": "string"}}}}"#,
                path: "resources.Projects", words: "lower-case letter"),
        Mistake(name: "a built-in path", json: #"{"users": {"fields": {"a": {"type": "string"}}}}"#, path: "resources.users", words: "built-in path"),
        Mistake(name: "an SQL keyword", json: #"{"order": {"fields": {"a": {"type": "string"}}}}"#, path: "resources.order", words: "SQL keyword"),
        Mistake(name: "an unknown key", json: #"{"p": {"fields": {"a": {"type": "string"}}, "colour": 1}}"#, path: "resources.p.colour", words: "unknown key"),
        Mistake(name: "no fields", json: #"{"p": {"fields": {}}}"#, path: "resources.p.fields", words: "at least one field"),
        Mistake(name: "a system field", json: #"{"p": {"fields": {"version": {"type": "integer"}}}}"#, path: "resources.p.fields.version",
                words: "every record has"),
        Mistake(name: "an unknown type", json: #"{"p": {"fields": {"a": {"type": "text"}}}}"#, path: "resources.p.fields.a.type", words: "expected one of"),
        Mistake(name: "a constraint of another type", json: #"{"p": {"fields": {"a": {"type": "integer", "max_length": 3}}}}"#,
                path: "resources.p.fields.a.max_length", words: "not a constraint of a integer field"),
        Mistake(name: "min over max", json: #"{"p": {"fields": {"a": {"type": "string", "min_length": 5, "max_length": 2}}}}"#,
                path: "resources.p.fields.a.min_length", words: "more than max_length"),
        Mistake(name: "a default out of range", json: #"{"p": {"fields": {"a": {"type": "number", "minimum": 0, "default": -1}}}}"#,
                path: "resources.p.fields.a.default", words: "not a valid value"),
        Mistake(name: "a default not in the enum", json: #"{"p": {"fields": {"a": {"type": "string", "enum": ["x"], "default": "y"}}}}"#,
                path: "resources.p.fields.a.default", words: "not a valid value"),
        Mistake(name: "an array of objects", json: #"{"p": {"fields": {"a": {"type": "array", "items": {"type": "object"}}}}}"#,
                path: "resources.p.fields.a.items.type", words: "holds scalars"),
        Mistake(name: "a reference to nothing", json: #"{"p": {"fields": {"a": {"type": "reference", "to": "teams"}}}}"#,
                path: "resources.p.fields.a.to", words: "no resource named 'teams'"),
        Mistake(name: "set_null on a required reference", json: #"{"p": {"fields": {"a": {"type": "reference", "to": "users", "on_delete": "set_null"}}}}"#,
                path: "resources.p.fields.a.on_delete", words: "optional: true"),
        Mistake(name: "a unique on an unknown field", json: #"{"p": {"fields": {"a": {"type": "string"}}, "unique": [["a", "b"]]}}"#,
                path: "resources.p.unique[0]", words: "no field named 'b'"),
        Mistake(name: "owner_id without an owner", json: #"{"p": {"fields": {"a": {"type": "string"}}, "indexes": [["owner_id"]]}}"#,
                path: "resources.p.indexes[0]", words: "no field named 'owner_id'"),
        Mistake(name: "a rule for an unknown operation", json: #"{"p": {"fields": {"a": {"type": "string"}}, "rules": {"patch": "public"}}}"#,
                path: "resources.p.rules.patch", words: "unknown operation"),
        Mistake(name: "a rule that does not parse", json: #"{"p": {"fields": {"a": {"type": "string"}}, "rules": {"read": "a = "}}}"#,
                path: "resources.p.rules.read", words: "at position 5"),
        Mistake(name: "a title taking a built-in body's name", json: #"{"p": {"title": "user", "fields": {"a": {"type": "string"}}}}"#,
                path: "resources.p.title", words: "UserCreate"),
        Mistake(name: "two titles giving the same bodies", json: #"{"p": {"title": "Item", "fields": {"a": {"type": "string"}}}, "q": {"title": "item", "fields": {"a": {"type": "string"}}}}"#,
                path: "resources.q.title", words: "resources.p"),
        Mistake(name: "a pattern that does not compile", json: #"{"p": {"fields": {"a": {"type": "string", "pattern": "(unclosed"}}}}"#,
                path: "resources.p.fields.a.pattern", words: "regular expression"),
        Mistake(name: "a previous name that is no identifier", json: #"{"p": {"fields": {"a": {"type": "string", "renamed_from": "A b"}}}}"#,
                path: "resources.p.fields.a.renamed_from", words: "previous name"),
        Mistake(name: "a resource renamed from one still declared", json: #"{"p": {"fields": {"a": {"type": "string"}}}, "q": {"renamed_from": "p", "fields": {"a": {"type": "string"}}}}"#,
                path: "resources.q.renamed_from", words: "'p' is declared too"),
        Mistake(name: "a resource renamed from itself", json: #"{"p": {"renamed_from": "p", "fields": {"a": {"type": "string"}}}}"#,
                path: "resources.p.renamed_from", words: "the resource's previous name"),
        Mistake(name: "a table of api itself", json: #"{"jobs": {"fields": {"a": {"type": "string"}}}}"#,
                path: "resources.jobs", words: "table of api itself"),
        Mistake(name: "the change log's table", json: #"{"changes": {"fields": {"a": {"type": "string"}}}}"#,
                path: "resources.changes", words: "table of api itself"),
        Mistake(name: "the idempotency keys' table", json: #"{"idempotency_keys": {"fields": {"a": {"type": "string"}}}}"#,
                path: "resources.idempotency_keys", words: "table of api itself"),
        Mistake(name: "a rule naming an unknown field", json: #"{"p": {"fields": {"a": {"type": "string"}}, "rules": {"read": "owner_id = @caller.id"}}}"#,
                path: "resources.p.rules.read", words: "unknown field 'owner_id'"),
    ]

    @Test(arguments: mistakes)
    func eachMistakeNamesItsKeyPath(_ mistake: Mistake) {
        #expect {
            _ = try Self.read(mistake.json)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.source == mistake.path && error.problem.contains(mistake.words)
        }
    }

    /// No title can make bodies named like a built-in one: every built-in component named `XCreate`, `XUpdate`,
    /// `XPublic`, `XPublicPage` or `XListItem` has its `X` reserved.
    @Test func theReservedTitlesCoverEveryBuiltInBody() throws {
        let application = try Application(config: LiveServer.testDefaults)
        defer { application.close() }
        let names = application.makeAPI().document["components"]?["schemas"]?.objectValue?.members.map(\.key) ?? []
        #expect(names.contains("UserCreate"))
        for name in names {
            for suffix in ["PublicPage", "Create", "Update", "Public", "ListItem"] where name.hasSuffix(suffix) {
                #expect(ResourceDeclarationReader.reservedComponentNames.contains(String(name.dropLast(suffix.count))), "\(name)")
            }
        }
    }
}
