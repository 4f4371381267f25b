/// A one-pass reader for the claims objects this API issues, so that verifying a token builds no
/// `JSONValue` tree, hashes no member names into a `Set`, and makes a `String` only for a claim it
/// returns.
///
/// It takes one flat object whose member names are printable ASCII without escapes, and whose
/// values are such strings, integers of at most 18 digits, or arrays of such strings; the grammar
/// is RFC 8259's, whitespace included. Everything else (escapes, non-ASCII, fractions, exponents,
/// `true`/`false`/`null`, nesting, a claim of the wrong type, any syntax error) makes it return
/// `nil`, and `JWT` then hands the payload to the strict `JSONParser`, which accepts it or names
/// the error. So the scanner accepts a subset of what the parser accepts, with the same claims;
/// it never decides a rejection itself.
///
/// Duplicate names are refused (declined) like the parser does. Names are compared byte for byte,
/// which equals `String` equality only because they are ASCII: two different byte spellings of a
/// non-ASCII name can be one canonically equivalent `String`, which is why those go to the parser.
struct JWTClaimsScanner {
    /// Objects with more members go to the parser; this bounds the quadratic duplicate check.
    private static let maximumMemberCount = 16

    /// The registered claims it fills in, by name (RFC 7519 §4.1, RFC 8693 §4.2).
    private enum Claim {
        case subject, issuer, id, scope, expiresAt, notBefore, issuedAt, audience

        /// Each name as `prefix(_:)` packs it, so recognizing a name is one word comparison per claim.
        static let names: [(prefix: UInt64, claim: Claim)] = [
            ("sub", subject), ("iss", issuer), ("jti", id), ("scope", scope),
            ("exp", expiresAt), ("nbf", notBefore), ("iat", issuedAt), ("aud", audience),
        ].map { (name: StaticString, claim) in
            (JWTClaimsScanner.prefix(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)), claim)
        }
    }

    /// A member name already read: where it is, and its first eight bytes as `prefix(_:)` packs them.
    private struct Name {
        let range: Range<Int>
        let prefix: UInt64
    }

    private let input: UnsafeRawBufferPointer
    private var position = 0

    /// The claims of `json`, or `nil` if it is anything but the simple shape described above.
    static func claims(_ json: UnsafeRawBufferPointer) -> JWTClaims? {
        var scanner = JWTClaimsScanner(input: json)
        return withUnsafeTemporaryAllocation(of: Name.self, capacity: maximumMemberCount) { names in
            scanner.document(names: names.baseAddress!)  // capacity 16 is never empty
        }
    }

    private init(input: UnsafeRawBufferPointer) {
        self.input = input
    }

    // MARK: - Structure

    /// RFC 8259 §2 and §4: `ws "{" ws [ member *( ws "," ws member ) ] ws "}" ws`, and nothing after.
    /// `names` has room for the ranges of `maximumMemberCount` names.
    private mutating func document(names: UnsafeMutablePointer<Name>) -> JWTClaims? {
        var claims = JWTClaims()
        skipWhitespace()
        guard consume(UInt8(ascii: "{")) else { return nil }
        skipWhitespace()
        if !consume(UInt8(ascii: "}")) {
            var count = 0
            repeat {
                skipWhitespace()
                guard count < Self.maximumMemberCount, let range = plainString() else { return nil }
                let name = Name(range: range, prefix: Self.prefix(slice(range)))
                guard isNew(name, among: UnsafeBufferPointer(start: names, count: count)) else { return nil }
                (names + count).initialize(to: name)
                count += 1
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                guard member(name, into: &claims) else { return nil }
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { return nil }
        }
        skipWhitespace()
        return position == input.count ? claims : nil
    }

    /// Whether `name` differs from every name before it. Names of at most eight bytes are equal
    /// exactly when their lengths and prefixes are, so only longer ones need their bytes compared.
    private func isNew(_ name: Name, among earlier: UnsafeBufferPointer<Name>) -> Bool {
        !earlier.contains { other in
            other.range.count == name.range.count && other.prefix == name.prefix
                && (name.range.count <= 8 || slice(other.range).hasSameBytes(as: slice(name.range)))
        }
    }

    /// Reads the value of member `name`, storing it in `claims` if it is a registered claim of the
    /// right JSON type (RFC 7519 §7.2 step 10); `false` declines the whole payload.
    private mutating func member(_ name: Name, into claims: inout JWTClaims) -> Bool {
        switch Self.claim(named: name) {
        case .subject: store(stringValue(), in: &claims.subject)
        case .issuer: store(stringValue(), in: &claims.issuer)
        case .id: store(stringValue(), in: &claims.id)
        case .scope: store(stringValue(), in: &claims.scope)
        case .expiresAt: store(integer(), in: &claims.expiresAt)
        case .notBefore: store(integer(), in: &claims.notBefore)
        case .issuedAt: store(integer(), in: &claims.issuedAt)
        case .audience: audience(into: &claims)
        case nil: skipValue()
        }
    }

    /// RFC 7519 §4.1.3: `aud` is a string or an array of strings.
    private mutating func audience(into claims: inout JWTClaims) -> Bool {
        guard let audience = next == UInt8(ascii: "[") ? stringArray() : stringValue().map({ [$0] }) else { return false }
        claims.audience = audience
        return true
    }

    /// Stores `value`; `nil` means the value was missing or of another type, which declines.
    private func store<Value>(_ value: Value?, in claim: inout Value?) -> Bool {
        guard let value else { return false }
        claim = value
        return true
    }

    /// Skips the value of a member this API does not read.
    private mutating func skipValue() -> Bool {
        switch next {
        case UInt8(ascii: "\""): plainString() != nil
        case UInt8(ascii: "["): stringArray() != nil
        default: integer() != nil
        }
    }

    /// The claim `name` denotes, if any.
    private static func claim(named name: Name) -> Claim? {
        guard name.range.count <= 8 else { return nil }
        return Claim.names.first { $0.prefix == name.prefix }?.claim
    }

    /// The first (up to) eight bytes of `name` as a little-endian word, zero-filled.
    private static func prefix(_ name: UnsafeRawBufferPointer) -> UInt64 {
        var word: UInt64 = 0
        withUnsafeMutableBytes(of: &word) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: name.prefix(8))) }
        return UInt64(littleEndian: word)
    }

    // MARK: - Values

    /// A string without escapes or non-ASCII bytes, as a `String`.
    private mutating func stringValue() -> String? {
        plainString().map { String(decoding: slice($0), as: UTF8.self) }
    }

    /// `[ ws ]` or `[ ws string *( ws "," ws string ) ws ]` of plain strings.
    private mutating func stringArray() -> [String]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var strings: [String] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return strings }
        repeat {
            skipWhitespace()
            guard let string = stringValue() else { return nil }
            strings.append(string)
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? strings : nil
    }

    /// The contents of a string at `position` made only of printable ASCII other than `"` and `\`:
    /// the strings that need no unescaping, no UTF-8 validation and no normalization.
    private mutating func plainString() -> Range<Int>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position + 8 <= input.count,
              !Self.hasNonPlainByte(input.loadUnaligned(fromByteOffset: position, as: UInt64.self)) {
            position += 8
        }
        while position < input.count, case let byte = input[position], byte >= 0x20, byte < 0x80,
              byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            position += 1
        }
        guard consume(UInt8(ascii: "\"")) else { return nil }
        return start..<(position - 1)
    }

    /// Whether any of the eight bytes of `word` is a control character, `"`, `\` or 0x80 and
    /// above. The classic "has a byte less than n" test: `(x - 0x01…01 * n) & ~x` sets some byte's
    /// high bit exactly when some byte of x is below n (n ≤ 0x80); equality is "less than 1" after
    /// an XOR; and the word's own high bits flag non-ASCII.
    private static func hasNonPlainByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        func bytesBelow(_ limit: UInt8, _ x: UInt64) -> UInt64 { (x &- ones &* UInt64(limit)) & ~x }
        let quote = bytesBelow(1, word ^ ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = bytesBelow(1, word ^ ones &* UInt64(UInt8(ascii: "\\")))
        return (bytesBelow(0x20, word) | quote | backslash | word) & 0x8080_8080_8080_8080 != 0
    }

    /// RFC 8259 §6 `[ minus ] int` with at most 18 digits, which always fits `Int64`. A fraction
    /// or exponent is left unread, so the caller's next structural check declines it.
    private mutating func integer() -> Int64? {
        let isNegative = consume(UInt8(ascii: "-"))
        let start = position
        var magnitude: Int64 = 0
        while position < input.count, case let digit = input[position] &- UInt8(ascii: "0"), digit < 10 {
            magnitude = magnitude &* 10 &+ Int64(digit)  // wraps only past 18 digits, declined below
            position += 1
        }
        let digitCount = position - start
        // "int = zero / ( digit1-9 *DIGIT )": a zero stands alone.
        guard digitCount > 0, digitCount <= 18, digitCount == 1 || input[start] != UInt8(ascii: "0") else { return nil }
        return isNegative ? -magnitude : magnitude
    }

    // MARK: - Bytes

    /// The byte at `position`, or 0 at the end (0 never starts a value).
    private var next: UInt8 {
        position < input.count ? input[position] : 0
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < input.count, input[position] == byte else { return false }
        position += 1
        return true
    }

    /// RFC 8259 §2: "ws = *( %x20 / %x09 / %x0A / %x0D )", and nothing else.
    private mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: input[range])
    }
}
