/// The bytes of server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
/// `id:`, `event:` and one `data:` line of JSON (the writer escapes line breaks inside strings, so a JSON text is
/// always one line), then a blank line.
enum EventStreamFrame {
    /// An event of a record: `created`, `updated`, `deleted`, `entered`, `left`.
    static func event(id: Int64, name: String, data: [UInt8]) -> [UInt8] {
        var bytes = Array("id: \(id)\nevent: \(name)\ndata: ".utf8)
        bytes += data
        bytes += [0x0A, 0x0A]
        return bytes
    }

    /// `reset`: the id resumed from is older than the log holds; the client reloads, and resumes from `id`.
    static func reset(id: Int64) -> [UInt8] {
        Array("id: \(id)\nevent: reset\ndata: {\"last_event_id\":\(id)}\n\n".utf8)
    }

    /// `overflow`: the subscriber fell behind and the stream ends; it resumes after `lastEventID`.
    static func overflow(lastEventID: Int64) -> [UInt8] {
        Array("event: overflow\ndata: {\"last_event_id\":\(lastEventID)}\n\n".utf8)
    }

    /// A comment that keeps proxies from closing an idle stream.
    static let heartbeat = Array(": keep-alive\n\n".utf8)

    /// The last words of a stream the server ends (shutting down, or the token ended): reconnect after `milliseconds`.
    static func retry(milliseconds: Int) -> [UInt8] {
        Array("retry: \(milliseconds)\n\n".utf8)
    }
}
