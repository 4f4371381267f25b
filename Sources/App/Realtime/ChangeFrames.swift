import JSON

/// The bytes of one change's events, made once per loop and event name and shared by every subscriber that gets
/// them (DESIGN §11, "Fan-out"): the record's JSON, and the whole server-sent event.
final class ChangeFrames {
    private var data: [String: [UInt8]] = [:]
    private var events: [String: [UInt8]] = [:]
    private let records: (record: JSONObject, previous: JSONObject?)

    init(_ change: Change) {
        records = (change.record, change.previous)
    }

    /// The record event `name` shows: as it was for `left` (the subscriber may no longer read it as it is).
    private func record(for name: String) -> JSONObject {
        name == "left" ? records.previous ?? records.record : records.record
    }

    /// The JSON of event `name`'s record.
    func json(_ name: String) -> [UInt8] {
        if let made = data[name] { return made }
        let made = JSONValue.object(record(for: name)).serialized()
        data[name] = made
        return made
    }

    /// The server-sent event `name` with `id`.
    func serverSentEvent(_ name: String, id: Int64) -> [UInt8] {
        if let made = events[name] { return made }
        let made = EventStreamFrame.event(id: id, name: name, data: json(name))
        events[name] = made
        return made
    }
}
