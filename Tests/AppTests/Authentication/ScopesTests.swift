import Testing
@testable import App

/// Scopes: only known ones, and `metrics` only for admins at login.
@Suite struct ScopesTests {
    private let admin = UserRecord(id: 1, name: "a", email: "a@x.io", isAdmin: true, createdAt: "")
    private let user = UserRecord(id: 2, name: "u", email: "u@x.io", isAdmin: false, createdAt: "")

    @Test func unknownAndDisallowedScopesAreLeftOut() {
        #expect(Scopes.granted("metrics bogus metrics", to: admin) == ["metrics"])
        #expect(Scopes.granted("metrics", to: user) == [])
        #expect(Scopes.granted("", to: admin) == [])
    }
}
