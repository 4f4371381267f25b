import Foundation
import JSON
import OpenAPI
import Testing

/// The document of the sample API against the one FastAPI writes for the same app
/// (`Fixtures/fastapi_openapi.json`, from `scripts/oracles/fastapi_validation_oracle.py --openapi`): clients and tools
/// built for the FastAPI app must find the same operations, parameters, bodies, responses and schemas.
@Suite struct DocumentShapeTests {
    static let ours = SampleAPI.api.document
    static let fastAPI: JSONValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/fastapi_openapi.json")
        return try! JSONParser.parse(Array(Data(contentsOf: url)))  // a fixture of the repository
    }()

    static var operations: [(path: String, method: String)] {
        fastAPI["paths"]!.objectValue!.members.flatMap { path in path.value.objectValue!.keys.map { (path.key, $0) } }
    }

    @Test func versionAndEveryOperationArePresent() {
        #expect(Self.ours["openapi"] == "3.1.0")
        for (path, method) in Self.operations {
            #expect(Self.ours["paths"]?[path]?[method] != nil, "\(method) \(path)")
        }
    }

    @Test func parametersMatch() {
        for (path, method) in Self.operations {
            let theirs = Self.fastAPI["paths"]![path]![method]!["parameters"]?.arrayValue ?? []
            let ours = Self.ours["paths"]![path]![method]!["parameters"]?.arrayValue ?? []
            #expect(ours.map(Self.parameterKey) == theirs.map(Self.parameterKey), "\(method) \(path)")
            for (mine, their) in zip(ours, theirs) {
                #expect(Self.constraints(mine["schema"]!) == Self.constraints(their["schema"]!), "\(method) \(path) \(mine["name"]!)")
            }
        }
    }

    @Test func bodiesAndResponsesMatch() {
        for (path, method) in Self.operations {
            let theirs = Self.fastAPI["paths"]![path]![method]!
            let ours = Self.ours["paths"]![path]![method]!
            #expect(ours["requestBody"]?["content"]?.objectValue?.keys == theirs["requestBody"]?["content"]?.objectValue?.keys)
            let ourCodes = Set(ours["responses"]!.objectValue!.keys)
            #expect(Set(theirs["responses"]!.objectValue!.keys).isSubset(of: ourCodes), "\(method) \(path): \(ourCodes)")
        }
    }

    @Test(arguments: ["Sample", "Address", "HTTPValidationError"])
    func modelSchemasMatch(_ name: String) {
        let theirs = Self.fastAPI["components"]!["schemas"]![name]!
        let ours = Self.ours["components"]!["schemas"]![name]!
        #expect(ours["required"] == theirs["required"])
        #expect(ours["properties"]!.objectValue!.keys == theirs["properties"]!.objectValue!.keys)
        for key in theirs["properties"]!.objectValue!.keys {
            #expect(Self.constraints(ours["properties"]![key]!) == Self.constraints(theirs["properties"]![key]!), "\(name).\(key)")
        }
    }

    static func parameterKey(_ parameter: JSONValue) -> String {
        "\(parameter["in"]!.stringValue!):\(parameter["name"]!.stringValue!):\(parameter["required"]!.boolValue!)"
    }

    /// The members that carry meaning, with numbers compared as numbers (FastAPI writes `150.0` where we write `150`).
    static func constraints(_ schema: JSONValue) -> [String: String] {
        let keys = ["type", "format", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
                    "exclusiveMaximum", "maxItems", "minItems", "enum", "$ref", "title", "default"]
        var result: [String: String] = [:]
        for key in keys {
            guard let value = schema[key] else { continue }
            result[key] = value.doubleValue.map { String($0) } ?? String(decoding: value.serialized(), as: UTF8.self)
        }
        if let alternatives = schema["anyOf"]?.arrayValue {
            result["anyOf"] = alternatives.map { constraints($0).sorted { $0.key < $1.key }.description }.joined(separator: "|")
        }
        return result
    }
}
