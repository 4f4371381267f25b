import JSON
import OpenAPI

/// How a field's values become values of its new type in `api migrate --allow-destructive` (DESIGN §10): each value is
/// reshaped (`5` to `"5"`, `"5"` to `5`, `true` to `1`, `"2026-05-01"` to `"2026-05-01T00:00:00Z"`...) and then
/// validated with the schema a request meets, so a converted record is one the API could have written. A value that
/// does not convert refuses the whole migration, naming its record.
///
/// Conversions exist between the scalar types where every value has one meaning in the other: to and from `string`
/// (from `integer`, `number`, `boolean`, `date`, `datetime`), `integer` to and from `number`, `boolean` and
/// `reference`, a `reference` to another resource (the ids are kept and checked), `date` to and from `datetime` (a
/// date-time converts when its time is midnight). Arrays and objects have none.
struct ResourceTypeConversion: Sendable {
    /// The type the values have.
    let from: ResourceField.Kind
    /// The field as declared now.
    let to: ResourceField

    private enum Scalar { case string, integer, number, boolean, date, datetime, reference }

    private static let convertible: Set<[Scalar]> = [
        [.integer, .string], [.number, .string], [.boolean, .string], [.date, .string], [.datetime, .string],
        [.string, .integer], [.string, .number], [.string, .boolean], [.string, .date], [.string, .datetime],
        [.integer, .number], [.number, .integer], [.integer, .boolean], [.boolean, .integer],
        [.integer, .reference], [.reference, .integer], [.reference, .reference], [.date, .datetime], [.datetime, .date],
    ]

    /// The conversion from `from` to the type of `to`, or nil when none exists.
    init?(from: ResourceField.Kind, to: ResourceField) {
        guard let source = Self.scalar(from), let target = Self.scalar(to.kind), Self.convertible.contains([source, target]) else { return nil }
        self.from = from
        self.to = to
    }

    /// Why a value does not convert: Pydantic's message for the reshaped value.
    struct Failure: Error {
        let message: String
    }

    /// `value` (as the API shows it) as a value of the new type.
    func convert(_ value: JSONValue) throws(Failure) -> JSONValue {
        if value == .null { return .null }
        var validator = Validator()
        let converted = validator.validate(reshaped(value), against: ResourceSchemas.schema(of: to), at: [.string(to.name)])
        if let issue = validator.issues.first { throw Failure(message: issue.message) }
        return converted
    }

    /// The value in the JSON form the new type reads; what has no such form is left as it is, for the validation to
    /// refuse.
    private func reshaped(_ value: JSONValue) -> JSONValue {
        switch (Self.scalar(from), Self.scalar(to.kind), value) {
        case (_, .string?, .integer(let number)): .string(String(number))
        case (_, .string?, .double), (_, .string?, .bool): .string(value.jsonText)
        case (.string?, .integer?, .string(let text)), (.string?, .number?, .string(let text)), (.string?, .boolean?, .string(let text)):
            (try? JSONParser.parse(Array(text.utf8))) ?? value
        case (.number?, .integer?, .double(let number)): number.rounded() == number && abs(number) < 9.2e18 ? .integer(Int64(number)) : value
        case (.integer?, .number?, .integer(let number)): .double(Double(number))
        case (.integer?, .boolean?, .integer(let number)): number == 0 ? false : number == 1 ? true : value
        case (.boolean?, .integer?, .bool(let flag)): .integer(flag ? 1 : 0)
        case (.date?, .datetime?, .string(let text)): .string(text + "T00:00:00Z")
        default: value
        }
    }

    private static func scalar(_ kind: ResourceField.Kind) -> Scalar? {
        switch kind {
        case .string: .string
        case .integer: .integer
        case .number: .number
        case .boolean: .boolean
        case .date: .date
        case .datetime: .datetime
        case .reference: .reference
        case .array, .object: nil
        }
    }
}
