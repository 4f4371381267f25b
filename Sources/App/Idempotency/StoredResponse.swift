import HTTP
import JSON

/// The first answer to a request with an `Idempotency-Key`, as kept: what a retry gets back.
struct StoredResponse: Sendable, Equatable {
    let status: Int
    let reasonPhrase: String
    let contentType: String?
    /// The headers that matter to a client (`Location`, `ETag`), as sent.
    let headers: [HeaderPair]
    let body: [UInt8]

    init(status: Int, reasonPhrase: String, contentType: String?, headers: [HeaderPair], body: [UInt8]) {
        self.status = status
        self.reasonPhrase = reasonPhrase
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// `response`'s parts (a plain response: status, headers, body).
    init(_ response: Response) {
        self.init(status: response.status.code, reasonPhrase: response.status.reasonPhrase, contentType: response.contentType,
                  headers: response.headers, body: response.body)
    }

    /// The answer again, marked as a replay (`Idempotent-Replayed: true`, as Stripe and others say it).
    var replayed: Response {
        Response(status: Status(code: status, reasonPhrase: reasonPhrase), contentType: contentType,
                 headers: headers + [HeaderPair("idempotent-replayed", "true")], body: body)
    }

    /// The headers as kept in the database: JSON, `[["location", "/projects/7"], ...]`.
    var headersJSON: String {
        JSONValue.array(headers.map { [.string($0.name), .string($0.value)] }).jsonText
    }

    /// Header pairs back from `headersJSON`'s text.
    static func headers(fromJSON text: String) -> [HeaderPair] {
        let pairs = (try? JSONParser.parse(Array(text.utf8)))?.arrayValue ?? []
        return pairs.compactMap { pair in
            guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue, let value = items[1].stringValue else { return nil }
            return HeaderPair(name, value)
        }
    }
}
