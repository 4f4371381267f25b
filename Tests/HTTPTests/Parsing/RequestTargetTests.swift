import HTTP
import Testing

/// RFC 3986 targets: malformed escapes, dot segments (even encoded) and overlong UTF-8 are 400; the rest is kept as sent.
@Suite struct RequestTargetTests {
    static func target(_ text: String) throws -> RequestTarget {
        try Array(text.utf8).withUnsafeBytes { raw in try RequestTarget(raw) }
    }

    @Test(arguments: [
        "/a%zz", "/a%2", "/a%", "/%g0/b", "/..", "/.", "/a/../b", "/a/./b", "/%2e%2e/etc", "/%2E%2e", "/.%2e/x", "/%2e",
        "/%c0%ae%c0%ae/etc", "/%c0%af", "/%ff", "/%ed%a0%80",
    ])
    func unsafePathIsRefusedWith400(_ text: String) {
        #expect(throws: ParseError.self) { try Self.target(text) }
        do { _ = try Self.target(text) } catch { #expect((error as? ParseError)?.status.code == 400) }
    }

    struct Split: Sendable, CustomTestStringConvertible {
        let target: String
        let path: String
        let query: String
        var testDescription: String { target }
    }

    /// Safe targets keep their path percent-encoded as sent; a double-encoded dot is just the text `%2e`.
    @Test(arguments: [
        Split(target: "/", path: "/", query: ""),
        Split(target: "/users/42?limit=5&cursor=a%20b", path: "/users/42", query: "limit=5&cursor=a%20b"),
        Split(target: "/%252e%252e/etc", path: "/%252e%252e/etc", query: ""),
        Split(target: "/a%2Fb", path: "/a%2Fb", query: ""),
        Split(target: "/caf%C3%A9", path: "/caf%C3%A9", query: ""),
        Split(target: "/...", path: "/...", query: ""),
        Split(target: "/a/..b/.c", path: "/a/..b/.c", query: ""),
        Split(target: "/q?../..=%zz", path: "/q", query: "../..=%zz"),
        Split(target: "http://example.com/p?q=1", path: "/p", query: "q=1"),
        Split(target: "http://example.com", path: "/", query: ""),
        Split(target: "*", path: "*", query: ""),
    ])
    func safeTargetIsSplitIntoPathAndQuery(_ split: Split) throws {
        let target = try Self.target(split.target)
        #expect(target.path == split.path)
        #expect(target.query == split.query)
    }
}
