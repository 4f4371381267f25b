import JSON
import Testing

/// SplitMix64: a tiny seeded generator, so a failing case reproduces from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Random JSON values that stress the writer and parser: every kind of scalar in every range,
/// strings mixing ASCII, control characters, quotes, backslashes and multi-byte scalars.
struct ValueGenerator {
    var random: SeededGenerator

    mutating func value(depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0 ..< (depth < 4 ? 8 : 6), using: &random) {
        case 0: .null
        case 1: .bool(Bool.random(using: &random))
        case 2: .integer(integer())
        case 3: .double(double())
        case 4, 5: .string(string())
        case 6: .array((0 ..< Int.random(in: 0 ..< 6, using: &random)).map { _ in value(depth: depth + 1) })
        default: .object(JSONObject((0 ..< Int.random(in: 0 ..< 6, using: &random)).map { _ in
            JSONMember(key: string(), value: value(depth: depth + 1))
        }))
        }
    }

    private mutating func integer() -> Int64 {
        switch Int.random(in: 0 ..< 3, using: &random) {
        case 0: Int64.random(in: -1000 ... 1000, using: &random)
        case 1: [Int64.min, Int64.max, 0, -1][Int.random(in: 0 ..< 4, using: &random)]
        default: Int64(bitPattern: random.next())
        }
    }

    /// Any finite double, drawn from bit patterns so subnormals and extremes turn up.
    private mutating func double() -> Double {
        while true {
            let candidate = Bool.random(using: &random)
                ? Double(bitPattern: random.next())
                : Double(Int.random(in: -1_000_000 ... 1_000_000, using: &random)) / 64
            if candidate.isFinite { return candidate }
        }
    }

    private mutating func string() -> String {
        let alphabet: [ClosedRange<UInt32>] = [0x20 ... 0x7E, 0x00 ... 0x1F, 0x22 ... 0x22, 0x5C ... 0x5C,
                                               0x80 ... 0x7FF, 0x800 ... 0xD7FF, 0xE000 ... 0xFFFF, 0x1_0000 ... 0x10_FFFF]
        var scalars = String.UnicodeScalarView()
        for _ in 0 ..< Int.random(in: 0 ..< 12, using: &random) {
            let range = alphabet[Int.random(in: 0 ..< alphabet.count, using: &random)]
            scalars.append(Unicode.Scalar(UInt32.random(in: range, using: &random))!)  // ranges exclude surrogates
        }
        return String(scalars)
    }
}

@Suite struct RoundTripTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomValuesSurviveWriteThenParse(seed: UInt64) throws {
        var generator = ValueGenerator(random: SeededGenerator(seed: seed))
        for iteration in 0 ..< 1500 {
            let value = generator.value()
            let compact = try JSONParser.parse(value.serialized())
            let pretty = try JSONParser.parse(value.prettyPrinted())
            #expect(compact == value, "seed \(seed) iteration \(iteration): \(value.jsonText)")
            #expect(pretty == value, "seed \(seed) iteration \(iteration): \(value.jsonText)")
        }
    }

    /// The parser accepts a string's bytes exactly when the standard library's UTF-8 validation does.
    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var random = SeededGenerator(seed: 42)
        // Bytes that never end the string or start an escape, weighted towards lead and continuation bytes.
        let pool: [UInt8] = [0x41, 0x7F] + Array(0x80 ... 0xFF)
        for iteration in 0 ..< 20_000 {
            let body = (0 ..< Int.random(in: 1 ... 6, using: &random)).map { _ in pool.randomElement(using: &random)! }  // pool is not empty
            let isValid = String(validating: body, as: UTF8.self) != nil
            let error = parseError([0x22] + body + [0x22])
            #expect((error == nil) == isValid, "iteration \(iteration): \(body)")
            if let error { #expect(error.reason == "invalid UTF-8") }
        }
    }
}
