import Glibc

/// An incremental parser of a `text/event-stream` body, as the HTML standard's "Interpreting an event stream"
/// (WHATWG HTML §9.2.6) reads one: lines end in CRLF, LF or CR; `:` starts a comment; a blank line dispatches the
/// event gathered from the `event`, `data` and `id` fields before it. Fed any split of the input, it dispatches the
/// same events. Only what `api bench --realtime` needs is kept: `retry` is read and dropped.
package struct EventStreamParser: Sendable {
    /// One dispatched event; its buffers are the parser's and are valid only during the callback.
    package struct Event {
        /// The `event` field, or `message` when the event had none.
        package let name: UnsafeRawBufferPointer
        /// The `data` fields joined with LF.
        package let data: UnsafeRawBufferPointer
        /// The last `id` field seen in the stream so far (it carries over to later events).
        package let lastEventID: UnsafeRawBufferPointer
    }

    /// A line longer than the limit: the stream is not one this bench can follow.
    package struct TooLong: Error, Equatable {}

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var name: [UInt8] = []
    private var lastEventID: [UInt8] = []
    /// A CR ended the previous line, so an LF first in the next input belongs to it.
    private var afterCarriageReturn = false
    private var atStreamStart = true
    private let maxLineBytes: Int

    private static let message = Array("message".utf8)
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A parser that refuses lines and events of more than `maxLineBytes`.
    package init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Reads `input`, calling `dispatch` for each event completed in it.
    package mutating func parse(_ input: UnsafeRawBufferPointer, dispatch: (Event) -> Void) throws(TooLong) {
        var start = 0
        if afterCarriageReturn, start < input.count {
            afterCarriageReturn = false
            if input[0] == UInt8(ascii: "\n") { start = 1 }
        }
        while start < input.count {
            guard let end = Self.lineEnd(in: input, from: start) else {
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start...]))
                guard line.count <= maxLineBytes else { throw TooLong() }
                return
            }
            if line.isEmpty {
                try take(UnsafeRawBufferPointer(rebasing: input[start..<end]), dispatch: dispatch)
            } else {
                // The line began in an earlier input: finish it in `line`, taken out so `take` may mutate self.
                var whole: [UInt8] = []
                swap(&whole, &line)
                whole.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<end]))
                // Array.withUnsafeBytes throws untyped errors, so the typed one travels out as a Result.
                try whole.withUnsafeBytes { bytes in Result { () throws(TooLong) in try take(bytes, dispatch: dispatch) } }.get()
                whole.removeAll(keepingCapacity: true)
                line = whole
            }
            start = end + 1
            if input[end] == UInt8(ascii: "\r") {
                if start == input.count { afterCarriageReturn = true } else if input[start] == UInt8(ascii: "\n") { start += 1 }
            }
        }
    }

    /// The index of the CR or LF that ends the line starting at `start`, or nil when the line runs past the input.
    /// Two memchr: the LF, then a CR before it (streams rarely have one, so the second finds nothing, fast).
    private static func lineEnd(in input: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let base = input.baseAddress! + start   // start < input.count: a base address
        let lineFeed = memchr(base, Int32(UInt8(ascii: "\n")), input.count - start).map { UnsafeRawPointer($0) - base }
        let carriageReturn = memchr(base, Int32(UInt8(ascii: "\r")), lineFeed ?? (input.count - start)).map { UnsafeRawPointer($0) - base }
        return (carriageReturn ?? lineFeed).map { start + $0 }
    }

    private mutating func take(_ line: UnsafeRawBufferPointer, dispatch: (Event) -> Void) throws(TooLong) {
        var line = line
        if atStreamStart {
            atStreamStart = false
            // The standard drops one UTF-8 byte order mark at the very start of the stream.
            if line.starts(with: Self.byteOrderMark) { line = UnsafeRawBufferPointer(rebasing: line[3...]) }
        }
        guard !line.isEmpty else { return dispatchEvent(dispatch) }
        if line[0] == UInt8(ascii: ":") { return }   // a comment, such as a keep-alive
        // line is not empty: a base address.
        let colon = memchr(line.baseAddress!, Int32(UInt8(ascii: ":")), line.count).map { UnsafeRawPointer($0) - line.baseAddress! } ?? line.count
        let field = UnsafeRawBufferPointer(rebasing: line[..<colon])
        var valueStart = min(colon + 1, line.count)
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        if field.equals("data") {
            data.append(contentsOf: value)
            data.append(UInt8(ascii: "\n"))
            guard data.count <= maxLineBytes else { throw TooLong() }
        } else if field.equals("event") {
            name = Array(value)
        } else if field.equals("id"), !value.contains(0) {
            lastEventID = Array(value)
        }
    }

    /// A blank line: an event with data is dispatched; one without is dropped, and either way the buffers reset.
    private mutating func dispatchEvent(_ dispatch: (Event) -> Void) {
        defer {
            data.removeAll(keepingCapacity: true)
            name.removeAll(keepingCapacity: true)
        }
        guard !data.isEmpty else { return }
        data.removeLast()   // the LF after the last data line
        let eventName = name.isEmpty ? Self.message : name
        eventName.withUnsafeBytes { name in
            data.withUnsafeBytes { data in
                lastEventID.withUnsafeBytes { id in dispatch(Event(name: name, data: data, lastEventID: id)) }
            }
        }
    }
}
