/// UUID text as Pydantic's `UUID` reads it, through the `uuid` crate's `Uuid::parse_str`: 32 hex digits, or the
/// hyphenated 8-4-4-4-12 form, bare, in braces or after `urn:uuid:`, in either case. A refused text gets the crate's
/// own diagnosis (uuid 1.23.4, the version pydantic-core 2.50 pins), including its quirks: positions are byte
/// offsets from 0, and a character is judged by the low byte of its code point.
package enum UUIDString {
    /// Why a text is not a UUID, in the crate's words.
    package struct Reason: Error, Equatable {
        package let message: String
    }

    /// The UUID in lowercase hyphenated form, as Pydantic returns it, or why the text is not one.
    package static func normalized(_ text: String) -> Result<String, Reason> {
        let bytes = Array(text.utf8)
        // The crate picks the form by length first; only those four shapes can parse at all.
        let digits: [UInt8]?
        switch bytes.count {
        case 32: digits = hexDigits(bytes[...])
        case 36: digits = hyphenated(bytes[...])
        case 38 where bytes[0] == UInt8(ascii: "{") && bytes[37] == UInt8(ascii: "}"): digits = hyphenated(bytes[1..<37])
        case 45 where bytes.starts(with: urnPrefix): digits = hyphenated(bytes[9...])
        default: digits = nil
        }
        if let digits {
            var text: [UInt8] = []
            for (index, digit) in digits.enumerated() {
                if [8, 12, 16, 20].contains(index) { text.append(UInt8(ascii: "-")) }
                text.append(digit | 0x20)  // ASCII letters and digits: this lowercases A-F and leaves 0-9 as they are
            }
            return .success(String(decoding: text, as: UTF8.self))
        }
        return .failure(Reason(message: diagnosis(of: text, bytes)))
    }

    private static let urnPrefix = Array("urn:uuid:".utf8)

    /// The 32 hex digits of a hyphenated UUID (hyphens at 8, 13, 18 and 23), or nil.
    private static func hyphenated(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        let start = bytes.startIndex
        guard bytes.count == 36, [8, 13, 18, 23].allSatisfy({ bytes[start + $0] == UInt8(ascii: "-") }) else { return nil }
        return hexDigits(bytes.enumerated().filter { ![8, 13, 18, 23].contains($0.offset) }.map(\.element)[...])
    }

    /// The bytes themselves when all 32 are hex digits, or nil.
    private static func hexDigits(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        bytes.count == 32 && bytes.allSatisfy { isHexDigit($0) } ? Array(bytes) : nil
    }

    /// The crate's `InvalidUuid::into_err`: the first thing wrong with a text that did not parse.
    private static func diagnosis(of text: String, _ bytes: [UInt8]) -> String {
        // A text of one of the four parseable lengths was tried as a hyphenated UUID: its diagnosis looks at what
        // was inside the braces or after the prefix, and reports positions from there.
        let (inner, isHyphenatedAttempt): (Substring, Bool)
        switch bytes.count {
        case 36: (inner, isHyphenatedAttempt) = (text[...], true)
        case 38 where bytes[0] == UInt8(ascii: "{") && bytes[37] == UInt8(ascii: "}"): (inner, isHyphenatedAttempt) = (text.dropFirst().dropLast(), true)
        case 45 where bytes.starts(with: urnPrefix): (inner, isHyphenatedAttempt) = (text.dropFirst(9), true)
        default: (inner, isHyphenatedAttempt) = (text[...], false)
        }
        let count = inner.utf8.count
        if count == 0 || count > 45 { return "invalid length: found \(count)" }

        enum Form { case any, hyphenated, braced, urn }
        let innerBytes = Array(inner.utf8)
        let (start, end, initialForm): (Int, Int, Form) =
            if isHyphenatedAttempt { (0, count, .hyphenated) }
            else if count >= 2 && innerBytes[0] == UInt8(ascii: "{") && innerBytes[count - 1] == UInt8(ascii: "}") { (1, count - 1, .braced) }
            else if innerBytes.starts(with: urnPrefix) { (9, count, .urn) }
            else { (0, count, .any) }
        var form = initialForm
        var hyphenCount = 0
        var hyphenOffsets = [0, 0, 0, 0]
        var offset = 0
        let scanned = String(decoding: innerBytes[start..<end], as: UTF8.self)
        for scalar in scanned.unicodeScalars {
            // `character as u8` in the crate: only the low byte of the code point is looked at.
            let low = UInt8(truncatingIfNeeded: scalar.value)
            if isHexDigit(low) {
                // a digit, or a character whose low byte is one
            } else if low == UInt8(ascii: "-") {
                if form == .any { form = .hyphenated }
                if hyphenCount < 4 { hyphenOffsets[hyphenCount] = offset }
                hyphenCount += 1
            } else {
                return "invalid character: found `\(scalar)` at \(offset + start)"
            }
            offset += String(scalar).utf8.count
        }
        if form == .any { return "invalid length: found \(count)" }
        if hyphenCount != 4 { return "invalid group count: expected 5, found \(hyphenCount + 1)" }
        let groupStarts = [0, 9, 14, 19, 24]
        for group in 0..<4 where hyphenOffsets[group] != groupStarts[group + 1] - 1 {
            return "invalid group length in group \(group): expected \([8, 4, 4, 4][group]), found \(hyphenOffsets[group] - groupStarts[group])"
        }
        // Every hyphen is in place, so the last group is the wrong length; the crate measures it from the start of
        // the whole text, braces or prefix included.
        return "invalid group length in group 4: expected 12, found \(count - groupStarts[4])"
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }
}
