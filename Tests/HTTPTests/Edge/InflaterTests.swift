import Testing
@testable import HTTP

/// Our deflater's output inflates to the same bytes; inflating stops at the limit, and refuses what is not its format.
@Suite struct InflaterTests {
    private static let text = Array(String(repeating: #"{"id": 1, "name": "a user", "email": "user@example.com"}, "#, count: 300).utf8)

    @Test(arguments: ContentCoding.allCases)
    func whatTheDeflaterWritesInflatesToTheSameBytes(_ coding: ContentCoding) throws {
        let deflater = Deflater(level: 6)
        for body in [Self.text, [UInt8](), Array("x".utf8), Self.text + Self.text] {
            let compressed = deflater.compress(body, as: coding)            // the same deflater, reset between bodies
            #expect(try Inflater.inflate(compressed, from: coding, limit: 1 << 20) == body)
        }
        #expect(deflater.compress(Self.text, as: coding).count < Self.text.count / 10)
    }

    @Test func formatsAreTellable() throws {
        let deflater = Deflater(level: 1)
        let gzip = deflater.compress(Self.text, as: .gzip), zlib = deflater.compress(Self.text, as: .deflate)
        #expect(Array(gzip.prefix(2)) == [0x1F, 0x8B], "RFC 1952 §2.3.1: ID1 ID2")
        #expect((Int(zlib[0]) << 8 | Int(zlib[1])) % 31 == 0 && zlib[0] & 0x0F == 8, "RFC 1950 §2.2: CM 8, FCHECK")
        #expect(throws: Inflater.Failure.corrupt) { try Inflater.inflate(gzip, from: .deflate, limit: 1 << 20) }
    }

    /// A zip bomb: 64 MiB of zeros in about 64 KiB; a 1 MiB limit stops it after at most 1 MiB of output.
    @Test func inflatingPastTheLimitStopsThere() throws {
        let bomb = Deflater(level: 9).compress([UInt8](repeating: 0, count: 64 << 20), as: .gzip)
        #expect(bomb.count < 100_000)
        #expect(throws: Inflater.Failure.tooLarge) { try Inflater.inflate(bomb, from: .gzip, limit: 1 << 20) }
        #expect(try Inflater.inflate(Deflater(level: 6).compress(Self.text, as: .gzip), from: .gzip, limit: Self.text.count).count == Self.text.count,
                "exactly the limit is allowed")
    }

    @Test func aCutOrPaddedStreamIsCorrupt() throws {
        let gzip = Deflater(level: 6).compress(Self.text, as: .gzip)
        #expect(throws: Inflater.Failure.corrupt) { try Inflater.inflate(Array(gzip.dropLast(9)), from: .gzip, limit: 1 << 20) }
        #expect(throws: Inflater.Failure.corrupt) { try Inflater.inflate(gzip + [0], from: .gzip, limit: 1 << 20) }
        #expect(throws: Inflater.Failure.corrupt) { try Inflater.inflate(Array("not gzip".utf8), from: .gzip, limit: 1 << 20) }
    }
}
