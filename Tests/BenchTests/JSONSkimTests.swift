import Bench
import Testing

/// Finding one member of an event's JSON without parsing the rest: nested values, strings with escapes and
/// whitespace are skipped by their structure; only top-level members match.
@Suite struct JSONSkimTests {
    private static func member(_ key: StaticString, _ json: String) -> String? {
        Array(json.utf8).withUnsafeBytes { JSONSkim.member(key, in: $0).map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test func findsTopLevelMembersOnly() {
        let event = #"{"type":"event","subscription":"b","id":44,"event":"created","data":{"id":7,"name":"a \"}\" b","tags":["x",{"id":9}]}}"#
        #expect(Self.member("id", event) == "44")
        #expect(Self.member("event", event) == #""created""#)
        #expect(Self.member("data", event) == #"{"id":7,"name":"a \"}\" b","tags":["x",{"id":9}]}"#)
        #expect(Self.member("missing", event) == nil)
        let data = Self.member("data", event)!
        #expect(Self.member("id", data) == "7")
        #expect(Self.member("name", #" { "tags" : [ 1 , 2 ] , "name" : "n" , "id" : 12 } "#) == #""n""#)
        #expect(Self.member("id", #" { "tags" : [ 1 , 2 ] , "name" : "n" , "id" : 12 } "#) == "12")
        let onward = Array(event.utf8).withUnsafeBytes { bytes in
            JSONSkim.memberOnward("data", in: bytes).map { data in JSONSkim.member("id", in: data).map { String(decoding: $0, as: UTF8.self) } }
        }
        #expect(onward == "7")
        #expect(Self.member("id", "[1]") == nil)
        #expect(Self.member("id", #"{"id":"#) == nil)
    }

    @Test func readsIntegersAndStrings() {
        func integer(_ text: String) -> Int64? { Array(text.utf8).withUnsafeBytes { JSONSkim.integer($0) } }
        #expect(integer("7") == 7)
        #expect(integer("-12") == -12)
        #expect(integer("123456789012345678") == 123_456_789_012_345_678)
        #expect(integer("1.5") == nil)
        #expect(integer("\"7\"") == nil)
        #expect(integer("") == nil)
        #expect(Array(#""created""#.utf8).withUnsafeBytes { JSONSkim.isString($0, "created") })
        #expect(!Array(#""creates""#.utf8).withUnsafeBytes { JSONSkim.isString($0, "created") })
        #expect(!Array("created".utf8).withUnsafeBytes { JSONSkim.isString($0, "created") })
    }
}
