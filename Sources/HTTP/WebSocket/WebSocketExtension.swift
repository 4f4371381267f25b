/// One element of a `Sec-WebSocket-Extensions` field: an extension's name and its parameters (RFC 6455 §9.1), as a
/// client offers it.
public struct WebSocketExtension: Equatable, Sendable {
    /// A parameter: a name, and a value unless it has none.
    public struct Parameter: Equatable, Sendable {
        /// The name, in lowercase.
        public var name: String
        /// The value, unquoted; nil for a parameter without one.
        public var value: String?

        /// A parameter named `name` (lowercase).
        public init(_ name: String, _ value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// The extension's name, in lowercase.
    public var name: String
    /// The parameters, in the order given.
    public var parameters: [Parameter]

    /// An extension named `name` (lowercase) with `parameters`.
    public init(_ name: String, _ parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Every well-formed element of `fields` (the field's lines, in order), in the client's order of preference
    /// (§9.1); a malformed element is left out, as it offers nothing a server could accept.
    public static func parse(_ fields: [String]) -> [WebSocketExtension] {
        fields.flatMap { split($0[...], at: ",") }.compactMap(element)
    }

    // MARK: - Grammar

    /// `extension-token *( ";" extension-param )`, or nil when malformed (an empty list element included).
    private static func element(_ text: Substring) -> WebSocketExtension? {
        let parts = split(text, at: ";")
        guard let name = parts.first, isToken(name) else { return nil }
        var parameters: [Parameter] = []
        for part in parts.dropFirst() {
            guard let parameter = parameter(part) else { return nil }
            parameters.append(parameter)
        }
        return WebSocketExtension(name.lowercased(), parameters)
    }

    /// `token [ "=" ( token / quoted-string ) ]`; a quoted value must be a token once unescaped (§9.1).
    private static func parameter(_ text: Substring) -> Parameter? {
        guard let equals = text.firstIndex(of: "=") else { return isToken(text) ? Parameter(text.lowercased()) : nil }
        let name = text[..<equals].trimmingWhitespace()
        var value = text[text.index(after: equals)...].trimmingWhitespace()
        if value.hasPrefix("\"") {
            guard let unquoted = unquoted(value) else { return nil }
            value = unquoted[...]
        }
        guard isToken(name), isToken(value) else { return nil }
        return Parameter(name.lowercased(), String(value))
    }

    /// The content of a quoted-string, with its backslash escapes resolved (RFC 9110 §5.6.4); nil if it does not end
    /// with its closing quote.
    private static func unquoted(_ text: Substring) -> String? {
        var content = ""
        var isEscaped = false
        for (index, character) in zip(text.indices, text).dropFirst() {
            if isEscaped {
                content.append(character)
                isEscaped = false
            } else if character == "\\" {
                isEscaped = true
            } else if character == "\"" {
                return text.index(after: index) == text.endIndex ? content : nil
            } else {
                content.append(character)
            }
        }
        return nil
    }

    /// `text` cut at every `separator` outside a quoted-string, each piece trimmed of whitespace.
    private static func split(_ text: Substring, at separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var isQuoted = false, isEscaped = false
        for index in text.indices {
            let character = text[index]
            if isEscaped {
                isEscaped = false
            } else if isQuoted && character == "\\" {
                isEscaped = true
            } else if character == "\"" {
                isQuoted.toggle()
            } else if character == separator && !isQuoted {
                pieces.append(text[start..<index].trimmingWhitespace())
                start = text.index(after: index)
            }
        }
        pieces.append(text[start...].trimmingWhitespace())
        return pieces
    }

    private static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(ASCII.isToken)
    }
}
