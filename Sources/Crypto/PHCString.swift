/// An Argon2 hash in the PHC string format, as libargon2 writes it:
/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<tag>`, salt and tag in standard base64 without padding.
/// Parsing is strict (fields in that order, decimal without leading zeros, canonical base64),
/// so each hash has one spelling and a stored string can be compared for rehashing.
public struct PHCString: Hashable, Sendable, CustomStringConvertible {
    /// The Argon2 variant named in the first field.
    public var variant: Argon2.Variant
    /// m, t and p; `tagByteCount` is the length of `tag`.
    public var parameters: Argon2.Parameters
    /// The salt, at least 8 bytes.
    public var salt: [UInt8]
    /// The tag (the hash itself).
    public var tag: [UInt8]

    /// A PHC string from its parts; `parameters.tagByteCount` is taken from `tag`.
    public init(variant: Argon2.Variant, parameters: Argon2.Parameters, salt: [UInt8], tag: [UInt8]) {
        self.variant = variant
        self.parameters = parameters
        self.parameters.tagByteCount = tag.count
        self.salt = salt
        self.tag = tag
    }

    /// Parses `text`, or returns `nil` if it is not a version-19 Argon2 PHC string in canonical form.
    public init?(_ text: some StringProtocol) {
        let fields = String(text).split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0].isEmpty, fields[2] == "v=\(Argon2.version)",
              let variant = Argon2.Variant.allCases.first(where: { $0.name == fields[1] }),
              let costs = Self.costs(fields[3]),
              let salt = Self.base64(fields[4]), salt.count >= 8,
              let tag = Self.base64(fields[5]), tag.count >= 4
        else { return nil }
        self.init(variant: variant, parameters: Argon2.Parameters(memoryKiB: costs.m, iterations: costs.t, parallelism: costs.p),
                  salt: salt, tag: tag)
    }

    /// The canonical string.
    public var description: String {
        let p = parameters
        return "$\(variant.name)$v=\(Argon2.version)$m=\(p.memoryKiB),t=\(p.iterations),p=\(p.parallelism)$"
            + salt.withContiguousBytes(Base64Codec.standardUnpadded.encode) + "$"
            + tag.withContiguousBytes(Base64Codec.standardUnpadded.encode)
    }

    /// `m=<u32>,t=<u32>,p=<u32>`, exactly in that order.
    private static func costs(_ field: Substring) -> (m: UInt32, t: UInt32, p: UInt32)? {
        let pairs = field.split(separator: ",", omittingEmptySubsequences: false)
        guard pairs.count == 3 else { return nil }
        var values: [UInt32] = []
        for (pair, name) in zip(pairs, ["m=", "t=", "p="]) {
            guard pair.hasPrefix(name), let value = canonicalDecimal(pair.dropFirst(2)) else { return nil }
            values.append(value)
        }
        return (values[0], values[1], values[2])
    }

    /// A decimal UInt32 with digits only and no leading zero (so "019" and "+19" are refused).
    private static func canonicalDecimal(_ text: Substring) -> UInt32? {
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              text == "0" || !text.hasPrefix("0")
        else { return nil }
        return UInt32(text)
    }

    private static func base64(_ field: Substring) -> [UInt8]? {
        field.utf8.withContiguousBytes { Base64Codec.standardUnpadded.decode($0) }
    }
}
