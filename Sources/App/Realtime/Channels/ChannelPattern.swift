import JSON

/// The name pattern of a declared channel (`chat:{room}`, `user:{id:int}`): literal text and parameters. A parameter
/// takes one or more of `A-Z a-z 0-9 _ -` (digits only for `:int`) and must end the pattern or be followed by a literal
/// that starts with another character (`:`, `.`, `/`), so a channel name matches one way at most.
struct ChannelPattern: Equatable, Sendable {
    enum Part: Equatable, Sendable {
        case literal(String)
        case parameter(String, isInteger: Bool)
    }

    let parts: [Part]
    /// The pattern as declared.
    let text: String

    /// The longest channel name accepted.
    static let maximumNameBytes = 128

    /// The pattern of `text`, or why it is not one.
    init(_ text: String) throws(ChannelPatternError) {
        var parts: [Part] = [], literal = "", rest = Substring(text)
        while let character = rest.first {
            guard character == "{" else {
                guard Self.isNameCharacter(character) else { throw ChannelPatternError("'\(character)' may not appear in a channel name") }
                literal.append(character)
                rest = rest.dropFirst()
                continue
            }
            guard let close = rest.firstIndex(of: "}") else { throw ChannelPatternError("a '{' without its '}'") }
            let inside = rest[rest.index(after: rest.startIndex)..<close].split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(inside.count), inside.count == 1 || inside[1] == "int",
                  ResourceDeclarationReader.isIdentifier(String(inside[0])) else { throw ChannelPatternError("a parameter is {name} or {name:int}") }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.parameter(String(inside[0]), isInteger: inside.count == 2))
            rest = rest[rest.index(after: close)...]
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        guard !parts.isEmpty, text.utf8.count <= Self.maximumNameBytes else { throw ChannelPatternError("empty, or longer than \(Self.maximumNameBytes) bytes") }
        for (part, next) in zip(parts, parts.dropFirst()) {
            guard case .parameter = part else { continue }
            guard case .literal(let literal) = next, let first = literal.first, !Self.isParameterCharacter(first) else {
                throw ChannelPatternError("a parameter must end the pattern or be followed by ':', '.' or '/'")
            }
        }
        self.parts = parts
        self.text = text
    }

    /// The parameters' values in `name`, by parameter name, when `name` matches.
    func match(_ name: String) -> [String: JSONValue]? {
        guard name.utf8.count <= Self.maximumNameBytes else { return nil }
        var values: [String: JSONValue] = [:], rest = Substring(name)
        for part in parts {
            switch part {
            case .literal(let literal):
                guard rest.hasPrefix(literal) else { return nil }
                rest = rest.dropFirst(literal.count)
            case .parameter(let parameter, let isInteger):
                let value = rest.prefix { isInteger ? $0.isASCII && $0.isNumber : Self.isParameterCharacter($0) }
                guard !value.isEmpty, value.count <= 64 else { return nil }
                if isInteger {
                    guard let number = Int64(value) else { return nil }
                    values[parameter] = .integer(number)
                } else {
                    values[parameter] = .string(String(value))
                }
                rest = rest.dropFirst(value.count)
            }
        }
        return rest.isEmpty ? values : nil
    }

    /// The parameters, with the type a rule compares them as.
    var parameters: [(name: String, isInteger: Bool)] {
        parts.compactMap { if case .parameter(let name, let isInteger) = $0 { (name, isInteger) } else { nil } }
    }

    private static func isParameterCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        isParameterCharacter(character) || ":./".contains(character)
    }
}

/// Why a channel pattern does not read.
struct ChannelPatternError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
