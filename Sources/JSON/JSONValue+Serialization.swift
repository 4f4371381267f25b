extension JSONValue {
    /// This value as compact UTF-8 JSON.
    public func serialized() -> [UInt8] {
        var writer = JSONWriter()
        writer.writeValue(self)
        return writer.bytes
    }

    /// This value as compact JSON text.
    public var jsonText: String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// This value as JSON text laid out for people: one member or element per line, nested
    /// `indent` spaces deeper per level, `": "` after keys, and `{}`/`[]` for empty containers.
    public func prettyPrinted(indent: Int = 2) -> String {
        var writer = JSONWriter()
        writer.writePretty(self, indent: indent, level: 0)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// `string` as a JSON string literal, quotes included, for messages such as `duplicate key "sub"`.
public func jsonQuoted(_ string: String) -> String {
    var writer = JSONWriter(capacity: string.utf8.count + 2)
    writer.writeString(string)
    return String(decoding: writer.bytes, as: UTF8.self)
}

extension JSONWriter {
    /// Writes `value` with the layout ``JSONValue/prettyPrinted(indent:)`` describes, starting
    /// at nesting `level`.
    fileprivate mutating func writePretty(_ value: JSONValue, indent: Int, level: Int) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            beginArray()
            for (index, element) in elements.enumerated() {
                startPrettyLine(isFirst: index == 0, indent: indent, level: level + 1)
                writePretty(element, indent: indent, level: level + 1)
            }
            appendNewline(indent: indent, level: level)
            endArray()
        case .object(let object) where !object.members.isEmpty:
            beginObject()
            for (index, member) in object.members.enumerated() {
                startPrettyLine(isFirst: index == 0, indent: indent, level: level + 1)
                key(member.key)
                bytes.append(.space)
                writePretty(member.value, indent: indent, level: level + 1)
            }
            appendNewline(indent: indent, level: level)
            endObject()
        default:
            writeValue(value)
        }
    }

    /// Puts the comma before the line break rather than letting the next value write it after.
    private mutating func startPrettyLine(isFirst: Bool, indent: Int, level: Int) {
        if !isFirst { bytes.append(.comma) }
        appendNewline(indent: indent, level: level)
        needsComma = false
    }

    private mutating func appendNewline(indent: Int, level: Int) {
        bytes.append(.lineFeed)
        bytes.append(contentsOf: repeatElement(UInt8.space, count: indent * level))
    }
}
