/// URL syntax as Pydantic's `AnyUrl` checks it, through the `url` crate (which follows the WHATWG URL standard): any
/// scheme, a host only where the scheme has one. A refused text gets the crate's own words, in the same order of
/// checks: the scheme, the user info, the host, then the port.
///
/// What is left out: the full UTS #46 (IDNA) table for non-ASCII host names, which needs Unicode data the standard
/// library does not expose. Here the characters IDNA ignores are dropped, the fullwidth forms and ideographic full
/// stops read as their ASCII, and the characters IDNA refuses are approximated from their Unicode properties
/// (`isDisallowedByIDNA`, `isValidLabel`). Not checked: the bidirectional rule (RFC 5893; Pydantic refuses a label
/// mixing right-to-left and left-to-right letters, this accepts it) and that an `xn--` label decodes to NFC text.
/// The text itself is never rewritten (no lowercasing, no trailing `/`).
package enum URLSyntax {
    /// Why a text is not a URL: the `url` crate's `ParseError` texts, and pydantic-core's own `input is empty`.
    package enum Problem: String, Error, Equatable {
        case emptyInput = "input is empty"
        case relativeURLWithoutBase = "relative URL without a base"
        case emptyHost = "empty host"
        case invalidPort = "invalid port number"
        case invalidIPv4Address = "invalid IPv4 address"
        case invalidIPv6Address = "invalid IPv6 address"
        case invalidDomainCharacter = "invalid domain character"
        case invalidInternationalDomainName = "invalid international domain name"
    }

    /// What is wrong with `text` as a URL, or nil when Pydantic's `AnyUrl` would take it.
    package static func problem(in text: String) -> Problem? {
        // pydantic-core refuses the empty string itself, before the url crate sees it.
        guard !text.isEmpty else { return .emptyInput }
        // The crate trims C0 controls and spaces from both ends, and skips tabs and newlines anywhere.
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { $0.value > 0x20 }), let last = scalars.lastIndex(where: { $0.value > 0x20 }) else {
            return .relativeURLWithoutBase
        }
        let input = scalars[first...last].filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        guard let colon = schemeEnd(input) else { return .relativeURLWithoutBase }
        let scheme = String(String.UnicodeScalarView(input[..<colon])).lowercased()
        let rest = Array(input[(colon + 1)...])
        switch scheme {
        case "http", "https", "ws", "wss", "ftp":
            // Any number of slashes, either way, may come before the authority of a special URL (even none).
            return authorityProblem(Array(rest.drop { $0 == "/" || $0 == "\\" }), isSpecial: true)
        case "file":
            return fileHostProblem(rest)
        default:
            // Only `//` introduces an authority in other schemes; `mailto:x` or `urn:isbn:1` are paths.
            guard rest.starts(with: ["/", "/"]) else { return nil }
            return authorityProblem(Array(rest.dropFirst(2)), isSpecial: false)
        }
    }

    /// The index of the `:` ending the scheme: an ASCII letter, then letters, digits, `+`, `-` or `.`.
    private static func schemeEnd(_ input: [Unicode.Scalar]) -> Int? {
        guard let first = input.first, isASCIILetter(first) else { return nil }
        for (index, scalar) in input.enumerated().dropFirst() {
            if scalar == ":" { return index }
            guard isASCIILetter(scalar) || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar) else { return nil }
        }
        return nil
    }

    // MARK: - Authority

    /// `[user[:password]@]host[:port]`, up to the path, query or fragment (the crate's `after_double_slash`).
    private static func authorityProblem(_ input: [Unicode.Scalar], isSpecial: Bool) -> Problem? {
        let isEnd = { (scalar: Unicode.Scalar) in scalar == "/" || scalar == "?" || scalar == "#" || (isSpecial && scalar == "\\") }
        let authorityEnd = input.firstIndex(where: isEnd) ?? input.count
        var hostStart = 0
        var hasCredentials = false
        if let at = input[..<authorityEnd].lastIndex(of: "@") {
            if at == 0 {
                // `@` alone before the path: the crate names the missing host at once.
                if at + 1 < input.count, isEnd(input[at + 1]) { return .emptyHost }
            } else {
                // A user name or a password (what follows the first `:`), not just a `:`.
                let userInfo = input[..<at]
                let colon = userInfo.firstIndex(of: ":")
                hasCredentials = (colon ?? at) > 0 || (colon.map { $0 + 1 < at } ?? false)
            }
            hostStart = at + 1
        }
        var hostEnd = hostStart
        var isInsideBrackets = false
        while hostEnd < input.count, !isEnd(input[hostEnd]), input[hostEnd] != ":" || isInsideBrackets {
            if input[hostEnd] == "[" { isInsideBrackets = true } else if input[hostEnd] == "]" { isInsideBrackets = false }
            hostEnd += 1
        }
        let host = Array(input[hostStart..<hostEnd])
        if isSpecial && host.isEmpty { return .emptyHost }
        if let problem = isSpecial ? domainHostProblem(host) : opaqueHostProblem(host) { return problem }
        if hostEnd < input.count, input[hostEnd] == ":" {
            if host.isEmpty { return .emptyHost }
            if let problem = portProblem(input[(hostEnd + 1)...]) { return problem }
        }
        return host.isEmpty && hasCredentials ? .emptyHost : nil
    }

    /// Digits up to the path, query or fragment, at most 65535 (none at all is fine).
    private static func portProblem(_ input: ArraySlice<Unicode.Scalar>) -> Problem? {
        var port = 0
        for scalar in input {
            if "/\\?#".unicodeScalars.contains(scalar) { break }
            guard ("0"..."9").contains(scalar) else { return .invalidPort }
            port = port * 10 + Int(scalar.value - 48)
            guard port <= 65_535 else { return .invalidPort }
        }
        return nil
    }

    /// A `file:` URL has a host only after two slashes; a Windows drive letter there (`file://C:/x`) is a path.
    private static func fileHostProblem(_ rest: [Unicode.Scalar]) -> Problem? {
        guard rest.count >= 2, rest[0] == "/" || rest[0] == "\\", rest[1] == "/" || rest[1] == "\\" else { return nil }
        let host = Array(rest.dropFirst(2).prefix { !"/\\?#".unicodeScalars.contains($0) })
        let isDriveLetter = host.count == 2 && isASCIILetter(host[0]) && (host[1] == ":" || host[1] == "|")
        return host.isEmpty || isDriveLetter ? nil : domainHostProblem(host)
    }

    // MARK: - Hosts

    /// The host of a special URL: an IPv6 address in brackets, or a domain name (percent-decoded, then checked as
    /// IDNA's `domain_to_ascii` with the URL deny list), which is an IPv4 address if it ends in a number.
    private static func domainHostProblem(_ host: [Unicode.Scalar]) -> Problem? {
        if host.first == "[" { return bracketedProblem(host) }
        guard let decoded = String(validating: percentDecoded(host), as: UTF8.self) else { return .invalidInternationalDomainName }
        var domain = String.UnicodeScalarView()
        for scalar in decoded.unicodeScalars.compactMap(idnaMapped) {
            if scalar.isASCII ? isForbiddenInDomain(scalar) : isDisallowedByIDNA(scalar) { return .invalidInternationalDomainName }
            domain.append(scalar.isASCII ? Unicode.Scalar(UInt8(scalar.value) | (isASCIILetter(scalar) ? 0x20 : 0)) : scalar)
        }
        // A host of characters IDNA ignores (a soft hyphen) is no host.
        guard !domain.isEmpty else { return .emptyHost }
        // Labels are split at U+002E itself (a `.` and a combining mark after it are one `Character`, two scalars).
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(Array.init)
        for label in labels {
            if label.starts(with: "xn--".unicodeScalars) {
                // IDNA decodes such a label and checks what it stands for.
                guard label.allSatisfy(\.isASCII), isValidPunycode(label.dropFirst(4)) else { return .invalidInternationalDomainName }
            } else if !isValidLabel(label) {
                return .invalidInternationalDomainName
            }
        }
        let texts = labels.map { String(String.UnicodeScalarView($0)) }
        guard endsInANumber(texts) else { return nil }
        return isIPv4Address(texts) ? nil : .invalidIPv4Address
    }

    /// The host of another scheme's URL: kept as written, but without the characters that delimit URL parts.
    private static func opaqueHostProblem(_ host: [Unicode.Scalar]) -> Problem? {
        if host.first == "[" { return bracketedProblem(host) }
        let forbidden = "\0\t\n\r #/:<>?@[\\]^|".unicodeScalars
        return host.contains(where: forbidden.contains) ? .invalidDomainCharacter : nil
    }

    private static func bracketedProblem(_ host: [Unicode.Scalar]) -> Problem? {
        guard host.count >= 2, host.last == "]" else { return .invalidIPv6Address }
        let inner = Array(String(String.UnicodeScalarView(host[1..<(host.count - 1)])).utf8)
        return isIPv6Address(inner) ? nil : .invalidIPv6Address
    }

    /// The URL standard's forbidden domain code points (ASCII only): C0 controls, space, `#%/:<>?@[\]^|` and DEL.
    private static func isForbiddenInDomain(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || scalar.value == 0x7F || "#%/:<>?@[\\]^|".unicodeScalars.contains(scalar)
    }

    /// The part of IDNA's mapping that decides acceptance: nil for the characters it ignores (UTS #46 status
    /// `ignored`), the ASCII character for a fullwidth form or an ideographic full stop, else the character itself.
    private static func idnaMapped(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x00AD, 0x034F, 0x180B...0x180D, 0x180F, 0x200B, 0x2060, 0x2064, 0xFE00...0xFE0F, 0xFEFF, 0x1BCA0...0x1BCA3,
             0xE0100...0xE01EF:
            nil
        case 0xFF01...0xFF5E: Unicode.Scalar(scalar.value - 0xFEE0)
        case 0x3002, 0xFF61: "."
        default: scalar
        }
    }

    /// Whether IDNA refuses a non-ASCII character wherever it stands: one its table (Unicode 15.1 in the idna crate
    /// pydantic-core pins) does not know; a private-use, surrogate, control or format character (the joiners aside,
    /// see `isValidLabel`); a separator or spacing accent, which it maps to a space; a character it maps to text
    /// with a `.` (`⒈`, `‥`); an ideographic description character; Georgian capitals it has no mapping for; and the
    /// other default-ignorable characters (the Hangul fillers).
    private static func isDisallowedByIDNA(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        guard let age = properties.age, age.major < 15 || (age.major == 15 && age.minor <= 1) else { return true }
        switch scalar.value {
        case 0x200C, 0x200D: return false
        case 0x2024...0x2026, 0x2488...0x249B, 0x1F100...0x1F10A, 0x2FF0...0x2FFF, 0x10A0...0x10C5, 0x10C7, 0x10CD: return true
        default: break
        }
        switch properties.generalCategory {
        case .unassigned, .privateUse, .surrogate, .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        case .modifierSymbol: return properties.changesWhenNFKCCaseFolded
        default: return properties.isDefaultIgnorableCodePoint
        }
    }

    /// IDNA's rules on a label as a whole, where they can be told from the standard library: it may not begin
    /// with a combining mark, and a zero-width joiner or non-joiner must follow a virama (RFC 5892, CONTEXTJ).
    private static func isValidLabel(_ label: [Unicode.Scalar]) -> Bool {
        if let first = label.first, [.nonspacingMark, .spacingMark, .enclosingMark].contains(first.properties.generalCategory) {
            return false
        }
        for (index, scalar) in label.enumerated() where scalar.value == 0x200C || scalar.value == 0x200D {
            guard index > 0, label[index - 1].properties.canonicalCombiningClass == .virama else { return false }
        }
        return true
    }

    /// `%XX` sequences decoded; a `%` not followed by two hex digits stays (and is then a forbidden character).
    private static func percentDecoded(_ host: [Unicode.Scalar]) -> [UInt8] {
        let bytes = Array(String(String.UnicodeScalarView(host)).utf8)
        var decoded: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return decoded
    }

    /// Whether an `xn--` label's rest is Punycode for a label IDNA accepts: not all ASCII, and only characters
    /// valid as they stand (lowercase ASCII a domain may hold; no character IDNA refuses, or maps to another or
    /// ignores, which `changesWhenNFKCCaseFolded` tells), under `isValidLabel`'s rules.
    private static func isValidPunycode(_ encoded: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let label = Punycode.decoded(encoded.map { UInt8($0.value) }), label.contains(where: { !$0.isASCII }), isValidLabel(label) else { return false }
        return label.allSatisfy { scalar in
            if scalar.isASCII { return !isForbiddenInDomain(scalar) && !("A"..."Z").contains(scalar) }
            let isJoiner = scalar.value == 0x200C || scalar.value == 0x200D
            return !isDisallowedByIDNA(scalar) && (isJoiner || !scalar.properties.changesWhenNFKCCaseFolded)
        }
    }

    // MARK: - IP addresses

    /// Whether the last label (or the one before a final dot) is a number, which makes the name an IPv4 address.
    private static func endsInANumber(_ labels: [String]) -> Bool {
        var labels = labels
        var last = labels.removeLast()
        if last.isEmpty {
            guard let previous = labels.popLast() else { return false }
            last = previous
        }
        if !last.isEmpty && last.allSatisfy({ $0.asciiValue.map { (48...57).contains($0) } ?? false }) { return true }
        return ipv4Number(last) != .invalid
    }

    private enum IPv4Number: Equatable {
        case value(UInt32)
        case overflow
        case invalid
    }

    /// One part of an IPv4 address: decimal, `0x` hexadecimal or `0` octal, as the URL standard reads it.
    private static func ipv4Number(_ text: String) -> IPv4Number {
        guard !text.isEmpty else { return .invalid }
        var digits = Substring(text)
        var radix = 10
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            digits = digits.dropFirst(2)
            radix = 16
        } else if digits.count >= 2 && digits.hasPrefix("0") {
            digits = digits.dropFirst()
            radix = 8
        }
        guard !digits.isEmpty else { return .value(0) }
        guard digits.allSatisfy({ $0.isASCII && ($0.hexDigitValue ?? 99) < radix }) else { return .invalid }
        return UInt32(digits, radix: radix).map(IPv4Number.value) ?? .overflow
    }

    /// The URL standard's IPv4 parser: up to four parts, the last filling the bytes the others leave.
    private static func isIPv4Address(_ labels: [String]) -> Bool {
        var parts = labels
        if parts.last == "" { parts.removeLast() }
        guard parts.count <= 4 else { return false }
        var numbers: [UInt32] = []
        for part in parts {
            guard case .value(let number) = ipv4Number(part) else { return false }
            numbers.append(number)
        }
        guard let last = numbers.popLast() else { return false }
        return last <= UInt32.max >> (8 * UInt32(numbers.count)) && numbers.allSatisfy { $0 <= 255 }
    }

    /// The URL standard's IPv6 parser (the crate's `parse_ipv6addr`), on the text between the brackets.
    private static func isIPv6Address(_ input: [UInt8]) -> Bool {
        let count = input.count
        guard count >= 2 else { return false }
        var pieceCount = 0
        var compress: Int?
        var index = 0
        if input[0] == UInt8(ascii: ":") {
            guard input[1] == UInt8(ascii: ":") else { return false }
            index = 2
            pieceCount = 1
            compress = 1
        }
        var isIPv4Tail = false
        while index < count {
            guard pieceCount < 8 else { return false }
            if input[index] == UInt8(ascii: ":") {
                guard compress == nil else { return false }
                index += 1
                pieceCount += 1
                compress = pieceCount
                continue
            }
            let start = index
            while index < min(count, start + 4), hexValue(input[index]) != nil { index += 1 }
            if index < count {
                switch input[index] {
                case UInt8(ascii: "."):
                    guard index != start, pieceCount <= 6 else { return false }
                    index = start
                    isIPv4Tail = true
                case UInt8(ascii: ":"):
                    index += 1
                    guard index < count else { return false }
                default:
                    return false
                }
            }
            if isIPv4Tail { break }
            pieceCount += 1
        }
        if isIPv4Tail {
            guard pieceCount <= 6 else { return false }
            var numbersSeen = 0
            while index < count {
                if numbersSeen > 0 {
                    guard numbersSeen < 4, input[index] == UInt8(ascii: ".") else { return false }
                    index += 1
                }
                var value: Int?
                while index < count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(input[index]) {
                    let digit = Int(input[index] - UInt8(ascii: "0"))
                    switch value {
                    case nil: value = digit
                    case 0: return false  // no leading zero
                    case let current?:
                        guard current * 10 + digit <= 255 else { return false }
                        value = current * 10 + digit
                    }
                    index += 1
                }
                guard value != nil else { return false }
                numbersSeen += 1
                if numbersSeen == 2 || numbersSeen == 4 { pieceCount += 1 }
            }
            guard numbersSeen == 4 else { return false }
        }
        guard index >= count else { return false }
        return compress != nil || pieceCount == 8
    }

    // MARK: - Not public

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
