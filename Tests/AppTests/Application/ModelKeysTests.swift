import JSON
import OpenAPI
import Testing
@testable import App

/// Each model states its JSON names twice, as its coding keys and as its schema's properties (issue 15, item 5): a
/// name changed in one place only would validate one field and decode another. This checks every model of the app.
@Suite struct ModelKeysTests {
    /// The keys a `Decodable` type asks for, found by decoding it from a decoder that records them.
    static func decodedKeys<T: Decodable>(_ type: T.Type) throws -> Set<String> {
        let recorder = KeyRecorder()
        _ = try T(from: recorder)
        return recorder.keys.value
    }

    /// The keys an `Encodable` value writes (absent optionals included: the encoder writes `null`).
    static func encodedKeys(_ value: some Encodable) throws -> Set<String> {
        let json = try JSONParser.parse(JSONStreamEncoder().encode(value))
        return Set(json.objectValue?.members.map(\.key) ?? [])
    }

    static func names(_ model: any Model.Type) -> Set<String> { Set(model.schema.properties.map(\.name)) }

    @Test func requestBodiesDecodeExactlyTheirSchemasProperties() throws {
        #expect(try Self.decodedKeys(UserCreate.self) == Self.names(UserCreate.self))
        #expect(try Self.decodedKeys(UserUpdate.self) == Self.names(UserUpdate.self))
        #expect(try Self.decodedKeys(TokenForm.self) == Self.names(TokenForm.self))
        #expect(try Self.decodedKeys(RevocationForm.self) == Self.names(RevocationForm.self))
        #expect(try Self.decodedKeys(AuditEntry.self) == Self.names(AuditEntry.self))
    }

    @Test func responseBodiesEncodeExactlyTheirSchemasProperties() throws {
        let user = UserRecord(id: 1, name: "n", email: "n@example.com", isAdmin: false, createdAt: "2026-12-03T00:00:00.000Z")
        #expect(try Self.encodedKeys(UserPublic(user)) == Self.names(UserPublic.self))
        #expect(try Self.encodedKeys(CurrentUser(Caller(user: user, scopes: [], tokenID: "t"))) == Self.names(CurrentUser.self))
        #expect(try Self.encodedKeys(TokenResponse(accessToken: "a", expiresIn: 1, refreshToken: "r", scope: "")) == Self.names(TokenResponse.self))
        #expect(try Self.encodedKeys(Page<UserPublic>(items: [], nextCursor: nil)) == Self.names(Page<UserPublic>.self))
    }
}

/// A `Decoder` that answers every request with a placeholder and records the keys asked for at the top level.
private final class KeyRecorder: Decoder, @unchecked Sendable {       // one test thread
    final class Keys { var value: Set<String> = [] }
    let keys = Keys()
    let isTop: Bool
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(isTop: Bool = true) {
        self.isTop = isTop
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed<Key>(recorder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed() }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single() }

    private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: KeyRecorder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }

        func contains(_ key: Key) -> Bool { note(key); return true }
        func decodeNil(forKey key: Key) throws -> Bool { note(key); return false }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { note(key); return try T(from: KeyRecorder(isTop: false)) }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            note(key)
            return KeyedDecodingContainer(Keyed<NestedKey>(recorder: KeyRecorder(isTop: false)))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { note(key); return Unkeyed() }
        func superDecoder() throws -> any Decoder { KeyRecorder(isTop: false) }
        func superDecoder(forKey key: Key) throws -> any Decoder { note(key); return KeyRecorder(isTop: false) }

        private func note(_ key: Key) {
            if recorder.isTop { recorder.keys.value.insert(key.stringValue) }
        }
    }

    /// An empty array.
    private struct Unkeyed: UnkeyedDecodingContainer {
        var codingPath: [any CodingKey] { [] }
        var count: Int? { 0 }
        var isAtEnd: Bool { true }
        var currentIndex: Int { 0 }
        mutating func decodeNil() throws -> Bool { true }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: KeyRecorder(isTop: false)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(Keyed<NestedKey>(recorder: KeyRecorder(isTop: false)))
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed() }
        mutating func superDecoder() throws -> any Decoder { KeyRecorder(isTop: false) }
    }

    /// Placeholders: empty strings, zeros and `false`.
    private struct Single: SingleValueDecodingContainer {
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode(_ type: Bool.Type) throws -> Bool { false }
        func decode(_ type: String.Type) throws -> String { "" }
        func decode(_ type: Double.Type) throws -> Double { 0 }
        func decode(_ type: Float.Type) throws -> Float { 0 }
        func decode(_ type: Int.Type) throws -> Int { 0 }
        func decode(_ type: Int8.Type) throws -> Int8 { 0 }
        func decode(_ type: Int16.Type) throws -> Int16 { 0 }
        func decode(_ type: Int32.Type) throws -> Int32 { 0 }
        func decode(_ type: Int64.Type) throws -> Int64 { 0 }
        func decode(_ type: UInt.Type) throws -> UInt { 0 }
        func decode(_ type: UInt8.Type) throws -> UInt8 { 0 }
        func decode(_ type: UInt16.Type) throws -> UInt16 { 0 }
        func decode(_ type: UInt32.Type) throws -> UInt32 { 0 }
        func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: KeyRecorder(isTop: false)) }
    }
}
