import JSON

/// Splits a filter into tokens. Works on the UTF-8 bytes; positions count characters (1-based), as people read them.
struct FilterLexer {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Every token, ending with `.end`.
    static func tokens(of text: String) throws(FilterError) -> [FilterToken] {
        var lexer = FilterLexer(text)
        var tokens: [FilterToken] = []
        repeat { tokens.append(try lexer.next()) } while tokens.last?.kind != .end
        return tokens
    }

    /// The character position of byte `offset` (UTF-8 continuation bytes do not start a character).
    private func position(_ offset: Int) -> Int {
        bytes[..<offset].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    private mutating func next() throws(FilterError) -> FilterToken {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        let start = index
        guard index < bytes.count else { return FilterToken(kind: .end, position: position(start)) }
        let kind = try scan()
        return FilterToken(kind: kind, position: position(start))
    }

    private mutating func scan() throws(FilterError) -> FilterToken.Kind {
        let byte = bytes[index], following = index + 1 < bytes.count ? bytes[index + 1] : 0
        switch byte {
        case UInt8(ascii: "("): index += 1; return .openParenthesis
        case UInt8(ascii: ")"): index += 1; return .closeParenthesis
        case UInt8(ascii: "["): index += 1; return .openBracket
        case UInt8(ascii: "]"): index += 1; return .closeBracket
        case UInt8(ascii: ","): index += 1; return .comma
        case UInt8(ascii: "&") where following == UInt8(ascii: "&"): index += 2; return .and
        case UInt8(ascii: "|") where following == UInt8(ascii: "|"): index += 2; return .or
        case UInt8(ascii: "="): index += 1; return .comparison(.equal)
        case UInt8(ascii: "~"): index += 1; return .comparison(.contains)
        case UInt8(ascii: "!"):
            index += following == UInt8(ascii: "=") || following == UInt8(ascii: "~") ? 2 : 1
            return following == UInt8(ascii: "=") ? .comparison(.notEqual) : following == UInt8(ascii: "~") ? .comparison(.notContains) : .not
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            let orEqual = following == UInt8(ascii: "=")
            index += orEqual ? 2 : 1
            if byte == UInt8(ascii: "<") { return .comparison(orEqual ? .lessOrEqual : .less) }
            return .comparison(orEqual ? .greaterOrEqual : .greater)
        case UInt8(ascii: "@"): return try variable()
        case UInt8(ascii: "\""): return .literal(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .literal(try number())
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return word()
        default: throw FilterError(position: position(index), problem: "unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
    }

    private mutating func run(while accepts: (UInt8) -> Bool) -> String {
        let start = index
        while index < bytes.count, accepts(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    private mutating func word() -> FilterToken.Kind {
        let word = run(while: Self.isWordByte)
        switch word {
        case "true": return .literal(.bool(true))
        case "false": return .literal(.bool(false))
        case "null": return .literal(.null)
        case "in", "is", "not": return .keyword(word)
        default: return .identifier(word)
        }
    }

    private mutating func variable() throws(FilterError) -> FilterToken.Kind {
        let start = index
        index += 1
        let name = "@" + run { Self.isWordByte($0) || $0 == UInt8(ascii: ".") }
        guard let variable = FilterVariable(rawValue: name) else {
            throw FilterError(position: position(start), problem: "unknown variable '\(name)'; known: "
                + FilterVariable.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return .variable(variable)
    }

    /// A JSON string literal (RFC 8259 §7), parsed by the JSON module from exactly its bytes.
    private mutating func string() throws(FilterError) -> JSONValue {
        let start = index
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1 }
        guard index < bytes.count else { throw FilterError(position: position(start), problem: "unterminated string") }
        index += 1
        return try literal(from: start)
    }

    /// A JSON number literal (RFC 8259 §6).
    private mutating func number() throws(FilterError) -> JSONValue {
        let start = index
        index += 1
        _ = run { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || "+-.eE".utf8.contains($0) }
        return try literal(from: start)
    }

    private func literal(from start: Int) throws(FilterError) -> JSONValue {
        do { return try JSONParser.parse(Array(bytes[start..<index])) } catch {
            throw FilterError(position: position(start), problem: "not a JSON literal: \(String(decoding: bytes[start..<index], as: UTF8.self))")
        }
    }
}
