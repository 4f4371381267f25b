import JSON
import Testing
@testable import App

/// `realtime.channels` read and checked: patterns, their matching, the rules over their parameters; each mistake one
/// line naming its key path.
@Suite struct ChannelDeclarationTests {
    @Test func aPatternMatchesOneWayAtMost() throws {
        let pattern = try ChannelPattern("room:{name}.{id:int}")
        #expect(pattern.match("room:lobby.12") == ["name": "lobby", "id": 12])
        #expect(pattern.match("room:lobby.x") == nil && pattern.match("room:lobby") == nil && pattern.match("room:.1") == nil)
        #expect(pattern.match("room:a.1.2") == nil, "nothing may follow")
        #expect(try ChannelPattern("news").match("news") == [:])
        for bad in ["", "a{b}c", "{a}{b}", "a:{B}", "a:{b:float}", "a:{b", "sp ace", String(repeating: "x", count: 129)] {
            #expect(throws: ChannelPatternError.self, "\(bad)") { try ChannelPattern(bad) }
        }
    }

    @Test func aDeclarationReadsWithItsRulesAndLimits() throws {
        let read = try ChannelDeclarationReader.read(["user:{id:int}": ["subscribe": "id = @caller.id", "publish": "admin", "history": 5]])
        #expect(read.count == 1 && read[0].history == 5 && read[0].maxMessageBytes == 4096 && read[0].publish == .admin)
        let owner = FilterCaller(id: 7, email: "a@example.com", isAdmin: false, scopes: [])
        #expect(read[0].subscribe.allows(["id": 7, "channel": "user:7"] as JSONObject, caller: owner, now: "")
                && !read[0].subscribe.allows(["id": 8, "channel": "user:8"] as JSONObject, caller: owner, now: ""))
    }

    @Test(arguments: [
        (#"{"a{": {}}"#, "realtime.channels.a{", "not a channel pattern"),
        (#"{"a": {"join": "public"}}"#, "realtime.channels.a.join", "unknown key"),
        (#"{"a:{id}": {"subscribe": "room = 1"}}"#, "realtime.channels.a:{id}.subscribe", "room"),
        (#"{"a": {"history": 5000}}"#, "realtime.channels.a.history", "0...1000"),
        (#"{"a": {"max_message_bytes": 0}}"#, "realtime.channels.a.max_message_bytes", "1...1048576"),
        (#"[]"#, "realtime.channels", "expected an object"),
    ])
    func eachMistakeNamesItsKeyPath(_ text: String, _ path: String, _ words: String) throws {
        #expect {
            try ChannelDeclarationReader.read(try JSONParser.parse(Array(text.utf8)))
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.description.contains(path) && error.description.contains(words)
        }
    }
}
