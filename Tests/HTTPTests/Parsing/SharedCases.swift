import Foundation
import HTTP
import TestKit
import Testing

/// The shared HTTP conformance cases (`../shared/testdata/http/cases.json`), read in place.
enum SharedCases {
    /// `expect` of every case, by file name.
    nonisolated(unsafe) static let expectations: [String: [String: Any]] = {   // read-only after first use
        guard let data = FileManager.default.contents(atPath: SharedTestData.httpDirectory + "/cases.json"),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = root["cases"] as? [[String: Any]] else { return [:] }
        var result: [String: [String: Any]] = [:]
        for entry in cases {
            if let file = entry["file"] as? String, let expect = entry["expect"] as? [String: Any] { result[file] = expect }
        }
        return result
    }()

    /// The statuses cases.json allows for a rejected case (empty for accepted ones).
    static func allowedStatuses(_ file: String) -> [Int] {
        (expectations[file]?["status"] as? [Int]) ?? []
    }

    /// The outcome cases.json expects (`accept`, `reject`, `either`, `one_response_then_close`).
    static func outcome(_ file: String) -> String? {
        expectations[file]?["outcome"] as? String
    }
}

/// The server's parsing stages run on one buffer without a socket: head, then target, then a chunked body.
enum OfflineServer {
    /// The status the server refuses `bytes` with, or nil when it accepts them (`-1` if the head never completes).
    static func refusal(_ bytes: [UInt8], limits: ParserLimits = ParserLimits()) -> Int? {
        bytes.withUnsafeBytes { raw -> Int? in
            do {
                guard case .complete(let head) = try RequestParser.parseHead(raw, limits: limits) else { return -1 }
                _ = try RequestTarget(UnsafeRawBufferPointer(rebasing: raw[head.target]))
                if head.isChunked {
                    var decoder = ChunkedDecoder(limits: limits)
                    var body: [UInt8] = []
                    _ = try decoder.decode(UnsafeRawBufferPointer(rebasing: raw[head.length...]), into: &body)
                }
                return nil
            } catch {
                return (error as? ParseError)?.status.code ?? -2
            }
        }
    }
}

/// Parses `text` as one complete head, failing the test at the caller's line if it is not one.
func parseCompleteHead(
    _ bytes: [UInt8], limits: ParserLimits = ParserLimits(), sourceLocation: SourceLocation = #_sourceLocation
) throws -> RequestHead {
    let result = try bytes.withUnsafeBytes { try RequestParser.parseHead($0, limits: limits) }
    guard case .complete(let head) = result else {
        Issue.record("head is incomplete: \(result)", sourceLocation: sourceLocation)
        throw TestKitError("incomplete head")
    }
    return head
}
