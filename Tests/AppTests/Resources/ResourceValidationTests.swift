import JSON
import Testing
import TestKit
@testable import App

/// A resource's bodies are validated as FastAPI validates the equivalent SQLModel (issue 16, "Must show" 2): each
/// constraint kind with Pydantic v2's `type`, `loc` and `msg`, every problem of a body at once. The expectations are
/// Pydantic 2.14.4's answers to the same bodies on the equivalent model (`scripts/oracles/resource_validation_oracle.py`;
/// numbers and Booleans strict, as documented), prefixed with `body` as FastAPI does.
@Suite(.serialized) struct ResourceValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let body: String
        /// `(type, loc after "body", msg)`; a nil `msg` checks the type and place only.
        let problems: [(String, [JSONValue], String?)]
        var testDescription: String { body }
    }

    static let cases = [
        Case(body: #"{}"#, problems: [("missing", ["name"], "Field required")]),
        Case(body: #"{"name": ""}"#, problems: [("string_too_short", ["name"], "String should have at least 1 character")]),
        Case(body: #"{"name": "aaaaaaaaaaaaaaaaaaaaa"}"#, problems: [("string_too_long", ["name"], "String should have at most 20 characters")]),
        Case(body: #"{"name": "Capital"}"#, problems: [("string_pattern_mismatch", ["name"], "String should match pattern '^[a-z0-9 ]+$'")]),
        Case(body: #"{"name": 5}"#, problems: [("string_type", ["name"], "Input should be a valid string")]),
        Case(body: #"{"name": "a", "status": "gone"}"#, problems: [("literal_error", ["status"], "Input should be 'draft', 'active' or 'archived'")]),
        Case(body: #"{"name": "a", "count": -1}"#, problems: [("greater_than_equal", ["count"], "Input should be greater than or equal to 0")]),
        Case(body: #"{"name": "a", "count": 101}"#, problems: [("less_than_equal", ["count"], "Input should be less than or equal to 100")]),
        Case(body: #"{"name": "a", "count": "5"}"#, problems: [("int_type", ["count"], "Input should be a valid integer")]),   // strict, as documented
        Case(body: #"{"name": "a", "count": 1.5}"#, problems: [("int_type", ["count"], "Input should be a valid integer")]),
        Case(body: #"{"name": "a", "ratio": 0}"#, problems: [("greater_than", ["ratio"], "Input should be greater than 0")]),
        Case(body: #"{"name": "a", "ratio": 1}"#, problems: [("less_than", ["ratio"], "Input should be less than 1")]),
        Case(body: #"{"name": "a", "budget": false}"#, problems: [("float_type", ["budget"], "Input should be a valid number")]),
        Case(body: #"{"name": "a", "done": "yes"}"#, problems: [("bool_type", ["done"], "Input should be a valid boolean")]),   // strict, as documented
        Case(body: #"{"name": "a", "due": "2026-13-01"}"#, problems: [("date_from_datetime_parsing", ["due"],
             "Input should be a valid date or datetime, month value is outside expected range of 1-12")]),
        Case(body: #"{"name": "a", "at": "yesterday"}"#,
             problems: [("datetime_from_date_parsing", ["at"], "Input should be a valid datetime or date, input is too short")]),
        Case(body: #"{"name": "a", "tags": ["a", "b", "c", "d"]}"#,
             problems: [("too_long", ["tags"], "List should have at most 3 items after validation, not 4")]),
        Case(body: #"{"name": "a", "tags": ["far too long"]}"#, problems: [("string_too_long", ["tags", 0], "String should have at most 10 characters")]),
        Case(body: #"{"name": "a", "tags": "a"}"#, problems: [("list_type", ["tags"], "Input should be a valid list")]),
        Case(body: #"{"name": "a", "meta": [1]}"#, problems: [("dict_type", ["meta"], "Input should be a valid dictionary")]),
        Case(body: #"{"name": "a", "email": "nope"}"#, problems: [("value_error", ["email"], nil)]),
        Case(body: #"{"name": "a", "key": "nope"}"#, problems: [("uuid_parsing", ["key"], "Input should be a valid UUID, invalid character: found `n` at 0")]),
        Case(body: #"{"name": "a", "site": "nope"}"#, problems: [("url_parsing", ["site"], "Input should be a valid URL, relative URL without a base")]),
        Case(body: #"{"name": "a", "lead": 0}"#, problems: [("greater_than_equal", ["lead"], "Input should be greater than or equal to 1")]),
        Case(body: #"{"name": "", "count": -1, "tags": 3}"#, problems: [
            ("string_too_short", ["name"], nil), ("greater_than_equal", ["count"], nil), ("list_type", ["tags"], nil)]),
    ]

    @Test(.timeLimit(.minutes(3)))
    func eachConstraintAnswersAsFastAPIDoes() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        for test in Self.cases {
            let answer = try fixture.send("POST", "/things/", test.body, as: .owner)
            #expect(answer.status == 422, "\(test.body): \(answer.response)")
            let detail = answer.json?["detail"]?.arrayValue ?? []
            #expect(detail.count == test.problems.count, "\(test.body): \(answer.response)")
            for (issue, (type, location, message)) in zip(detail, test.problems) {
                #expect(issue["type"]?.stringValue == type, "\(test.body): \(issue.jsonText)")
                #expect(issue["loc"] == .array(["body"] + location), "\(test.body): \(issue.jsonText)")
                if let message { #expect(issue["msg"]?.stringValue == message, "\(test.body): \(issue.jsonText)") }
            }
        }
        let patch = try fixture.send("PATCH", "/things/1", #"{"count": -1}"#, as: .owner)
        #expect(patch.status == 422 || patch.status == 404, "a PATCH validates its body as well: \(patch.response)")
    }

    /// Values come back normalized: a datetime in UTC to the millisecond, an email's domain in lower case, a UUID in
    /// lower case, a number as a number.
    @Test(.timeLimit(.minutes(3)))
    func valuesAreStoredNormalized() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let created = try fixture.send("POST", "/things/", #"""
            {"name": "norm", "at": "2026-05-01T12:00:00.123456+02:00", "email": "Ada@Example.COM",
             "key": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "budget": 3, "meta": {"k": [1, 2]}}
            """#, as: .owner)
        #expect(created.status == 201, "\(created.response)")
        #expect(created.json?["at"] == "2026-05-01T10:00:00.123Z")
        #expect(created.json?["email"] == "Ada@example.com")
        #expect(created.json?["key"] == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
        #expect(created.json?["budget"] == .double(3) && created.json?["meta"] == ["k": [1, 2]])
        let read = try fixture.send("GET", "/things/\(created.json?["id"]?.intValue ?? 0)", as: .owner)
        #expect(read.json == created.json, "read back as created")
    }
}
