@testable import OpenAPI
import Testing

/// The one-pass ASCII fast path accepts only what the full rule-by-rule check accepts, with the same result.
@Suite struct EmailAddressTests {
    @Test(arguments: [
        "ann@example.com", "Ann@Example.COM", "a.b-c+d@sub.example.co.uk", "x@a-b.io", "0@0.com", "o'neil@example.ie",
        "a..b@example.com", ".a@example.com", "a.@example.com", "a@example..com", "a@-example.com", "a@example-.com",
        "a@example.c0m", "a@example.123", "a@localhost", "a@b@c.com", "a b@example.com", "a@exa mple.com", "@example.com",
        "a@", "a@.example.com", "a@example.com.", "zoë@example.com", "a@exämple.com",
        String(repeating: "a", count: 64) + "@example.com", String(repeating: "a", count: 65) + "@example.com",
        "a@" + String(repeating: "b", count: 63) + ".com", "a@" + String(repeating: "b", count: 64) + ".com",
    ])
    func fastPathAgreesWithTheFullCheck(_ address: String) throws {
        guard let fast = EmailAddress.plainASCII(address) else { return }
        #expect(try EmailAddress.checked(address).get() == fast)
    }

    @Test func displayNameIsDropped() throws {
        #expect(try EmailAddress.validate("Ann Smith <Ann@Example.com>").get() == "Ann@example.com")
    }
}
