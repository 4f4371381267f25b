import JSON
import Testing
import TestKit
@testable import App

/// `/users/{id}` answers conditional requests as resource records do (issue 17): the user's version is the `ETag`.
@Suite(.serialized) struct UserConditionalTests {
    @Test(.timeLimit(.minutes(3)))
    func aUserHasAnETagAndChangesAreConditional() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let id = try #require(fixture.users[.owner])
        let read = try fixture.send("GET", "/users/\(id)", as: .owner)
        #expect(read.status == 200 && read.response.header("etag") == #""1""#, "\(read.response)")
        #expect(try fixture.send("GET", "/users/\(id)", as: .owner, headers: [#"If-None-Match: "1""#]).status == 304)
        let renamed = try fixture.send("PATCH", "/users/\(id)", #"{"name": "renamed"}"#, as: .owner, headers: [#"If-Match: "1""#])
        #expect(renamed.status == 200 && renamed.response.header("etag") == #""2""#, "\(renamed.response)")
        let stale = try fixture.send("PATCH", "/users/\(id)", #"{"name": "lost"}"#, as: .admin, headers: [#"If-Match: "1""#])
        #expect(stale.status == 412 && stale.json?["detail"] == "Precondition Failed", "\(stale.response)")
        #expect(try fixture.send("GET", "/users/\(id)", as: .admin).json?["name"] == "renamed", "the stale change was not made")
        #expect(try fixture.send("DELETE", "/users/\(id)", as: .admin, headers: [#"If-Match: "1""#]).status == 412)
        #expect(try fixture.send("DELETE", "/users/\(id)", as: .admin, headers: [#"If-Match: "2""#]).status == 204)
    }
}
