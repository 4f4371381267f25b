/// Where and why Python's `json` module (which FastAPI uses) would reject a text, so that a `json_invalid` error
/// carries the same position and words as FastAPI's. Run only after our own parser has refused the body; it
/// follows the order of checks in CPython's `json/decoder.py` and `_json.c` and builds no values.
///
/// Positions count Unicode scalars, as Python counts characters.
struct PythonJSONDiagnosis {
    /// Python's message, e.g. "Expecting ',' delimiter".
    let message: String
    /// The character position Python reports.
    let position: Int

    private struct Failure: Error {
        let message: String
        let position: Int
    }

    /// The diagnosis of `text`, or nil when Python would accept it (a lone surrogate escape, which Python keeps
    /// and Swift strings cannot hold).
    static func diagnose(_ text: String) -> PythonJSONDiagnosis? {
        var scanner = Scanner(characters: Array(text.unicodeScalars))
        do {
            try scanner.document()
            return nil
        } catch {
            return PythonJSONDiagnosis(message: error.message, position: error.position)
        }
    }

    private struct Scanner {
        let characters: [Unicode.Scalar]

        func at(_ index: Int) -> Unicode.Scalar? { index < characters.count ? characters[index] : nil }

        func skipWhitespace(_ index: Int) -> Int {
            var index = index
            while let character = at(index), character == " " || character == "\t" || character == "\n" || character == "\r" { index += 1 }
            return index
        }

        mutating func document() throws(Failure) {
            let start = skipWhitespace(0)
            let end = try value(at: start)
            let rest = skipWhitespace(end)
            if rest != characters.count { throw Failure(message: "Extra data", position: rest) }
        }

        /// Scans one value starting exactly at `index` (no whitespace skipped); returns the index after it.
        func value(at index: Int) throws(Failure) -> Int {
            switch at(index) {
            case "\"": return try string(from: index + 1)
            case "{": return try object(from: index + 1)
            case "[": return try array(from: index + 1)
            case "n": return try literal("null", at: index)
            case "t": return try literal("true", at: index)
            case "f": return try literal("false", at: index)
            default:
                guard let end = number(at: index) else { throw Failure(message: "Expecting value", position: index) }
                return end
            }
        }

        func literal(_ word: String, at index: Int) throws(Failure) -> Int {
            for (offset, scalar) in word.unicodeScalars.enumerated() where at(index + offset) != scalar {
                throw Failure(message: "Expecting value", position: index)
            }
            return index + word.unicodeScalars.count
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, the longest match; nil if none.
        func number(at start: Int) -> Int? {
            var index = start
            if at(index) == "-" { index += 1 }
            guard let first = at(index), isDigit(first) else { return nil }
            index += 1
            if first != "0" { while let digit = at(index), isDigit(digit) { index += 1 } }
            if at(index) == ".", let digit = at(index + 1), isDigit(digit) {
                index += 2
                while let digit = at(index), isDigit(digit) { index += 1 }
            }
            if let e = at(index), e == "e" || e == "E" {
                var exponent = index + 1
                if let sign = at(exponent), sign == "+" || sign == "-" { exponent += 1 }
                if let digit = at(exponent), isDigit(digit) {
                    index = exponent + 1
                    while let digit = at(index), isDigit(digit) { index += 1 }
                }
            }
            return index
        }

        func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

        /// Scans a string whose opening quote is just before `start`.
        func string(from start: Int) throws(Failure) -> Int {
            let begin = start - 1
            var index = start
            while true {
                guard let character = at(index) else { throw Failure(message: "Unterminated string starting at", position: begin) }
                if character == "\"" { return index + 1 }
                if character.value < 0x20 { throw Failure(message: "Invalid control character at", position: index) }
                guard character == "\\" else { index += 1; continue }
                guard let escape = at(index + 1) else { throw Failure(message: "Unterminated string starting at", position: begin) }
                if escape == "u" {
                    let digits = (index + 2)..<(index + 6)
                    guard digits.upperBound <= characters.count, digits.allSatisfy({ characters[$0].properties.isASCIIHexDigit }) else {
                        throw Failure(message: "Invalid \\uXXXX escape", position: index + 1)
                    }
                    index = digits.upperBound
                } else if "\"\\/bfnrt".unicodeScalars.contains(escape) {
                    index += 2
                } else {
                    throw Failure(message: "Invalid \\escape", position: index)
                }
            }
        }

        func object(from start: Int) throws(Failure) -> Int {
            var index = skipWhitespace(start)
            if at(index) == "}" { return index + 1 }
            while true {
                guard at(index) == "\"" else { throw Failure(message: "Expecting property name enclosed in double quotes", position: index) }
                index = skipWhitespace(try string(from: index + 1))
                guard at(index) == ":" else { throw Failure(message: "Expecting ':' delimiter", position: index) }
                index = skipWhitespace(index + 1)
                index = skipWhitespace(try value(at: index))
                if at(index) == "}" { return index + 1 }
                guard at(index) == "," else { throw Failure(message: "Expecting ',' delimiter", position: index) }
                index = skipWhitespace(index + 1)
            }
        }

        func array(from start: Int) throws(Failure) -> Int {
            var index = skipWhitespace(start)
            if at(index) == "]" { return index + 1 }
            while true {
                index = skipWhitespace(try value(at: index))
                if at(index) == "]" { return index + 1 }
                guard at(index) == "," else { throw Failure(message: "Expecting ',' delimiter", position: index) }
                index = skipWhitespace(index + 1)
            }
        }
    }
}
