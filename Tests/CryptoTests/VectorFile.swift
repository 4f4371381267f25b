import Foundation
import Testing

/// One JSON file of ../shared/testdata/vectors, read in place (never copied into the repo).
struct VectorFile {
    /// The shared vector folder, found from this file's own path so any working directory works.
    static let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()
        .appendingPathComponent("../../../shared/testdata/vectors")
        .standardized

    let root: [String: Any]

    init(_ name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The array of objects at `path`, e.g. `["sha1_for_websocket", "vectors"]`.
    func objects(_ path: [String]) throws -> [[String: Any]] {
        var node: Any = root
        for key in path { node = try #require((node as? [String: Any])?[key], "no \(key)") }
        return try #require(node as? [[String: Any]])
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) throws -> String { try #require(self[key] as? String, "no string \(key)") }
    func int(_ key: String) throws -> Int { try #require(self[key] as? Int, "no integer \(key)") }
    func hex(_ key: String) throws -> [UInt8] { try Hex.decode(string(key)) }

    /// A message written as `message_ascii`, `message_hex` or `{repeat, count}`.
    func message() throws -> [UInt8] {
        if let ascii = self["message_ascii"] as? String { return Array(ascii.utf8) }
        if self["message_hex"] != nil { return try hex("message_hex") }
        let spec = try #require(self["message"] as? [String: Any])
        let unit = Array(try spec.string("repeat").utf8)
        return Array([[UInt8]](repeating: unit, count: try spec.int("count")).joined())
    }
}

/// Lowercase hex, as every vector file writes bytes.
enum Hex {
    static func decode(_ text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        try #require(digits.count % 2 == 0, "odd hex length")
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            try #require(UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16))
        }
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

/// A named message and its digest, the shape of the SHA vectors.
struct DigestVector: Sendable, CustomTestStringConvertible {
    let id: String
    let message: [UInt8]
    let digest: [UInt8]
    var testDescription: String { id }

    static func load(_ file: String, _ path: String...) throws -> [DigestVector] {
        try VectorFile(file).objects(path).map {
            DigestVector(id: try $0.string("id"), message: try $0.message(), digest: try $0.hex("digest_hex"))
        }
    }
}
