public import HTTP
import JSON

extension Response {
    /// A JSON response whose body is `value`, encoded without an intermediate tree.
    public static func json(_ status: Status = .ok, _ value: some Encodable, headers: [HeaderPair] = []) throws -> Response {
        var response = Response.json(status, body: try JSONStreamEncoder().encode(value))
        response.headers = headers
        return response
    }
}
