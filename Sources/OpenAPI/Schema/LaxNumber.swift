/// Pydantic's lax conversions from strings: query, path and header values, and JSON strings given for
/// numbers and Booleans.
enum LaxNumber {
    /// An integer written in decimal, with optional sign and surrounding whitespace.
    static func integer(_ text: String) -> Int64? {
        let trimmed = text.trimmingWhitespace()
        if let exact = Int64(trimmed) { return exact }
        // Pydantic also takes a float-like string whose fraction is zero ("3.0").
        guard let number = Double(trimmed), number.isFinite, number.rounded(.towardZero) == number, trimmed.contains(".") else { return nil }
        return Int64(exactly: number)
    }

    /// A decimal number, with optional sign, fraction, exponent and surrounding whitespace; also `nan`,
    /// `inf` and `infinity` in any case, as Python's `float` reads them (the bounds then refuse them).
    static func double(_ text: String) -> Double? {
        let trimmed = text.trimmingWhitespace()
        let word = trimmed.lowercased().drop { $0 == "+" || $0 == "-" }
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ isNumberByte($0) }) || ["nan", "inf", "infinity"].contains(word) else { return nil }
        return Double(trimmed)
    }

    /// The words Pydantic reads as Booleans, in any case.
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "on", "t", "true", "y", "yes": true
        case "0", "off", "f", "false", "n", "no": false
        default: nil
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }
}
