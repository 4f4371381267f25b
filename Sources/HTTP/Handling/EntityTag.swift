/// An entity tag (RFC 9110 §8.8.3): an opaque validator of a representation, strong or weak (`W/`).
public struct EntityTag: Equatable, Sendable {
    /// The characters between the quotes.
    public let opaque: String
    /// Whether it is weak (`W/"..."`): equal for representations that are only semantically equivalent.
    public let isWeak: Bool

    /// A tag of `opaque`, which must hold only `etagc` characters (no `"`, no controls, no space).
    public init(_ opaque: String, isWeak: Bool = false) {
        self.opaque = opaque
        self.isWeak = isWeak
    }

    /// As an `ETag` field value: `"3"` or `W/"3"`.
    public var fieldValue: String { (isWeak ? "W/" : "") + "\"\(opaque)\"" }

    /// The strong comparison (RFC 9110 §8.8.3.2): both strong and the same characters.
    public func matchesStrongly(_ other: EntityTag) -> Bool { !isWeak && !other.isWeak && opaque == other.opaque }

    /// The weak comparison: the same characters, strong or weak.
    public func matchesWeakly(_ other: EntityTag) -> Bool { opaque == other.opaque }
}

/// The value of `If-Match` or `If-None-Match` (RFC 9110 §13.1.1, §13.1.2): `*`, or a list of entity tags. A value
/// that does not parse names no tag, so `If-Match` fails (no write without a precondition that holds) and
/// `If-None-Match` passes (the representation is sent).
public enum EntityTagCondition: Equatable, Sendable {
    /// `*`: any current representation.
    case any
    /// The tags listed.
    case tags([EntityTag])

    /// Reads a field value: `*`, or `#entity-tag` separated by commas and optional whitespace.
    public init(parsing value: String) {
        let trimmed = value.trimmingWhitespace()
        if trimmed == "*" {
            self = .any
            return
        }
        var tags: [EntityTag] = []
        for element in trimmed.split(separator: ",", omittingEmptySubsequences: true) {
            guard let tag = Self.tag(element.trimmingWhitespace()) else {
                self = .tags([])
                return
            }
            tags.append(tag)
        }
        self = .tags(tags)
    }

    /// `[W/]"etagc*"`, where etagc is %x21 / %x23-7E / obs-text.
    private static func tag(_ text: Substring) -> EntityTag? {
        let isWeak = text.hasPrefix("W/")
        let quoted = isWeak ? text.dropFirst(2) : text
        guard quoted.utf8.count >= 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") else { return nil }
        let opaque = quoted.dropFirst().dropLast()
        guard opaque.utf8.allSatisfy({ $0 == 0x21 || (0x23...0x7E).contains($0) || $0 >= 0x80 }) else { return nil }
        return EntityTag(String(opaque), isWeak: isWeak)
    }

    /// `If-Match` (RFC 9110 §13.1.1): true for `*` when there is a current representation, or when a listed tag
    /// matches `current` by the strong comparison.
    public func ifMatch(_ current: EntityTag?) -> Bool {
        guard let current else { return false }
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { $0.matchesStrongly(current) }
        }
    }

    /// `If-None-Match` (RFC 9110 §13.1.2): false for `*` when there is a current representation, or when a listed tag
    /// matches `current` by the weak comparison.
    public func ifNoneMatch(_ current: EntityTag?) -> Bool {
        guard let current else { return true }
        switch self {
        case .any: return false
        case .tags(let tags): return !tags.contains { $0.matchesWeakly(current) }
        }
    }
}
