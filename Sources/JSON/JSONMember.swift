/// One `"key": value` pair of a ``JSONObject``.
public struct JSONMember: Equatable, Sendable {
    /// The member name, already unescaped.
    public var key: String
    /// The member value.
    public var value: JSONValue

    /// Makes a member.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}
