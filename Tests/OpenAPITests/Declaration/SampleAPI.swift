import HTTP
import JSON
import OpenAPI

/// The Swift twin of the FastAPI app in `scripts/oracles/fastapi_validation_oracle.py`: the same models,
/// constraints and parameters, so that the same requests must give the same responses.
enum SampleAPI {
    struct Address: Codable, Model {
        let city: String
        let zip: String
        static let schema = ModelSchema("Address", [
            Property("city", .string(minLength: 1, maxLength: 20)),
            Property("zip", .string(pattern: "^[0-9]{5}$")),
        ])
    }

    /// A model with every kind of constraint.
    struct Sample: Codable, Model {
        let name: String
        let email: String
        let code: String
        let age: Int
        let level: Int
        let ratio: Double
        let color: String
        let active: Bool
        let nickname: String?
        let tags: [String]
        let address: Address?
        static let schema = ModelSchema("Sample", [
            Property("name", .string(minLength: 2, maxLength: 10)),
            Property("email", .email),
            Property("code", .string(pattern: "^[A-Z]{3}$")),
            Property("age", .integer(minimum: 0, maximum: 150)),
            Property("level", .integer(exclusiveMinimum: 0, exclusiveMaximum: 10), default: 1),
            Property("ratio", .number(minimum: .integer(0), maximum: .integer(1))),
            Property("color", .oneOf(["red", "green", "blue"])),
            Property("active", .boolean, default: true),
            Property("nickname", .string(maxLength: 8).orNull, default: .null),
            Property("tags", .array(of: .string(), maxItems: 3), default: []),
            Property("address", .model(Address.self).orNull, default: .null),
        ])
    }

    struct Login: Codable, Model {
        let username: String
        let password: String
        let grantType: String?
        let scope: String
        enum CodingKeys: String, CodingKey {
            case username, password, scope
            case grantType = "grant_type"
        }
        static let schema = ModelSchema("Body_login_login_post", [
            Property("username", .string()),
            Property("password", .string(minLength: 8)),
            Property("grant_type", .string(pattern: "^password$").orNull, default: .null),
            Property("scope", .string(), default: ""),
        ])
    }

    struct Item: Encodable {
        let itemID: Int
        let limit: Int
        let q: String?
        let flag: Bool
        let xToken: String
        enum CodingKeys: String, CodingKey {
            case itemID = "item_id"
            case limit, q, flag
            case xToken = "x_token"
        }
    }

    struct LoginEcho: Encodable {
        let username: String
        let scope: String
        let grantType: String?
        enum CodingKeys: String, CodingKey {
            case username, scope
            case grantType = "grant_type"
        }
    }

    static let itemID = Parameter<Int>.path("item_id", .integer(minimum: 1))
    static let limit = Parameter<Int>.query("limit", .integer(minimum: 1, maximum: 100), default: 20)
    static let q = Parameter<String?>.query("q", .string(minLength: 2, maxLength: 5).orNull, default: .null)
    static let flag = Parameter<Bool>.query("flag", .boolean, default: false)
    static let token = Parameter<String>.header("x-token", .string(minLength: 3))

    static var api: API {
        var api = API(info: APIInfo(title: "sample", version: "1"))
        let create = Operation(.post, "/samples/", id: "create_sample").response(.created, Sample.self)
        api.add(create, body: Sample.self) { sample, _, _ in try .json(.created, sample) }
        let read = Operation(.get, "/items/{item_id}", id: "read_item")
            .parameter(itemID).parameter(limit).parameter(q).parameter(flag).parameter(token)
            .response(.ok, schema: .any)
        api.add(read) { input, _ in
            try .json(.ok, Item(itemID: input[itemID], limit: input[limit], q: input[q], flag: input[flag], xToken: input[token]))
        }
        let login = Operation(.post, "/login", id: "login").response(.ok, schema: .any)
        api.add(login, body: Login.self, encoding: .form) { form, _, _ in
            try .json(.ok, LoginEcho(username: form.username, scope: form.scope, grantType: form.grantType))
        }
        api.addDocumentation(DocsConfiguration())
        return api
    }
}
