public import JSON

/// Checks values against schemas the way Pydantic v2 does in its default (lax) mode, collecting every
/// problem with Pydantic's error types and messages, and returning the value coerced to the schema
/// (`"42"` to `42` for an integer, defaults filled in, unknown members dropped) for decoding.
public struct Validator: Sendable {
    /// The problems found so far, in the order FastAPI reports them.
    public private(set) var issues: [ValidationIssue] = []
    /// Where the value being checked is; grows and shrinks as members are visited, so a valid document
    /// costs no location arrays, and only a failure copies it.
    private var path: [JSONValue] = []

    /// An empty validator.
    public init() {}

    /// Records a problem found outside schema checking (a missing parameter, malformed JSON).
    public mutating func report(_ issue: ValidationIssue) {
        issues.append(issue)
    }

    /// Validates `value` at `location`; returns the coerced value, or the input unchanged when it failed.
    public mutating func validate(_ value: JSONValue, against schema: Schema, at location: [JSONValue]) -> JSONValue {
        path = location
        return check(value, schema)
    }

    /// What a validation error shows as the `input` of a secret, as Pydantic prints a `SecretStr`.
    public static let mask: JSONValue = "**********"

    /// Checks `value`; the problems found at this level (not deeper, where their own level sees to it) report an
    /// input with every secret in it masked, so no secret comes back in a response or reaches a log.
    private mutating func check(_ value: JSONValue, _ schema: Schema) -> JSONValue {
        let before = issues.count
        let result = checkValue(value, schema)
        if issues.count > before && schema.mayHoldSecrets {
            let masked = Self.masked(value, schema)
            for index in before..<issues.count where issues[index].location.count == path.count { issues[index].input = masked }
        }
        return result
    }

    /// `value` with each member or element that `schema` calls secret replaced by `mask`.
    static func masked(_ value: JSONValue, _ schema: Schema) -> JSONValue {
        if schema.isSecret { return mask }
        switch (schema.kind, value) {
        case (.model(let model), .object(let object)):
            return .object(JSONObject(object.members.map { member in
                guard let property = model.properties.first(where: { $0.name == member.key }) else { return member }
                return JSONMember(key: member.key, value: masked(member.value, property.schema))
            }))
        case (.array(let element), .array(let elements)):
            return .array(elements.map { masked($0, element) })
        default:
            return value
        }
    }

    private mutating func checkValue(_ value: JSONValue, _ schema: Schema) -> JSONValue {
        if value == .null && schema.isNullable { return .null }
        switch schema.kind {
        case .string: return validateString(value, schema)
        case .integer: return validateInteger(value, schema)
        case .number: return validateNumber(value, schema)
        case .boolean: return validateBoolean(value, isStrict: schema.isStrict)
        case .date: return validateDate(value)
        case .dateTime: return validateDateTime(value)
        case .object: return validateObject(value, maxBytes: schema.maxBytes)
        case .literal(let allowed): return validateLiteral(value, allowed)
        case .array(let element): return validateArray(value, element, schema)
        case .model(let model): return checkModel(value, model)
        case .tagged(let property, let variants): return checkTagged(value, property, variants)
        case .any: return value
        }
    }

    /// Validates an object against `model`: every property, in order, each problem reported.
    public mutating func validateModel(_ value: JSONValue, _ model: ModelSchema, at location: [JSONValue]) -> JSONValue {
        path = location
        return check(value, Schema(kind: .model(model)))
    }

    private mutating func checkModel(_ value: JSONValue, _ model: ModelSchema) -> JSONValue {
        guard case .object(let object) = value else {
            // FastAPI validates bodies "from attributes", so a nested model that is not an object gets this
            // type too, not Pydantic's `model_type`.
            fail("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", value)
            return value
        }
        var members: [JSONMember] = []
        members.reserveCapacity(model.properties.count)
        for property in model.properties {
            path.append(.string(property.name))
            defer { path.removeLast() }
            if let member = object[property.name] {
                members.append(JSONMember(key: property.name, value: check(member, property.schema)))
            } else if let defaultValue = property.defaultValue {
                members.append(JSONMember(key: property.name, value: defaultValue))
            } else if property.isOmittable {
                continue  // absent stays absent: the caller tells "not sent" from `null`
            } else {
                // The input of `missing` is the object around the member: its secrets are masked here.
                fail("missing", "Field required", model.holdsSecrets ? Self.masked(value, Schema(kind: .model(model))) : value)
            }
        }
        return .object(JSONObject(members))
    }

    /// A discriminated union as Pydantic checks one: the tag picks the model, and the tag joins `loc` before the
    /// member (`["body", "operations", 0, "create", "data"]`).
    private mutating func checkTagged(_ value: JSONValue, _ property: String, _ variants: [TaggedVariant]) -> JSONValue {
        guard case .object(let object) = value else {
            fail("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", value)
            return value
        }
        let expected = variants.map { "'\($0.tag)'" }.joined(separator: ", ")
        guard let tag = object[property] else {
            fail("union_tag_not_found", "Unable to extract tag using discriminator '\(property)'", value, ["discriminator": .string("'\(property)'")])
            return value
        }
        let text = tag.stringValue ?? Self.pythonRepr(tag)
        guard let variant = variants.first(where: { tag.stringValue == $0.tag }) else {
            fail("union_tag_invalid", "Input tag '\(text)' found using '\(property)' does not match any of the expected tags: \(expected)", value,
                 ["discriminator": .string("'\(property)'"), "tag": .string(text), "expected_tags": .string(expected)])
            return value
        }
        path.append(.string(variant.tag))
        defer { path.removeLast() }
        return checkModel(value, variant.model)
    }

    // MARK: - Strings

    private mutating func validateString(_ value: JSONValue, _ schema: Schema) -> JSONValue {
        guard case .string(let string) = value else {
            switch schema.format {
            case "uuid": fail("uuid_type", "UUID input should be a string, bytes or UUID object", value)
            case "uri": fail("url_type", "URL input should be a string or URL", value)
            default: fail("string_type", "Input should be a valid string", value)
            }
            return value
        }
        let length = schema.minLength != nil || schema.maxLength != nil ? string.unicodeScalars.count : 0
        if let minimum = schema.minLength, length < minimum {
            fail("string_too_short", "String should have at least \(count(minimum, "character"))", value,
                 ["min_length": .integer(Int64(minimum))])
        } else if let maximum = schema.maxLength, length > maximum {
            fail("string_too_long", "String should have at most \(count(maximum, "character"))", value,
                 ["max_length": .integer(Int64(maximum))])
        } else if let matcher = schema.matcher, !matcher.matches(string) {
            let pattern = matcher.pattern
            fail("string_pattern_mismatch", "String should match pattern '\(pattern)'", value,
                 ["pattern": .string(pattern)])
        } else if let format = schema.format {
            return validateFormat(format, string, value)
        }
        return value
    }

    /// The formats Pydantic has types for; the value comes back normalized as Pydantic returns it (a URL as written).
    private mutating func validateFormat(_ format: String, _ string: String, _ value: JSONValue) -> JSONValue {
        switch format {
        case "email":
            switch EmailAddress.validate(string) {
            case .success(let normalized): return .string(normalized)
            case .failure(let reason):
                fail("value_error", "value is not a valid email address: \(reason.message)", value,
                     ["reason": .string(reason.message)])
            }
        case "uuid":
            switch UUIDString.normalized(string) {
            case .success(let normalized): return .string(normalized)
            case .failure(let reason):
                fail("uuid_parsing", "Input should be a valid UUID, \(reason.message)", value, ["error": .string(reason.message)])
            }
        case "uri":
            if let problem = URLSyntax.problem(in: string) {
                fail("url_parsing", "Input should be a valid URL, \(problem.rawValue)", value, ["error": .string(problem.rawValue)])
            }
        default:
            break  // documented only
        }
        return value
    }

    // MARK: - Dates and times

    // Pydantic also reads Unix timestamps, numbers or strings of digits (seconds, or milliseconds past 2e10). Here a
    // date or a date-time is RFC 3339 text, as the document says, and a timestamp is refused: a number gets the
    // parsing error its digits would get as a string (Pydantic never gives `date_type` or `datetime_type` for a
    // number, so a type error would be a message Pydantic does not give for it).

    /// Pydantic's `date` in lax mode: a date, or else a date-time exactly at midnight (any offset) for its date.
    private mutating func validateDate(_ value: JSONValue) -> JSONValue {
        guard let bytes = Self.temporalText(value) else {
            fail("date_type", "Input should be a valid date", value)
            return value
        }
        let date: RFC3339.Date
        do throws(RFC3339.ParseError) {
            date = try RFC3339.date(bytes)
        } catch {
            do throws(RFC3339.ParseError) {
                let dateTime = try RFC3339.dateTime(bytes)
                guard dateTime.isMidnight else {
                    fail("date_from_datetime_inexact", "Datetimes provided to dates should have zero time - e.g. be exact dates", value)
                    return value
                }
                date = dateTime.date
            } catch {
                // The date-time's error, not the date's: Pydantic reports the last reading it tried.
                fail("date_from_datetime_parsing", "Input should be a valid date or datetime, \(error.rawValue)", value,
                     ["error": .string(error.rawValue)])
                return value
            }
        }
        // speedate reads year 0; Python's `date` refuses it, and Pydantic reports that as a parsing error.
        guard date.year > 0 else {
            fail("date_parsing", "Input should be a valid date in the format YYYY-MM-DD, year 0 is out of range", value,
                 ["error": "year 0 is out of range"])
            return value
        }
        return .string(date.text)
    }

    /// Pydantic's `datetime` in lax mode: a date-time, or else a date at midnight; normalized to UTC (`utcText`).
    private mutating func validateDateTime(_ value: JSONValue) -> JSONValue {
        guard let bytes = Self.temporalText(value) else {
            fail("datetime_type", "Input should be a valid datetime", value)
            return value
        }
        let dateTime: RFC3339.DateTime
        do throws(RFC3339.ParseError) {
            dateTime = try RFC3339.dateTime(bytes)
        } catch {
            do throws(RFC3339.ParseError) {
                dateTime = RFC3339.DateTime(date: try RFC3339.date(bytes))
            } catch {
                // The date's error, not the date-time's: Pydantic reports the last reading it tried.
                fail("datetime_from_date_parsing", "Input should be a valid datetime or date, \(error.rawValue)", value,
                     ["error": .string(error.rawValue)])
                return value
            }
        }
        // Pydantic accepts a naive date-time (no offset) as it is; we store instants, so it is read as UTC.
        // Year 0 is refused as Pydantic refuses it. An instant that UTC puts outside years 1-9999 (0001-01-01T00:30
        // at +01:00) Pydantic keeps, but the 24-character form cannot hold it: it is refused in the same words.
        guard dateTime.date.year > 0, let utc = dateTime.utcText else {
            let error = dateTime.date.year <= 1 ? "year 0 is out of range" : "year 10000 is out of range"
            fail("datetime_parsing", "Input should be a valid datetime, \(error)", value, ["error": .string(error)])
            return value
        }
        return .string(utc)
    }

    /// The text of a string, or of a number as written (see above); nil for anything else.
    private static func temporalText(_ value: JSONValue) -> [UInt8]? {
        switch value {
        case .string(let string): Array(string.utf8)
        case .integer, .double: value.serialized()
        default: nil
        }
    }

    // MARK: - Objects

    /// Pydantic's `dict`, and a size limit checked as a validator raising `ValueError` would report it.
    private mutating func validateObject(_ value: JSONValue, maxBytes: Int?) -> JSONValue {
        guard case .object = value else {
            fail("dict_type", "Input should be a valid dictionary", value)
            return value
        }
        if let maxBytes, value.serialized().count > maxBytes {
            let error = "the object is larger than \(maxBytes) bytes"
            fail("value_error", "Value error, \(error)", value, ["error": .string(error)])
        }
        return value
    }

    // MARK: - Numbers

    private mutating func validateInteger(_ value: JSONValue, _ schema: Schema) -> JSONValue {
        let integer: Int64
        switch value {
        case .string where schema.isStrict, .bool where schema.isStrict:
            fail("int_type", "Input should be a valid integer", value)
            return value
        case .integer(let exact): integer = exact
        case .double(let number):
            guard number.rounded(.towardZero) == number else {
                // Strict (Pydantic's StrictInt) names the type; lax names the fraction.
                if schema.isStrict { fail("int_type", "Input should be a valid integer", value) } else {
                    fail("int_from_float", "Input should be a valid integer, got a number with a fractional part", value)
                }
                return value
            }
            // Whole numbers past Int64 (our parser reads them as doubles) still meet the bounds first, as
            // Python's unbounded integers do.
            guard let exact = Int64(exactly: number) else {
                if checkBounds(number, schema, value) {
                    fail("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size", value)
                }
                return value
            }
            integer = exact
        case .string(let text):
            guard let parsed = LaxNumber.integer(text) else {
                fail("int_parsing", "Input should be a valid integer, unable to parse string as an integer", value)
                return value
            }
            integer = parsed
        case .bool(let flag): integer = flag ? 1 : 0
        default:
            fail("int_type", "Input should be a valid integer", value)
            return value
        }
        return checkBounds(Double(integer), schema, value) ? .integer(integer) : value
    }

    private mutating func validateNumber(_ value: JSONValue, _ schema: Schema) -> JSONValue {
        let number: Double
        switch value {
        case .string where schema.isStrict, .bool where schema.isStrict:
            fail("float_type", "Input should be a valid number", value)
            return value
        case .integer(let integer): number = Double(integer)
        case .double(let double): number = double
        case .string(let text):
            guard let parsed = LaxNumber.double(text) else {
                fail("float_parsing", "Input should be a valid number, unable to parse string as a number", value)
                return value
            }
            number = parsed
        case .bool(let flag): number = flag ? 1 : 0
        default:
            fail("float_type", "Input should be a valid number", value)
            return value
        }
        return checkBounds(number, schema, value) ? .double(number) : value
    }

    /// Checks the bounds in Pydantic's order; returns whether all held.
    private mutating func checkBounds(_ number: Double, _ schema: Schema, _ input: JSONValue) -> Bool {
        // Pydantic checks le, lt, ge, gt in that order: NaN, which fails them all, is reported against le.
        let isFloat = !schema.isInteger
        return bound(number, schema.maximum, input, "less_than_equal", "le", "less than or equal to", isFloat) { $0 <= $1 }
            && bound(number, schema.exclusiveMaximum, input, "less_than", "lt", "less than", isFloat) { $0 < $1 }
            && bound(number, schema.minimum, input, "greater_than_equal", "ge", "greater than or equal to", isFloat) { $0 >= $1 }
            && bound(number, schema.exclusiveMinimum, input, "greater_than", "gt", "greater than", isFloat) { $0 > $1 }
    }

    private mutating func bound(_ number: Double, _ limit: JSONValue?, _ input: JSONValue, _ type: String, _ key: String,
                                _ phrase: String, _ isFloatField: Bool, _ holds: (Double, Double) -> Bool) -> Bool {
        guard let limit, let value = limit.doubleValue, !holds(number, value) else { return true }
        // Pydantic reports a float field's bound as a float (`{"le": 1.0}`) but prints it without ".0".
        let reported: JSONValue = isFloatField ? .double(value) : limit
        fail(type, "Input should be \(phrase) \(Self.displayText(limit))", input, [key: reported])
        return false
    }

    // MARK: - Booleans, literals, arrays

    private mutating func validateBoolean(_ value: JSONValue, isStrict: Bool) -> JSONValue {
        switch value {
        case .bool: return value
        case _ where isStrict:
            fail("bool_type", "Input should be a valid boolean", value)
        case .integer(let integer) where integer == 0 || integer == 1: return .bool(integer == 1)
        case .double(let number) where number == 0 || number == 1: return .bool(number == 1)
        case .string(let text):
            if let flag = LaxNumber.boolean(text) { return .bool(flag) }
            fail("bool_parsing", "Input should be a valid boolean, unable to interpret input", value)
        case .integer, .double:
            fail("bool_parsing", "Input should be a valid boolean, unable to interpret input", value)
        default:
            fail("bool_type", "Input should be a valid boolean", value)
        }
        return value
    }

    private mutating func validateLiteral(_ value: JSONValue, _ allowed: [JSONValue]) -> JSONValue {
        if allowed.contains(value) { return value }
        let texts = allowed.map(Self.pythonRepr)
        let expected = texts.count < 2 ? texts.joined() : texts.dropLast().joined(separator: ", ") + " or " + texts[texts.count - 1]
        fail("literal_error", "Input should be \(expected)", value, ["expected": .string(expected)])
        return value
    }

    private mutating func validateArray(_ value: JSONValue, _ element: Schema, _ schema: Schema) -> JSONValue {
        guard case .array(let elements) = value else {
            fail("list_type", "Input should be a valid list", value)
            return value
        }
        if let maximum = schema.maxItems, elements.count > maximum {
            fail("too_long", "List should have at most \(count(maximum, "item")) after validation, not \(elements.count)", value,
                 ["field_type": "List", "max_length": .integer(Int64(maximum)), "actual_length": .integer(Int64(elements.count))])
            return value
        }
        if let minimum = schema.minItems, elements.count < minimum {
            fail("too_short", "List should have at least \(count(minimum, "item")) after validation, not \(elements.count)", value,
                 ["field_type": "List", "min_length": .integer(Int64(minimum)), "actual_length": .integer(Int64(elements.count))])
            return value
        }
        return .array(elements.enumerated().map { index, item in
            path.append(.integer(Int64(index)))
            defer { path.removeLast() }
            return check(item, element)
        })
    }

    // MARK: - Not public

    private mutating func fail(_ type: String, _ message: String, _ input: JSONValue, _ context: JSONObject? = nil) {
        issues.append(ValidationIssue(type: type, location: path, message: message, input: input, context: context))
    }

    private func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// A number as Pydantic's messages print it: no ".0" on whole numbers (`1`, `0.5`).
    static func displayText(_ number: JSONValue) -> String {
        switch number {
        case .integer(let integer): String(integer)
        case .double(let double) where double == double.rounded() && abs(double) < 1e18: String(Int64(double))
        case .double(let double): double.description
        default: String(decoding: number.serialized(), as: UTF8.self)
        }
    }

    /// A literal as Python's `repr` shows it (`'red'`, `1`, `True`).
    static func pythonRepr(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): "'\(string)'"
        case .bool(let flag): flag ? "True" : "False"
        case .null: "None"
        default: displayText(value)
        }
    }
}
