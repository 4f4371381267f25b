/// Encodes `Encodable` values straight into a ``JSONWriter``, with no intermediate tree and no Foundation.
///
/// Containers are written as they are opened; Codable has no "container finished" call, so each container
/// remembers its nesting depth and, before it writes, closes whatever deeper containers are still open.
/// `nil` optionals are written as `null` rather than left out, as FastAPI's responses do.
public struct JSONStreamEncoder: Sendable {
    /// An encoder.
    public init() {}

    /// The JSON text of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        try encode(value, into: &writer)
        return writer.bytes
    }

    /// Appends the JSON text of `value` to `writer`.
    public func encode<T: Encodable>(_ value: T, into writer: inout JSONWriter) throws {
        let state = EncodingState(writer: writer)
        writer = JSONWriter()  // the state owns the buffer while encoding, so appends never copy it
        defer { writer = state.writer }
        try state.encodeValue(value, codingPath: [])
        state.close(downTo: 0)
    }
}

/// The writer and the stack of open containers, shared by every container of one encoding.
final class EncodingState {
    var writer: JSONWriter
    private var closers: [UInt8] = []

    init(writer: JSONWriter) {
        self.writer = writer
    }

    var depth: Int { closers.count }

    /// Writes the closing brackets of every container deeper than `depth`.
    func close(downTo depth: Int) {
        while closers.count > depth {
            closers.removeLast() == UInt8(ascii: "}") ? writer.endObject() : writer.endArray()
        }
    }

    func openObject() -> Int {
        writer.beginObject()
        closers.append(UInt8(ascii: "}"))
        return closers.count
    }

    func openArray() -> Int {
        writer.beginArray()
        closers.append(UInt8(ascii: "]"))
        return closers.count
    }

    /// Writes `value` at the current position, then closes what it opened.
    func encodeValue<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        if let string = value as? String { return writer.writeString(string) }
        let depth = self.depth
        try value.encode(to: StreamEncoder(state: self, codingPath: codingPath))
        close(downTo: depth)
    }
}

/// The `Encoder` handed to a value's `encode(to:)`.
struct StreamEncoder: Encoder {
    let state: EncodingState
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedStreamContainer<Key>(state: state, depth: state.openObject(), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedStreamContainer(state: state, depth: state.openArray(), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueStreamContainer(state: state, depth: state.depth, path: CodingPath(codingPath))
    }
}

/// Writes one scalar at `depth`; the keyed and unkeyed containers use it for their members.
struct SingleValueStreamContainer: SingleValueEncodingContainer {
    let state: EncodingState
    let depth: Int
    let path: CodingPath
    var codingPath: [any CodingKey] { path.keys }

    private func prepare() -> EncodingState {
        state.close(downTo: depth)
        return state
    }

    mutating func encodeNil() { prepare().writer.writeNull() }
    mutating func encode(_ value: Bool) { prepare().writer.writeBool(value) }
    mutating func encode(_ value: String) { prepare().writer.writeString(value) }
    mutating func encode(_ value: Double) { prepare().writer.writeDouble(value) }
    mutating func encode(_ value: Float) { prepare().writer.writeDouble(Double(value)) }
    mutating func encode(_ value: Int) { prepare().writer.writeInteger(value) }
    mutating func encode(_ value: Int8) { prepare().writer.writeInteger(value) }
    mutating func encode(_ value: Int16) { prepare().writer.writeInteger(value) }
    mutating func encode(_ value: Int32) { prepare().writer.writeInteger(value) }
    mutating func encode(_ value: Int64) { prepare().writer.writeInteger(value) }
    mutating func encode(_ value: UInt) { prepare().writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) { prepare().writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) { prepare().writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) { prepare().writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) { prepare().writer.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try prepare().encodeValue(value, codingPath: codingPath)
    }
}

/// Writes `"key": value` members of an object opened at `depth`.
struct KeyedStreamContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: EncodingState
    let depth: Int
    let codingPath: [any CodingKey]

    private func member(_ key: Key) -> SingleValueStreamContainer {
        state.close(downTo: depth)
        state.writer.key(key.stringValue)
        return SingleValueStreamContainer(state: state, depth: depth, path: CodingPath(codingPath, key))
    }

    mutating func encodeNil(forKey key: Key) { var slot = member(key); slot.encodeNil() }
    mutating func encode(_ value: Bool, forKey key: Key) { var slot = member(key); slot.encode(value) }
    mutating func encode(_ value: String, forKey key: Key) { var slot = member(key); slot.encode(value) }
    mutating func encode(_ value: Double, forKey key: Key) { var slot = member(key); slot.encode(value) }
    mutating func encode(_ value: Int, forKey key: Key) { var slot = member(key); slot.encode(value) }
    mutating func encode(_ value: Int64, forKey key: Key) { var slot = member(key); slot.encode(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        var slot = member(key)
        try slot.encode(value)
    }

    // Synthesized Codable skips nil optionals through these; FastAPI writes them as null, so do we.
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) { var slot = member(key); value.map { slot.encode($0) } ?? slot.encodeNil() }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) { var slot = member(key); value.map { slot.encode($0) } ?? slot.encodeNil() }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) { var slot = member(key); value.map { slot.encode($0) } ?? slot.encodeNil() }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) { var slot = member(key); value.map { slot.encode($0) } ?? slot.encodeNil() }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) { var slot = member(key); value.map { slot.encode($0) } ?? slot.encodeNil() }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        var slot = member(key)
        guard let value else { return slot.encodeNil() }
        try slot.encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        _ = member(key)
        return KeyedEncodingContainer(KeyedStreamContainer<NestedKey>(state: state, depth: state.openObject(), codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        _ = member(key)
        return UnkeyedStreamContainer(state: state, depth: state.openArray(), codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        state.close(downTo: depth)
        state.writer.key("super")
        return StreamEncoder(state: state, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        _ = member(key)
        return StreamEncoder(state: state, codingPath: codingPath + [key])
    }
}

/// Writes the elements of an array opened at `depth`.
struct UnkeyedStreamContainer: UnkeyedEncodingContainer {
    let state: EncodingState
    let depth: Int
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(state: EncodingState, depth: Int, codingPath: [any CodingKey]) {
        self.state = state
        self.depth = depth
        self.codingPath = codingPath
    }

    private mutating func element() -> SingleValueStreamContainer {
        count += 1
        return SingleValueStreamContainer(state: state, depth: depth, path: CodingPath(codingPath, IndexKey(count - 1)))
    }

    mutating func encodeNil() { var slot = element(); slot.encodeNil() }
    mutating func encode(_ value: Bool) { var slot = element(); slot.encode(value) }
    mutating func encode(_ value: String) { var slot = element(); slot.encode(value) }
    mutating func encode(_ value: Double) { var slot = element(); slot.encode(value) }
    mutating func encode(_ value: Int) { var slot = element(); slot.encode(value) }
    mutating func encode(_ value: Int64) { var slot = element(); slot.encode(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        var slot = element()
        try slot.encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        state.close(downTo: depth)
        return KeyedEncodingContainer(KeyedStreamContainer<NestedKey>(state: state, depth: state.openObject(), codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        count += 1
        state.close(downTo: depth)
        return UnkeyedStreamContainer(state: state, depth: state.openArray(), codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        count += 1
        state.close(downTo: depth)
        return StreamEncoder(state: state, codingPath: codingPath)
    }
}
