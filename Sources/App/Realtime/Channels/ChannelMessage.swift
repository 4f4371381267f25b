import JSON

/// A message published to a channel: ephemeral (never in the change log), numbered per channel, kept in the
/// channel's history when it keeps one.
struct ChannelMessage: Sendable {
    let channel: String
    /// Its number in the channel, from 1.
    let sequence: Int64
    /// `{"channel":NAME,"seq":N,"from":USER,"at":TIME,"data":DATA}`, as a history lists it.
    let json: JSONValue
    /// The same object without its `{`: every subscription's message is its own prefix and this.
    let tail: [UInt8]

    init(channel: String, sequence: Int64, from: Int64?, at: String, data: JSONValue) {
        self.channel = channel
        self.sequence = sequence
        json = ["channel": .string(channel), "seq": .integer(sequence), "from": from.map(JSONValue.integer) ?? .null, "at": .string(at), "data": data]
        tail = Array(json.serialized().dropFirst())
    }
}
