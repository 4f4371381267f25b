/// Finds one member of a JSON object without parsing the rest: the bench reads an event's name and its record's id
/// from every event it receives (hundreds of thousands a second), and builds no values to do it.
///
/// The input is trusted to be JSON (the server wrote it); what is skipped is skipped by its structure (strings with
/// their escapes, nested objects and arrays), not checked. Anything it cannot follow gives nil.
package enum JSONSkim {
    /// The bytes of the value of `key` in the object `object` (a top-level member only), or nil.
    /// `key` is compared with the member's name as written, so it must need no escapes.
    package static func member(_ key: StaticString, in object: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let start = valueStart(of: key, in: object), let end = skipValue(object, from: start) else { return nil }
        return UnsafeRawBufferPointer(rebasing: object[start..<trimEnd(object, start, end)])
    }

    /// The bytes of `object` from the start of the value of `key` to the end: enough to look into a nested object
    /// (`data.id`) without first finding where it ends, which would mean skipping all of it.
    package static func memberOnward(_ key: StaticString, in object: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        valueStart(of: key, in: object).map { UnsafeRawBufferPointer(rebasing: object[$0...]) }
    }

    /// Where the value of the top-level member `key` starts in `object`.
    private static func valueStart(of key: StaticString, in object: UnsafeRawBufferPointer) -> Int? {
        var index = skipWhitespace(object, from: 0)
        guard index < object.count, object[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            index = skipWhitespace(object, from: index)
            guard index < object.count, object[index] == UInt8(ascii: "\""), let nameEnd = skipString(object, from: index) else { return nil }
            let matches = UnsafeRawBufferPointer(rebasing: object[(index + 1)..<(nameEnd - 1)]).equals(key)
            index = skipWhitespace(object, from: nameEnd)
            guard index < object.count, object[index] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipWhitespace(object, from: index + 1)
            if matches { return valueStart }
            guard let valueEnd = skipValue(object, from: valueStart) else { return nil }
            index = skipWhitespace(object, from: valueEnd)
            guard index < object.count, object[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    /// `value` as an integer, if it is one (no fraction or exponent) that fits in 64 bits.
    package static func integer(_ value: UnsafeRawBufferPointer) -> Int64? {
        let negative = value.first == UInt8(ascii: "-")
        let digits = negative ? UnsafeRawBufferPointer(rebasing: value[1...]) : value
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var result: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            result = result * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return negative ? -result : result
    }

    /// `true` when `value` is the JSON string `text`, written without escapes.
    package static func isString(_ value: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        value.count == text.utf8CodeUnitCount + 2 && value.first == UInt8(ascii: "\"") && value.last == UInt8(ascii: "\"")
            && UnsafeRawBufferPointer(rebasing: value[1..<(value.count - 1)]).equals(text)
    }

    // MARK: - Skipping

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    private static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count && isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    /// A scalar runs up to the next `,` or `}`; the whitespace before that is not part of it.
    private static func trimEnd(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var end = end
        while end > start && isWhitespace(bytes[end - 1]) { end -= 1 }
        return end
    }

    /// The index after the string that opens at `start`.
    private static func skipString(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): return index + 1
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return nil
    }

    /// The index after the value that starts at `start`: a string, or anything up to the end of its nesting.
    private static func skipValue(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard let end = skipString(bytes, from: index) else { return nil }
                index = end
                if depth == 0 { return index }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index }   // the end of the enclosing object: a scalar ran up to it
                depth -= 1
                if depth == 0 { return index + 1 }
            case UInt8(ascii: ","):
                if depth == 0 { return index }
            default:
                break
            }
            index += 1
        }
        return depth == 0 && index > start ? index : nil
    }
}
