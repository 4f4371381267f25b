/// A channel family declared in `realtime.channels` (DESIGN §11): its name pattern, who may subscribe and publish
/// (rules of the resource rule grammar, over the pattern's parameters, `channel` and `@caller`), how many messages
/// it keeps for newcomers, and the largest message.
struct ChannelDeclaration: Sendable {
    let pattern: ChannelPattern
    let subscribe: ResourceRule
    let publish: ResourceRule
    /// The last messages kept per channel, sent to a subscriber that asks for them.
    let history: Int
    /// The largest `data` a message may carry, serialized.
    let maxMessageBytes: Int

    /// The fields a rule may name: the parameters and `channel`.
    static func fields(of pattern: ChannelPattern) -> [String: FilterFieldType] {
        var fields: [String: FilterFieldType] = ["channel": .string]
        for parameter in pattern.parameters { fields[parameter.name] = parameter.isInteger ? .integer : .string }
        return fields
    }
}
