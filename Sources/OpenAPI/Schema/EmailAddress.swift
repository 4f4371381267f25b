/// Email syntax as Pydantic's `EmailStr` checks it (through the `email-validator` package, without DNS):
/// the same rules in the same order, so the same `ctx.reason` texts. A valid address comes back with its
/// domain lowercased, as Pydantic returns it.
///
/// Quoted local parts and address literals (`user@[10.0.0.1]`) are refused, as `email-validator` does by
/// default; internationalized local parts and domains are accepted. One deliberate difference: domains under
/// special-use names (`.test`, `.local`, `.invalid`...) are accepted, because JSON Schema's `email` format,
/// which the document promises, allows them (docs/validation.md).
package enum EmailAddress {
    /// Why an address was refused.
    package struct Reason: Error, Equatable {
        package let message: String
    }

    static let localPartMaxLength = 64
    static let addressMaxLength = 254
    static let labelMaxLength = 63

    /// The normalized address, or why it is not one.
    package static func validate(_ text: String) -> Result<String, Reason> {
        let address = withoutDisplayName(text)
        if let normalized = plainASCII(address) { return .success(normalized) }
        return checked(address)
    }

    /// `Ann Smith <ann@example.com>` is read as `ann@example.com`, as Pydantic does.
    static func withoutDisplayName(_ text: String) -> String {
        guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else { return text }
        return String(text[text.index(after: open)..<text.index(before: text.endIndex)])
    }

    /// The full check, rule by rule, naming the first rule broken.
    static func checked(_ address: String) -> Result<String, Reason> {
        // email-validator splits at the first @-sign, so a second one is an invalid character of the domain.
        guard let at = address.firstIndex(of: "@") else { return .failure(Reason(message: "An email address must have an @-sign.")) }
        let local = String(address[..<at])
        let domain = String(address[address.index(after: at)...])
        if let reason = checkLocalPart(local) ?? checkDomain(domain) { return .failure(reason) }
        let normalized = local + "@" + domain.lowercased()
        let excess = normalized.unicodeScalars.count - addressMaxLength
        guard excess <= 0 else { return .failure(Reason(message: "The email address is too long \(tooMany(excess)).")) }
        return .success(normalized)
    }

    // MARK: - Fast path

    /// Nearly every address is plain ASCII, and is accepted here in one pass over its bytes with no allocation
    /// (unless the domain needs lowercasing). Any doubt returns nil and `checked` decides and gives the reason;
    /// `EmailAddressTests` checks that the two agree.
    static func plainASCII(_ address: String) -> String? {
        var copy = address
        return copy.withUTF8 { bytes -> String? in
            guard bytes.count <= addressMaxLength, let at = bytes.firstIndex(of: UInt8(ascii: "@")),
                  at > 0, at <= localPartMaxLength, at < bytes.count - 1 else { return nil }
            let local = UnsafeBufferPointer(rebasing: bytes[..<at])
            let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
            guard isPlainDotAtom(local), let hasUppercase = plainHostname(domain) else { return nil }
            guard hasUppercase else { return address }
            return String(decoding: local, as: UTF8.self) + "@" + String(decoding: domain, as: UTF8.self).lowercased()
        }
    }

    private static func isPlainDotAtom(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous = UInt8(ascii: ".")  // so a leading period fails like a double one
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previous == UInt8(ascii: ".") { return false }
            } else if byte >= 0x80 || !isAtomText(Unicode.Scalar(byte)) {
                return false
            }
            previous = byte
        }
        return previous != UInt8(ascii: ".")
    }

    /// Whether the domain has uppercase letters, or nil when it is not a plain ASCII hostname with a period,
    /// short labels and a letter last.
    private static func plainHostname(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        var previous = UInt8(ascii: ".")
        var labelLength = 0
        var periods = 0
        var hasUppercase = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "."):
                guard previous != UInt8(ascii: "."), previous != UInt8(ascii: "-") else { return nil }
                periods += 1
                labelLength = 0
            case UInt8(ascii: "-"):
                guard previous != UInt8(ascii: ".") else { return nil }
                labelLength += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                labelLength += 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                hasUppercase = true
                labelLength += 1
            default:
                return nil
            }
            guard labelLength <= labelMaxLength else { return nil }
            previous = byte
        }
        let lastIsLetter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(previous | 0x20)
        return periods > 0 && lastIsLetter ? hasUppercase : nil
    }

    // MARK: - Local part

    private static func checkLocalPart(_ local: String) -> Reason? {
        guard !local.isEmpty else { return Reason(message: "There must be something before the @-sign.") }
        let excess = local.unicodeScalars.count - localPartMaxLength
        if excess > 0 { return Reason(message: "The email address is too long before the @-sign \(tooMany(excess)).") }
        let invalid = Set(local.unicodeScalars.filter { !isAtomText($0) && $0 != "." })
        if !invalid.isEmpty {
            return Reason(message: "The email address contains invalid characters before the @-sign: \(display(invalid)).")
        }
        return checkDots(local, start: "An email address cannot start with a %.",
                         end: "An email address cannot have a % immediately before the @-sign.", isHostname: false)
    }

    /// RFC 5322 `atext`, plus any non-ASCII letter (RFC 6531).
    private static func isAtomText(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x80 { return scalar.properties.isAlphabetic || scalar.properties.numericType != nil }
        if isASCIIAlphanumeric(scalar) { return true }
        return "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
    }

    // MARK: - Domain

    private static func checkDomain(_ domain: String) -> Reason? {
        guard !domain.isEmpty else { return Reason(message: "There must be something after the @-sign.") }
        let invalid = Set(domain.unicodeScalars.filter { !isHostnameCharacter($0) })
        if !invalid.isEmpty {
            return Reason(message: "The part after the @-sign contains invalid characters: \(display(invalid)).")
        }
        if let reason = checkDots(domain, start: "An email address cannot have a % immediately after the @-sign.",
                                  end: "An email address cannot end with a %.", isHostname: true) {
            return reason
        }
        for label in domain.split(separator: ".") where label.unicodeScalars.count > labelMaxLength {
            let excess = label.unicodeScalars.count - labelMaxLength
            return Reason(message: "After the @-sign, periods cannot be separated by so many characters \(tooMany(excess)).")
        }
        let lowered = domain.lowercased()
        guard lowered.contains(".") else { return Reason(message: "The part after the @-sign is not valid. It should have a period.") }
        guard let last = lowered.unicodeScalars.last, last.properties.isAlphabetic else {
            return Reason(message: "The part after the @-sign is not valid. It is not within a valid top-level domain.")
        }
        return nil
    }

    private static func isHostnameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x80 { return scalar.properties.isAlphabetic || scalar.properties.numericType != nil }
        return isASCIIAlphanumeric(scalar) || scalar == "-" || scalar == "."
    }

    // MARK: - Shared

    /// Dots (and, in a hostname, hyphens) may not start or end the part or sit together. `%` in the
    /// messages stands for "period" or "hyphen".
    private static func checkDots(_ text: String, start: String, end: String, isHostname: Bool) -> Reason? {
        func reason(_ template: String, _ word: String) -> Reason {
            Reason(message: template.replacing("%", with: word))
        }
        if text.hasSuffix(".") { return reason(end, "period") }
        if text.hasPrefix(".") { return reason(start, "period") }
        if text.contains("..") { return Reason(message: "An email address cannot have two periods in a row.") }
        guard isHostname else { return nil }
        if text.hasSuffix("-") { return reason(end, "hyphen") }
        if text.hasPrefix("-") { return reason(start, "hyphen") }
        if text.contains(".-") || text.contains("-.") {
            return Reason(message: "An email address cannot have a period and a hyphen next to each other.")
        }
        return nil
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// "(1 character too many)", "(3 characters too many)".
    private static func tooMany(_ count: Int) -> String {
        "(\(count) character\(count == 1 ? "" : "s") too many)"
    }

    /// The characters as `email-validator` lists them: printable ones quoted as Python's `repr` does,
    /// others by their Unicode name; sorted, comma-separated.
    private static func display(_ scalars: Set<Unicode.Scalar>) -> String {
        scalars.map { scalar in
            if scalar == "\\" { return "\"\\\"" }
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                return scalar.properties.name ?? "U+" + String(scalar.value, radix: 16, uppercase: true)
            }
            return scalar == "'" ? "\"'\"" : "'\(scalar)'"
        }.sorted().joined(separator: ", ")
    }
}
