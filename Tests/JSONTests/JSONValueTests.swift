import JSON
import Testing

@Suite struct JSONValueTests {
    @Test func accessorsAnswerOnlyForTheirOwnCase() {
        let values: [JSONValue] = [nil, true, 3, 2.5, "s", [1], ["k": 1]]
        #expect(values.map(\.typeName) == ["null", "boolean", "integer", "number", "string", "array", "object"])
        #expect(values.map(\.boolValue) == [nil, true, nil, nil, nil, nil, nil])
        #expect(values.map(\.intValue) == [nil, nil, 3, nil, nil, nil, nil])
        #expect(values.map(\.doubleValue) == [nil, nil, 3.0, 2.5, nil, nil, nil])
        #expect(values.map(\.stringValue) == [nil, nil, nil, nil, "s", nil, nil])
        #expect(values.map(\.arrayValue) == [nil, nil, nil, nil, nil, [1], nil])
        #expect(values.map(\.objectValue) == [nil, nil, nil, nil, nil, nil, ["k": 1]])
        #expect(values.map { $0["k"] } == [nil, nil, nil, nil, nil, nil, 1])
    }

    @Test func integerAndDoubleAreDistinct() {
        #expect(JSONValue.integer(1) != .double(1))
        #expect(JSONValue.double(2).intValue == nil)
    }

    @Test func objectKeepsMemberOrder() {
        let object: JSONObject = ["z": 1, "a": 2, "m": 3]
        #expect(object.keys == ["z", "a", "m"])
        #expect(object != ["a": 2, "z": 1, "m": 3])
    }

    @Test func settingAMemberReplacesInPlaceOrAppends() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = "one"
        object["c"] = 3
        #expect(object == ["a": "one", "b": 2, "c": 3])
        #expect(object["missing"] == nil)
    }

    @Test func settingNilRemovesEveryMemberWithThatKey() {
        var object = JSONObject([JSONMember(key: "a", value: 1), JSONMember(key: "b", value: 2), JSONMember(key: "a", value: 3)])
        #expect(object["a"] == 3)
        object["a"] = nil
        #expect(object.keys == ["b"])
    }

    @Test func setOnDuplicatesChangesTheMemberLookupsSee() {
        var object = JSONObject([JSONMember(key: "a", value: 1), JSONMember(key: "a", value: 2)])
        object["a"] = 9
        #expect(object.members.map(\.value) == [1, 9])
        #expect(object["a"] == 9)
    }
}
