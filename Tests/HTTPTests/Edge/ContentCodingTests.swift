import Testing
@testable import HTTP

/// `Accept-Encoding` negotiation (RFC 9110 §12.5.3): which coding each value gets.
@Suite struct ContentCodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let header: String?
        let coding: ContentCoding?
        let identityRefused: Bool
        var testDescription: String { header.map { "Accept-Encoding: \($0)" } ?? "no Accept-Encoding" }
    }

    static let cases = [
        Case(header: "gzip", coding: .gzip, identityRefused: false),
        Case(header: "deflate;q=0.5, gzip;q=0", coding: .deflate, identityRefused: false),
        Case(header: "*", coding: .gzip, identityRefused: false),
        Case(header: "identity;q=0", coding: nil, identityRefused: true),
        Case(header: nil, coding: nil, identityRefused: false),
        Case(header: "br", coding: nil, identityRefused: false),
        Case(header: "gzip, deflate, br", coding: .gzip, identityRefused: false),
        Case(header: "deflate", coding: .deflate, identityRefused: false),
        Case(header: "gzip;q=0.2, deflate;q=0.8", coding: .deflate, identityRefused: false),
        Case(header: "GZIP ; Q=1.0", coding: .gzip, identityRefused: false),
        Case(header: "*;q=0", coding: nil, identityRefused: true),
        Case(header: "*;q=0, identity", coding: nil, identityRefused: false),
        Case(header: "gzip, identity;q=0", coding: .gzip, identityRefused: true),
        Case(header: "*, gzip;q=0", coding: .deflate, identityRefused: false),
        Case(header: "gzip;q=2", coding: nil, identityRefused: false),        // not a qvalue: not acceptable
        Case(header: "x-gzip", coding: .gzip, identityRefused: false),
        Case(header: "", coding: nil, identityRefused: false),
    ]

    @Test(arguments: cases)
    func eachAcceptEncodingGetsItsCoding(_ test: Case) {
        let negotiated = ContentCoding.negotiate(test.header)
        #expect(negotiated.coding == test.coding)
        #expect(negotiated.identityRefused == test.identityRefused)
    }
}
