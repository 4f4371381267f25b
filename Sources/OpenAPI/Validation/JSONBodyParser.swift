import HTTP
import JSON

/// Parses a JSON request body; a syntax error becomes FastAPI's 422 `json_invalid`, whose `loc` holds the
/// character position and whose `ctx.error` has the words of Python's `json` module.
enum JSONBodyParser {
    /// The UTF-8 byte order mark, which Python's `json` skips in a body and so do we.
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func parse(_ body: [UInt8]) throws -> JSONValue {
        let text = body.starts(with: byteOrderMark) ? Array(body.dropFirst(byteOrderMark.count)) : body
        do {
            return try JSONParser.parse(text)
        } catch {
            // Python may accept what we refuse (a lone surrogate escape); then our own reason and offset stand.
            let diagnosis = PythonJSONDiagnosis.diagnose(String(decoding: text, as: UTF8.self))
                ?? PythonJSONDiagnosis(message: error.reason, position: String(decoding: text.prefix(error.offset), as: UTF8.self).unicodeScalars.count)
            let issue = ValidationIssue(type: "json_invalid", location: ["body", .integer(Int64(diagnosis.position))], message: "JSON decode error",
                                        input: .object([:]), context: ["error": .string(diagnosis.message)])
            throw HTTPError(.unprocessableContent, detail: .array([issue.json]))
        }
    }
}
