import JSON
@testable import OpenAPI
import Testing

/// One input and what validating it gives: the value as validated (normalized as it is stored), or its one error.
struct FormatCase: CustomTestStringConvertible, Sendable {
    enum Expected: Sendable {
        case valid(JSONValue)
        case invalid(type: String, message: String, context: JSONObject?)
    }

    let input: JSONValue
    let expected: Expected

    var testDescription: String { String(decoding: input.serialized(), as: UTF8.self) }

    static func valid(_ input: JSONValue, _ output: JSONValue) -> FormatCase {
        FormatCase(input: input, expected: .valid(output))
    }

    static func invalid(_ input: JSONValue, _ type: String, _ message: String, _ context: JSONObject? = nil) -> FormatCase {
        FormatCase(input: input, expected: .invalid(type: type, message: message, context: context))
    }

    /// The `*_parsing` errors: `msg` is `prefix`, a comma and `error`; `ctx` is `{"error": error}`.
    static func unparsable(_ input: JSONValue, _ type: String, _ prefix: String, _ error: String) -> FormatCase {
        invalid(input, type, "\(prefix), \(error)", ["error": .string(error)])
    }

    func check(against schema: Schema, sourceLocation: SourceLocation = #_sourceLocation) {
        var validator = Validator()
        let output = validator.validate(input, against: schema, at: ["body", "field"])
        switch expected {
        case .valid(let value):
            #expect(validator.issues.isEmpty, "\(validator.issues)", sourceLocation: sourceLocation)
            #expect(output == value, sourceLocation: sourceLocation)
        case .invalid(let type, let message, let context):
            let issue = ValidationIssue(type: type, location: ["body", "field"], message: message, input: input, context: context)
            #expect(validator.issues == [issue], sourceLocation: sourceLocation)
        }
    }
}

/// Issue 16: the fields a resource declares (DESIGN §10) are validated as Pydantic v2 validates the equivalent FastAPI
/// fields (`datetime.date`, `datetime.datetime`, `UUID`, `AnyUrl`, `dict`), with the same `type`, `msg` and `ctx`.
///
/// Every row is what Pydantic 2.14.4 (pydantic-core 2.50.5, the oracle's versions) answers through
/// `TypeAdapter(...).validate_python`, as FastAPI validates a parsed JSON body, with the value as `api` stores it,
/// except the rows marked as deviations.
@Suite struct FormatValidationTests {
    // MARK: - Dates

    private static func notADate(_ input: JSONValue, _ error: String) -> FormatCase {
        .unparsable(input, "date_from_datetime_parsing", "Input should be a valid date or datetime", error)
    }

    static let dates: [FormatCase] = [
        .valid("2024-05-01", "2024-05-01"),
        .valid("2024-02-29", "2024-02-29"),
        .valid("0001-01-01", "0001-01-01"),
        .valid("9999-12-31", "9999-12-31"),
        // Not a date, so read as a date-time, which must be exactly midnight (in any offset): its date is taken.
        .valid("2024-05-01T00:00:00Z", "2024-05-01"),
        .valid("2024-05-01T00:00:00+02:00", "2024-05-01"),
        .valid("2024-05-01 00:00", "2024-05-01"),
        .invalid("2024-05-01T10:00:00Z", "date_from_datetime_inexact", "Datetimes provided to dates should have zero time - e.g. be exact dates"),
        .invalid("2024-05-01T00:00:00.000001", "date_from_datetime_inexact", "Datetimes provided to dates should have zero time - e.g. be exact dates"),
        // The error is the date-time reading's, the last one tried.
        notADate("", "input is too short"),
        notADate("2024-5-01", "input is too short"),
        notADate("2024-05-01 ", "input is too short"),
        notADate("x024-05-01", "invalid character in year"),
        notADate("２０２４-05-01", "invalid character in year"),
        notADate("2024/05/01", "invalid date separator, expected `-`"),
        notADate("2024-0x-01", "invalid character in month"),
        notADate("2024-05-0x", "invalid character in day"),
        notADate("2024-13-01", "month value is outside expected range of 1-12"),
        notADate("2024-00-10", "month value is outside expected range of 1-12"),
        notADate("2024-02-30", "day value is outside expected range"),
        notADate("2023-02-29", "day value is outside expected range"),
        notADate("2024-05-00", "day value is outside expected range"),
        notADate("2024-05-01x", "invalid datetime separator, expected `T`, `t`, `_` or space"),
        notADate("2024-05-01T10:0", "input is too short"),
        notADate("2024-05-01Tab:00", "invalid character in hour"),
        notADate("2024-05-01T10-00", "invalid time separator, expected `:`"),
        notADate("2024-05-01T1x:00", "invalid character in hour"),
        notADate("2024-05-01T10:x0", "invalid character in minute"),
        notADate("2024-05-01T25:00:00", "hour value is outside expected range of 0-23"),
        notADate("2024-05-01T10:60", "minute value is outside expected range of 0-59"),
        notADate("2024-05-01T10:00:6", "invalid character in second"),
        notADate("2024-05-01T10:00:60", "second value is outside expected range of 0-59"),
        notADate("2024-05-01T10:00:00.Z", "second fraction digits missing after `.`"),
        notADate("2024-05-01T10:00:00X", "invalid timezone sign"),
        notADate("2024-05-01T10:00:00+2:00", "invalid timezone hour"),
        notADate("2024-05-01T10:00:00+02", "invalid timezone minute"),
        notADate("2024-05-01T10:00:00+02:60", "timezone minute value is outside expected range of 0-59"),
        notADate("2024-05-01T10:00:00+24:00", "timezone offset must be less than 24 hours"),
        notADate("2024-05-01T10:00:00Zabc", "unexpected extra characters at the end of the input"),
        // speedate reads year 0, Python's `date` refuses it.
        .unparsable("0000-01-01", "date_parsing", "Input should be a valid date in the format YYYY-MM-DD", "year 0 is out of range"),
        .unparsable("0000-01-01T00:00:00Z", "date_parsing", "Input should be a valid date in the format YYYY-MM-DD", "year 0 is out of range"),
        .invalid(true, "date_type", "Input should be a valid date"),
        .invalid(.null, "date_type", "Input should be a valid date"),
        .invalid([], "date_type", "Input should be a valid date"),
        .invalid([:], "date_type", "Input should be a valid date"),
        // Deviation: Pydantic reads Unix timestamps (1714521600 is 2024-05-01; 0 and "0" are 1970-01-01). A date is
        // RFC 3339 text here, and a timestamp gets the error its digits get as such text.
        notADate(1_714_521_600, "invalid date separator, expected `-`"),
        notADate("1714521600", "invalid date separator, expected `-`"),
        notADate(0, "input is too short"),
        notADate(1.5, "input is too short"),
    ]

    @Test(arguments: dates)
    func datesAreReadAsPydanticReadsThem(_ example: FormatCase) {
        example.check(against: .date)
    }

    // MARK: - Date-times

    private static func notADateTime(_ input: JSONValue, _ error: String) -> FormatCase {
        .unparsable(input, "datetime_from_date_parsing", "Input should be a valid datetime or date", error)
    }

    static let dateTimes: [FormatCase] = [
        .valid("2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000Z"),
        .valid("2024-05-01T12:00:00.5+02:00", "2024-05-01T10:00:00.500Z"),
        .valid("2024-05-01t10:00:00z", "2024-05-01T10:00:00.000Z"),
        .valid("2024-05-01 10:00:00Z", "2024-05-01T10:00:00.000Z"),
        .valid("2024-05-01_10:00:00Z", "2024-05-01T10:00:00.000Z"),
        .valid("2024-05-01T10:00Z", "2024-05-01T10:00:00.000Z"),
        .valid("2024-05-01T10:00:00,25Z", "2024-05-01T10:00:00.250Z"),
        .valid("2024-05-01T10:00:00+0200", "2024-05-01T08:00:00.000Z"),
        .valid("2024-05-01T10:00:00\u{2212}02:00", "2024-05-01T12:00:00.000Z"),
        .valid("2024-05-01T10:00:00+23:59", "2024-04-30T10:01:00.000Z"),
        // Extra fraction digits are truncated, never rounded.
        .valid("2024-05-01T10:00:00.123999999Z", "2024-05-01T10:00:00.123Z"),
        .valid("2024-12-31T23:59:59.9999999-00:30", "2025-01-01T00:29:59.999Z"),
        .valid("2024-03-01T00:00:00+00:01", "2024-02-29T23:59:00.000Z"),
        .valid("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
        // Pydantic keeps a naive date-time naive; we store instants, and read it as UTC.
        .valid("2024-05-01T10:00:00", "2024-05-01T10:00:00.000Z"),
        .valid("2024-05-01T10:00", "2024-05-01T10:00:00.000Z"),
        // Not a date-time, so read as a date: midnight.
        .valid("2024-05-01", "2024-05-01T00:00:00.000Z"),
        // The error is the date reading's, the last one tried: anything past the tenth character is "extra".
        notADateTime("", "input is too short"),
        notADateTime("abc", "input is too short"),
        notADateTime("2024/05/01T10:00:00", "invalid date separator, expected `-`"),
        notADateTime("2024-13-01T10:00:00", "month value is outside expected range of 1-12"),
        notADateTime("2024-02-30T10:00:00", "day value is outside expected range"),
        notADateTime("2024-05-01T25:00:00", "unexpected extra characters at the end of the input"),
        notADateTime("2024-05-01T10:00:00.Z", "unexpected extra characters at the end of the input"),
        notADateTime("2024-05-01T10:00:00+02", "unexpected extra characters at the end of the input"),
        notADateTime("2024-05-01T10:00:00 ", "unexpected extra characters at the end of the input"),
        notADateTime("2024-05-01X10:00:00", "unexpected extra characters at the end of the input"),
        .unparsable("0000-01-01T00:00:00", "datetime_parsing", "Input should be a valid datetime", "year 0 is out of range"),
        .unparsable("0000-01-01", "datetime_parsing", "Input should be a valid datetime", "year 0 is out of range"),
        .invalid(true, "datetime_type", "Input should be a valid datetime"),
        .invalid(.null, "datetime_type", "Input should be a valid datetime"),
        .invalid([:], "datetime_type", "Input should be a valid datetime"),
        // Deviation: Pydantic reads Unix timestamps (numbers, and digits in a string); here they are refused (see the
        // dates). Pydantic also keeps an instant that UTC puts outside years 1-9999, which our form cannot hold.
        notADateTime(1_714_557_600, "invalid date separator, expected `-`"),
        notADateTime(1_714_557_600.5, "invalid date separator, expected `-`"),
        notADateTime("1714557600", "invalid date separator, expected `-`"),
        notADateTime(0, "input is too short"),
        .unparsable("0001-01-01T00:30:00+01:00", "datetime_parsing", "Input should be a valid datetime", "year 0 is out of range"),
        .unparsable("9999-12-31T23:30:00-01:00", "datetime_parsing", "Input should be a valid datetime", "year 10000 is out of range"),
    ]

    @Test(arguments: dateTimes)
    func dateTimesAreReadAsPydanticReadsThemAndStoredInUTC(_ example: FormatCase) {
        example.check(against: .dateTime)
    }

    /// The stored form is fixed-width, so comparing the texts compares the instants.
    @Test func storedDateTimesSortAsTheirInstants() {
        let inputs: [JSONValue] = ["2024-05-01T12:00:00+02:00", "2024-05-01T09:59:59.999Z", "1999-12-31T23:00:00-01:00",
                                   "2024-05-01T10:00:00.001Z", "0999-01-01T00:00:00Z"]
        var validator = Validator()
        let stored = inputs.map { validator.validate($0, against: .dateTime, at: ["body"]).stringValue ?? "" }
        #expect(validator.issues.isEmpty)
        #expect(stored.allSatisfy { $0.utf8.count == 24 })
        #expect(stored.sorted() == ["0999-01-01T00:00:00.000Z", "2000-01-01T00:00:00.000Z", "2024-05-01T09:59:59.999Z",
                                    "2024-05-01T10:00:00.000Z", "2024-05-01T10:00:00.001Z"])
    }

    // MARK: - UUIDs

    private static func notAUUID(_ input: JSONValue, _ error: String) -> FormatCase {
        .unparsable(input, "uuid_parsing", "Input should be a valid UUID", error)
    }

    static let uuids: [FormatCase] = [
        .valid("550e8400-e29b-41d4-a716-446655440000", "550e8400-e29b-41d4-a716-446655440000"),
        .valid("550E8400-E29B-41D4-A716-446655440000", "550e8400-e29b-41d4-a716-446655440000"),
        .valid("550e8400e29b41d4a716446655440000", "550e8400-e29b-41d4-a716-446655440000"),
        .valid("{550e8400-e29b-41d4-a716-446655440000}", "550e8400-e29b-41d4-a716-446655440000"),
        .valid("urn:uuid:550e8400-e29b-41d4-a716-446655440000", "550e8400-e29b-41d4-a716-446655440000"),
        .valid("00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000"),
        notAUUID("", "invalid length: found 0"),
        notAUUID("not-a-uuid", "invalid character: found `n` at 0"),
        notAUUID(" 550e8400-e29b-41d4-a716-446655440000", "invalid character: found ` ` at 0"),
        notAUUID("550e8400-e29b-41d4-a716-44665544000g", "invalid character: found `g` at 35"),
        notAUUID("550e8400-e29b-41d4-a716-44665544000é", "invalid character: found `é` at 35"),
        notAUUID("URN:UUID:550e8400-e29b-41d4-a716-446655440000", "invalid character: found `U` at 0"),
        notAUUID("{550e8400-e29b-41d4-a716-44665544000g}", "invalid character: found `g` at 35"),
        notAUUID("{abcg}", "invalid character: found `g` at 4"),
        notAUUID("550e8400e29b41d4a71644665544000", "invalid length: found 31"),
        notAUUID(.string(String(repeating: "0", count: 46)), "invalid length: found 46"),
        notAUUID("550e8400-e29b41d4-a716-446655440000", "invalid group count: expected 5, found 4"),
        notAUUID("550e8400-e29b-41d4-a716-446655440000-", "invalid group count: expected 5, found 6"),
        notAUUID("{}", "invalid group count: expected 5, found 1"),
        notAUUID("550e840-0e29b-41d4-a716-446655440000", "invalid group length in group 0: expected 8, found 7"),
        notAUUID("550e8400-e29b-41d4-a716-44665544000", "invalid group length in group 4: expected 12, found 11"),
        // The crate measures the last group from the start of the whole text, braces and prefix included.
        notAUUID("{550e8400-e29b-41d4-a716-44665544000}", "invalid group length in group 4: expected 12, found 13"),
        notAUUID("urn:uuid:550e8400-e29b-41d4-a716-44665544000", "invalid group length in group 4: expected 12, found 20"),
        .invalid(123, "uuid_type", "UUID input should be a string, bytes or UUID object"),
        .invalid(.null, "uuid_type", "UUID input should be a string, bytes or UUID object"),
        .invalid([], "uuid_type", "UUID input should be a string, bytes or UUID object"),
    ]

    @Test(arguments: uuids)
    func uuidsAreReadAsPydanticReadsThemAndStoredLowercaseHyphenated(_ example: FormatCase) {
        example.check(against: .uuid)
    }

    // MARK: - URLs

    private static func notAURL(_ input: JSONValue, _ error: String) -> FormatCase {
        .unparsable(input, "url_parsing", "Input should be a valid URL", error)
    }

    /// Valid URLs are kept exactly as written: Pydantic would add a `/` path or lowercase the host.
    static let urls: [FormatCase] = [
        "https://example.com", "HTTP://EXAMPLE.COM:8080", "http://example.com/path?q=1#f", "http://user:pass@example.com",
        "http://@example.com", "http://example.com:", "http:example.com", "http:\\\\example.com", " http://example.com ",
        "http://exa\tmple.com", "http://exa_mple.com", "http://a b@c.com", "http://example.com/ spaces", "http://1.2.3",
        "http://0x7f.1", "http://999", "http://[::1]:8080/", "http://[::ffff:1.2.3.4]", "http://münchen.de",
        "http://xn--mnchen-3ya.de", "http://例え.テスト", "http://ex%41mple.com", "http://\u{AD}example.com",
        "mailto:someone@example.com", "urn:isbn:0451450523", "foo:", "foo://", "foo://@", "foo://a:", "foo://host%20x",
        "file:///etc/passwd", "file://host/x", "file://C:/x", "ws://example.com", "javascript:alert(1)",
    ].map { FormatCase.valid(.string($0), .string($0)) } + [
        notAURL("", "input is empty"),
        notAURL("   ", "relative URL without a base"),
        notAURL("example.com", "relative URL without a base"),
        notAURL("/relative", "relative URL without a base"),
        notAURL("1http://x", "relative URL without a base"),
        notAURL(":foo", "relative URL without a base"),
        notAURL("http://", "empty host"),
        notAURL("http:", "empty host"),
        notAURL("http://??", "empty host"),
        notAURL("http://user@", "empty host"),
        notAURL("http://:80", "empty host"),
        notAURL("http://\u{AD}", "empty host"),
        notAURL("wss://", "empty host"),
        notAURL("foo://user@", "empty host"),
        notAURL("foo://:80", "empty host"),
        notAURL("foo://@/x", "empty host"),
        notAURL("http://exa mple.com", "invalid international domain name"),
        notAURL("http://exa%20mple.com", "invalid international domain name"),
        notAURL("http://exa<mple.com", "invalid international domain name"),
        notAURL("http://exa|mple.com", "invalid international domain name"),
        notAURL("http://%", "invalid international domain name"),
        notAURL("http://%FF.com", "invalid international domain name"),
        notAURL("http://xn--abc.com", "invalid international domain name"),
        notAURL("http://xn--.com", "invalid international domain name"),
        notAURL("http://xn--abc-.com", "invalid international domain name"),
        notAURL("http://a\u{2028}b.com", "invalid international domain name"),
        notAURL("http://exa mple.com:99999", "invalid international domain name"),
        notAURL("file://exa mple/x", "invalid international domain name"),
        notAURL("file://host:80/x", "invalid international domain name"),
        notAURL("foo://exa mple", "invalid domain character"),
        notAURL("foo://ho|st", "invalid domain character"),
        notAURL("http://example.com:65536", "invalid port number"),
        notAURL("http://example.com:80a", "invalid port number"),
        notAURL("http://example.com:1:2", "invalid port number"),
        notAURL("foo://host:99999", "invalid port number"),
        notAURL("http://1.2.3.256", "invalid IPv4 address"),
        notAURL("http://4294967296", "invalid IPv4 address"),
        notAURL("http://a.1", "invalid IPv4 address"),
        notAURL("http://1.2.3.4.5", "invalid IPv4 address"),
        notAURL("http://09.1", "invalid IPv4 address"),
        notAURL("http://[::1", "invalid IPv6 address"),
        notAURL("http://[1:2:3]", "invalid IPv6 address"),
        notAURL("http://[:1]", "invalid IPv6 address"),
        notAURL("http://[::1]x", "invalid IPv6 address"),
        notAURL("http://[::ffff:1.2.3.256]", "invalid IPv6 address"),
        notAURL("http://[fe80::1%25eth0]", "invalid IPv6 address"),
        notAURL("foo://[bad]", "invalid IPv6 address"),
        .invalid(123, "url_type", "URL input should be a string or URL"),
        .invalid(.null, "url_type", "URL input should be a string or URL"),
        .invalid(true, "url_type", "URL input should be a string or URL"),
    ]

    @Test(arguments: urls)
    func urlsAreCheckedAsPydanticChecksThemAndKeptAsWritten(_ example: FormatCase) {
        example.check(against: .uri)
    }

    /// A format is checked after the string's own constraints, as `email` is.
    @Test func stringConstraintsComeBeforeTheFormat() {
        FormatCase.invalid("http://x", "string_too_short", "String should have at least 10 characters", ["min_length": 10])
            .check(against: .string(minLength: 10, format: "uri"))
        FormatCase.invalid(7, "string_type", "Input should be a valid string").check(against: .string(format: "hostname"))
        FormatCase.valid("not checked", "not checked").check(against: .string(format: "hostname"))
    }

    // MARK: - Objects

    static let objects: [FormatCase] = [
        .valid([:], [:]),
        .valid(["a": 1, "b": ["c": [true, .null]]], ["a": 1, "b": ["c": [true, .null]]]),
        .invalid([], "dict_type", "Input should be a valid dictionary"),
        .invalid("{}", "dict_type", "Input should be a valid dictionary"),
        .invalid(1, "dict_type", "Input should be a valid dictionary"),
        .invalid(.null, "dict_type", "Input should be a valid dictionary"),
    ]

    @Test(arguments: objects)
    func objectsAreAnyJSONObject(_ example: FormatCase) {
        example.check(against: .object())
    }

    /// `{"a":"xx"}` is 10 bytes serialized: at the limit it passes, one byte under it fails.
    @Test func anObjectOverItsByteLimitIsAValueError() {
        FormatCase.valid(["a": "xx"], ["a": "xx"]).check(against: .object(maxBytes: 10))
        FormatCase.invalid(["a": "xx"], "value_error", "Value error, the object is larger than 9 bytes",
                           ["error": "the object is larger than 9 bytes"]).check(against: .object(maxBytes: 9))
        FormatCase.valid(.null, .null).check(against: Schema.object(maxBytes: 9).orNull)
    }

    // MARK: - Omittable members

    private static let patch = ModelSchema("ProjectUpdate", [
        Property("title", .string()),
        Property.omittable("due", Schema.date.orNull),
        Property.omittable("name", .string(minLength: 1)),
    ])

    private static func validatePatch(_ body: JSONValue) -> (JSONValue, [ValidationIssue]) {
        var validator = Validator()
        let value = validator.validateModel(body, patch, at: ["body"])
        return (value, validator.issues)
    }

    /// A member not sent stays absent (PATCH leaves the field as it is); a required one is still `missing`.
    @Test func anAbsentOmittableMemberStaysAbsent() {
        let (value, issues) = Self.validatePatch(["title": "t"])
        #expect(issues.isEmpty)
        #expect(value == ["title": "t"])
        let (_, missing) = Self.validatePatch([:])
        #expect(missing.map(\.type) == ["missing"] && missing.first?.location == ["body", "title"])
    }

    /// `null` is validated by the schema: it clears a nullable field, and is refused for one that is not.
    @Test func nullIsValidatedByTheSchema() {
        let (cleared, none) = Self.validatePatch(["title": "t", "due": .null])
        #expect(none.isEmpty && cleared == ["title": "t", "due": .null])
        let (_, issues) = Self.validatePatch(["title": "t", "name": .null])
        #expect(issues == [ValidationIssue(type: "string_type", location: ["body", "name"], message: "Input should be a valid string", input: .null)])
        let (set, _) = Self.validatePatch(["title": "t", "due": "2024-05-01T00:00:00Z", "name": "n"])
        #expect(set == ["title": "t", "due": "2024-05-01", "name": "n"])
    }

    @Test func anOmittableMemberStaysOmittableInAFormBody() {
        #expect(Self.patch.asFormBody.properties.map(\.isOmittable) == [false, true, true])
        #expect(Self.patch.asFormBody.properties.map(\.isRequired) == [true, false, false])
    }

    // MARK: - The document

    @Test func formatsAreDocumentedAsPydanticDocumentsThem() {
        var collector = ComponentCollector()
        #expect(collector.json(for: .date) == ["type": "string", "format": "date"])
        #expect(collector.json(for: .dateTime) == ["type": "string", "format": "date-time"])
        #expect(collector.json(for: .uuid) == ["type": "string", "format": "uuid"])
        #expect(collector.json(for: .uri) == ["type": "string", "format": "uri", "minLength": 1])
        #expect(collector.json(for: .object()) == ["type": "object"])
        #expect(collector.json(for: .object(maxBytes: 4096)) == ["type": "object", "x-max-bytes": 4096])
        #expect(collector.json(for: Schema.date.orNull) == ["anyOf": [["type": "string", "format": "date"], ["type": "null"]]])
    }

    /// An omittable member is not required and has no default in the document.
    @Test func anOmittableMemberIsDocumentedAsOptionalWithoutDefault() {
        var collector = ComponentCollector()
        _ = collector.json(for: Schema(kind: .model(Self.patch)))
        let component = collector.schemas["ProjectUpdate"]
        #expect(component?["required"] == ["title"])
        #expect(component?["properties"]?["due"]?["default"] == nil)
        #expect(component?["properties"]?["name"]?["default"] == nil)
    }
}
