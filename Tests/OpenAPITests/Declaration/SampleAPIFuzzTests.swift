import JSON
import TestKit
import Testing

/// schemathesis generates valid and invalid requests from the sample API's document (every constraint kind,
/// JSON and form bodies, path, query and header parameters) against a live server: the validator must accept
/// every request the schema allows, refuse what it forbids with a documented 422, and never fail.
///
/// One check is left out: like FastAPI, these models validate in Pydantic's lax mode, so `"active": 0` is read as
/// `false` although the schema says boolean, which schemathesis counts as accepting invalid data.
@Suite struct SampleAPIFuzzTests {
    @Test(.timeLimit(.minutes(3)))
    func schemathesisFindsNoFailuresInTheSampleAPI() throws {
        let server = try LiveServer(router: SampleAPI.api.router)
        defer { server.stop() }
        let result = try Schemathesis.run(port: server.port, maxExamples: 60, excluding: ["negative_data_rejection"])
        #expect(result.status == 0, "\(result)")
    }

    /// Regression: schemathesis drew `/items/47140937990637715456` (within `minimum: 1`, past 64 bits) and counted
    /// our documented 422 as a valid request refused. Its hooks give every integer schema without a bound the 64-bit
    /// one before it generates; explicit bounds stay.
    @Test func theFuzzerIsKeptToSixtyFourBitIntegers() throws {
        let script = """
            import json, schemathesis_hooks
            schema = {"paths": {"/items/{item_id}": {"get": {"parameters": [{"schema": {"type": "integer", "minimum": 1}}]}}},
                      "components": {"schemas": {"S": {"properties": {"n": {"anyOf": [{"type": "integer", "exclusiveMaximum": 9}, {"type": "null"}]},
                                                                      "s": {"type": "string"}}}}}}
            schemathesis_hooks.before_load_schema(None, schema)
            print(json.dumps(schema, sort_keys=True))
            """
        let result = try PythonTool.run("python", environment: ["PYTHONPATH": SharedTestData.repositoryRoot + "/scripts/checks"], ["-c", script],
                                        timeout: 30)
        #expect(result.status == 0, "\(result)")
        let schema = try JSONParser.parse(Array(result.stdout.utf8))
        let itemID = schema["paths"]?["/items/{item_id}"]?["get"]?["parameters"]?.arrayValue?.first?["schema"]
        #expect(itemID?["minimum"] == 1)
        #expect(itemID?["maximum"] == .integer(Int64.max))
        let member = schema["components"]?["schemas"]?["S"]?["properties"]?["n"]?["anyOf"]?.arrayValue?.first
        #expect(member?["minimum"] == .integer(Int64.min))
        #expect(member?["exclusiveMaximum"] == 9 && member?["maximum"] == nil)
        #expect(schema["components"]?["schemas"]?["S"]?["properties"]?["s"]?["maximum"] == nil)
    }
}
