/// A JSON object that keeps its members in document order.
///
/// Lookups are linear, which is faster than hashing for the small objects an API sees. Equality
/// compares members in order. RFC 8259 §4 leaves duplicate names to the implementation: they are
/// kept in `members`, and lookups answer the last one, as Python's `json` and ECMAScript's
/// `JSON.parse` do. Use ``JSONParser/Options/rejectDuplicateKeys`` where that is not acceptable.
public struct JSONObject: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    /// The members, in order.
    public var members: [JSONMember]

    /// Makes an object from `members`, in that order.
    public init(_ members: [JSONMember] = []) {
        self.members = members
    }

    /// Makes an object from a literal, members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { JSONMember(key: $0.0, value: $0.1) }
    }

    /// The value of the last member named `key`.
    ///
    /// Setting replaces that member's value in place, or appends a member if there is none;
    /// setting `nil` removes every member named `key`.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = members.lastIndex(where: { $0.key == key }) else { return nil }
            return members[index].value
        }
        set {
            guard let newValue else {
                members.removeAll { $0.key == key }
                return
            }
            if let index = members.lastIndex(where: { $0.key == key }) {
                members[index].value = newValue
            } else {
                members.append(JSONMember(key: key, value: newValue))
            }
        }
    }

    /// The member names, in order.
    public var keys: [String] {
        members.map(\.key)
    }
}
