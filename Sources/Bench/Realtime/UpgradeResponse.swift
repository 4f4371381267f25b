/// The head of a server's answer to a WebSocket opening request: what RFC 6455 §4.1 has a client check before it
/// takes the connection as a WebSocket (status 101, `Upgrade: websocket`, the `Sec-WebSocket-Accept` of its key).
package struct UpgradeResponse: Equatable, Sendable {
    /// The status code: 101 when the server switched, anything else is its refusal.
    package let status: Int
    /// The `Upgrade` field's value, if any.
    package let upgrade: String?
    /// The `Sec-WebSocket-Accept` field's value, if any.
    package let accept: String?
    /// Bytes of the head, through its blank line; frames may follow at once.
    package let length: Int

    /// A head that is not HTTP/1.1, or is bigger than the bench accepts.
    package struct Malformed: Error, Equatable {}

    /// Reads the head at the start of `bytes`, or returns nil when its blank line has not arrived yet.
    package static func parse(_ bytes: UnsafeRawBufferPointer, maxLength: Int = 16384) throws(Malformed) -> UpgradeResponse? {
        guard let length = endOfHead(bytes) else {
            guard bytes.count <= maxLength else { throw Malformed() }
            return nil
        }
        let lines = bytes[..<(length - 4)].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
        let statusLine = Array(lines[0])
        guard statusLine.count >= 12, statusLine.starts(with: "HTTP/1.1 ".utf8),
              let status = Int(String(decoding: statusLine[9..<12], as: UTF8.self)) else { throw Malformed() }
        var upgrade: String?, accept: String?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw Malformed() }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces()
            if name == "upgrade" { upgrade = value }
            if name == "sec-websocket-accept" { accept = value }
        }
        return UpgradeResponse(status: status, upgrade: upgrade, accept: accept, length: length)
    }

    /// The length of the head through CRLF CRLF, or nil before it.
    private static func endOfHead(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index] == UInt8(ascii: "\n") && bytes[index - 1] == UInt8(ascii: "\r")
            && bytes[index - 2] == UInt8(ascii: "\n") && bytes[index - 3] == UInt8(ascii: "\r") {
            return index + 1
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
