import JSON
import Testing
@testable import App

/// Each conversion of a changed type (DESIGN §10, destructive migrations): the value reshaped, then validated as a
/// request's would be; what has no value of the new type does not convert.
@Suite struct ResourceTypeConversionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let from: ResourceField.Kind
        let to: ResourceField.Kind
        let value: JSONValue
        /// The converted value, or nil when it does not convert.
        let expected: JSONValue?
        var testDescription: String { "\(from.storageClass) \(value.jsonText) to \(to.storageClass)" }
    }

    private static let text = ResourceField.Kind.string(minLength: nil, maxLength: nil, pattern: nil, format: nil, choices: nil)
    private static let integer = ResourceField.Kind.integer(ResourceField.Bounds())
    private static let number = ResourceField.Kind.number(ResourceField.Bounds())

    static let cases: [Case] = [
        Case(from: integer, to: text, value: 42, expected: "42"),
        Case(from: number, to: text, value: 1.5, expected: "1.5"),
        Case(from: .boolean, to: text, value: true, expected: "true"),
        Case(from: .datetime, to: text, value: "2026-05-01T10:00:00.000Z", expected: "2026-05-01T10:00:00.000Z"),
        Case(from: text, to: integer, value: "17", expected: 17),
        Case(from: text, to: integer, value: "1.5", expected: nil),
        Case(from: text, to: integer, value: "seven", expected: nil),
        Case(from: text, to: number, value: "2.25", expected: 2.25),
        Case(from: text, to: .boolean, value: "false", expected: false),
        Case(from: text, to: .boolean, value: "yes", expected: nil),
        Case(from: text, to: .date, value: "2026-02-28", expected: "2026-02-28"),
        Case(from: text, to: .date, value: "2026-02-30", expected: nil),
        Case(from: text, to: .datetime, value: "2026-05-01T12:00:00+02:00", expected: "2026-05-01T10:00:00.000Z"),
        Case(from: integer, to: number, value: 3, expected: 3.0),
        Case(from: number, to: integer, value: 3.0, expected: 3),
        Case(from: number, to: integer, value: 3.5, expected: nil),
        Case(from: integer, to: .boolean, value: 1, expected: true),
        Case(from: integer, to: .boolean, value: 2, expected: nil),
        Case(from: .boolean, to: integer, value: false, expected: 0),
        Case(from: .date, to: .datetime, value: "2026-05-01", expected: "2026-05-01T00:00:00.000Z"),
        Case(from: .datetime, to: .date, value: "2026-05-01T00:00:00.000Z", expected: "2026-05-01"),
        Case(from: .datetime, to: .date, value: "2026-05-01T10:00:00.000Z", expected: nil),
        Case(from: .reference(to: "a", onDelete: .restrict), to: .reference(to: "b", onDelete: .cascade), value: 9, expected: 9),
    ]

    @Test(arguments: cases) func aValueConvertsOrIsRefused(_ test: Case) throws {
        let conversion = try #require(ResourceTypeConversion(from: test.from, to: ResourceField(name: "f", kind: test.to, isOptional: true,
                                                                                                defaultValue: nil, description: nil)))
        let converted = try? conversion.convert(test.value)
        #expect(converted == test.expected)
        #expect(try conversion.convert(.null) == .null, "null stays null")
    }

    @Test func arraysAndObjectsHaveNoConversion() {
        let array = ResourceField.Kind.array(items: Self.text, minItems: nil, maxItems: nil)
        for (from, to) in [(array, Self.text), (Self.text, array), (.object(maxBytes: nil), Self.text), (Self.integer, .object(maxBytes: nil))] {
            #expect(ResourceTypeConversion(from: from, to: ResourceField(name: "f", kind: to, isOptional: false, defaultValue: nil, description: nil)) == nil)
        }
    }
}
