import HTTP
import JSON
import OpenAPI
import TestKit
import Testing

/// Schemas as data (issue 15, item 5): bodies derived from one declaration, and operations whose body is a
/// `ModelSchema` handled as a JSON value, as a resource from the configuration will be.
@Suite struct ModelDeclarationTests {
    private static let declaration = ModelDeclaration("Project", [
        .readOnly("id", .integer()),
        .field("name", .string(minLength: 1)),
        .field("status", .oneOf(["draft", "active"]), default: "draft"),
        .writeOnly("secret", Schema.string().secret, default: .null),
    ])

    @Test func createUpdateAndReadAreDerivedFromOneDeclaration() {
        let create = Self.declaration.create, update = Self.declaration.update, read = Self.declaration.read
        #expect(create.name == "ProjectCreate" && update.name == "ProjectUpdate" && read.name == "ProjectPublic")
        #expect(create.properties.map(\.name) == ["name", "status", "secret"], "read-only fields are not written")
        #expect(create.properties.map(\.isRequired) == [true, false, false], "required unless defaulted")
        #expect(update.properties.allSatisfy { !$0.isRequired && $0.schema.isNullable && $0.defaultValue == .null })
        #expect(read.properties.map(\.name) == ["id", "name", "status"], "write-only fields are never shown")
    }

    /// The body is validated against the schema, coerced and defaulted, and handed over as JSON; a bad one is a 422.
    @Test func anOperationTakesABodyDescribedByASchemaAlone() throws {
        var api = API(info: APIInfo(title: "t", version: "1"))
        api.add(Operation(.post, "/projects/", id: "create_project"), body: Self.declaration.create) { body, _, _ in
            .json(.created, body)
        }
        let client = RouterClient(router: api.router)
        let (created, _) = try client.send("POST", "/projects/", headers: [("Content-Type", "application/json")],
                                           body: Array(#"{"name":"apollo","extra":1}"#.utf8))
        #expect(created.status == .created)
        #expect(try JSONParser.parse(created.body) == ["name": "apollo", "status": "draft", "secret": .null])
        let (refused, _) = try client.send("POST", "/projects/", headers: [("Content-Type", "application/json")],
                                           body: Array(#"{"name":"","status":"gone"}"#.utf8))
        #expect(refused.status == .unprocessableContent)
        let types = try JSONParser.parse(refused.body)["detail"]?.arrayValue?.compactMap { $0["type"]?.stringValue }
        #expect(types == ["string_too_short", "literal_error"])
    }
}
