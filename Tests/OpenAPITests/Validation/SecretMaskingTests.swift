import JSON
@testable import OpenAPI
import Testing

/// Issue 14, item 3: a secret never comes back in a validation error, neither as the failing value nor inside the
/// object reported for a missing member; it is documented as Pydantic documents `SecretStr`.
@Suite struct SecretMaskingTests {
    private static let inner = ModelSchema("Inner", [Property("key", Schema.string(minLength: 4).secret)])
    private static let outer = ModelSchema("Outer", [
        Property("name", .string(minLength: 1)),
        Property("password", Schema.string(minLength: 8).secret),
        Property("tokens", .array(of: Schema.string().secret), default: []),
        Property("inner", Schema(kind: .model(inner)), default: .null),
    ])

    private static func issues(_ json: String) throws -> [ValidationIssue] {
        var validator = Validator()
        _ = validator.validateModel(try JSONParser.parse(Array(json.utf8)), outer, at: ["body"])
        return validator.issues
    }

    @Test func aFailingSecretShowsTheMask() throws {
        let issues = try Self.issues(#"{"name":"n","password":"hunter2"}"#)
        #expect(issues.map(\.type) == ["string_too_short"])
        #expect(issues.first?.input == Validator.mask)
    }

    @Test func aSecretOfTheWrongTypeShowsTheMask() throws {
        let issues = try Self.issues(#"{"name":"n","password":12345678}"#)
        #expect(issues.map(\.type) == ["string_type"] && issues.first?.input == Validator.mask)
    }

    /// `missing` reports the whole object: its secrets, however deep, are masked; the rest is kept.
    @Test func theObjectOfAMissingMemberHasItsSecretsMasked() throws {
        let issues = try Self.issues(#"{"password":"long-enough-1","tokens":["t1","t2"],"inner":{"key":"abcd"}}"#)
        #expect(issues.map(\.type) == ["missing"])
        let expected = try JSONParser.parse(Array(#"{"password":"**********","tokens":["**********","**********"],"inner":{"key":"**********"}}"#.utf8))
        #expect(issues.first?.input == expected)
    }

    @Test func aNestedSecretFailingIsMaskedAtItsOwnLevel() throws {
        let issues = try Self.issues(#"{"name":"n","password":"long-enough-1","inner":{"key":"abc"}}"#)
        #expect(issues.map(\.type) == ["string_too_short"])
        #expect(issues.first?.location == ["body", "inner", "key"] && issues.first?.input == Validator.mask)
    }

    @Test func aModelWithoutSecretsReportsItsInputAsReceived() throws {
        var validator = Validator()
        let model = ModelSchema("Plain", [Property("name", .string(minLength: 2))])
        _ = validator.validateModel(.object(["name": "x"]), model, at: ["body"])
        #expect(validator.issues.first?.input == "x")
    }

    @Test func aSecretIsDocumentedAsPydanticDocumentsSecretStr() {
        var collector = ComponentCollector()
        let schema = collector.json(for: Schema.string(minLength: 8).secret)
        #expect(schema.objectValue?["format"] == "password" && schema.objectValue?["writeOnly"] == true, "\(schema)")
    }
}
