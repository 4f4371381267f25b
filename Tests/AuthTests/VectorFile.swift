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

    /// The array of objects at `path`, e.g. `["constructed", "cases"]`.
    func objects(_ path: [String]) throws -> [[String: Any]] {
        var node: Any = root
        for key in path { node = try #require((node as? [String: Any])?[key], "no \(key)") }
        return try #require(node as? [[String: Any]])
    }

    /// The string at `path`.
    func string(_ path: [String]) throws -> String {
        var node: Any = root
        for key in path { node = try #require((node as? [String: Any])?[key], "no \(key)") }
        return try #require(node as? String)
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
}
