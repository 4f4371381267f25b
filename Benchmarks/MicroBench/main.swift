// Micro-benchmarks for Crypto, Auth and JSON, driven by scripts/bench/bench_crypto.sh and scripts/bench-json.sh.
// Each mode prints `key=value` lines for the script to put next to the reference figures.
//
//   MicroBench argon2 PASSWORD SALT M_KIB T P REPS   median ms per hash, and the tag in hex
//   MicroBench sha256 FILE REPS                      median MB/s reading and hashing FILE
//   MicroBench jwt SECONDS REPS                      median HS256 verifications/s on this thread
//   MicroBench allocs sha256|blake2b BYTES           hash BYTES in one call (run under valgrind)
//   MicroBench json SECONDS REPS                     median encodes/decodes per second, ours and Foundation's

import Auth
import Crypto
import Foundation
import JSON
import OpenAPI

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("MicroBench: \(message)\n".utf8))
    exit(2)
}

/// Argon2id with the same inputs the script gives the `argon2` command.
func argon2(_ arguments: [String]) throws {
    guard arguments.count == 6, let m = UInt32(arguments[2]), let t = UInt32(arguments[3]),
          let p = UInt32(arguments[4]), let reps = Int(arguments[5]) else { fail("argon2 PASSWORD SALT M T P REPS") }
    let parameters = Argon2.Parameters(memoryKiB: m, iterations: t, parallelism: p)
    var tag: [UInt8] = []
    let times = try (0..<reps).map { _ in
        try seconds { tag = try Argon2.hash(password: Array(arguments[0].utf8), salt: Array(arguments[1].utf8), parameters: parameters) }
    }
    print("argon2_ms=\(String(format: "%.1f", median(times) * 1000))")
    print("argon2_tag=\(hex(tag))")
}

/// SHA-256 of a file read in 1 MiB pieces, as sha256sum does.
func sha256(_ arguments: [String]) {
    guard arguments.count == 2, let reps = Int(arguments[1]) else { fail("sha256 FILE REPS") }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    var digest: [UInt8] = []
    var size = 0
    let times = (0..<reps).map { _ in
        seconds {
            let fd = open(arguments[0], O_RDONLY)
            guard fd >= 0 else { fail("cannot open \(arguments[0])") }
            var hasher = SHA256()
            size = 0
            while case let count = read(fd, buffer.baseAddress, buffer.count), count > 0 {
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                size += count
            }
            close(fd)
            digest = hasher.finalize()
        }
    }
    print("sha256_mb_per_s=\(String(format: "%.0f", Double(size) / 1e6 / median(times)))")
    print("sha256_digest=\(hex(digest))")
}

/// HS256 verifications per second, single-threaded, of access tokens shaped as `api serve` issues them (the key
/// id `SigningKeys` derives, a `TokenID` jti, nbf): the one a password login without scopes gets, and one with
/// the scope `users:read users:write`.
func jwt(_ arguments: [String]) throws {
    guard arguments.count == 2, let duration = Double(arguments[0]), let reps = Int(arguments[1]) else { fail("jwt SECONDS REPS") }
    let now: Int64 = 1_700_000_000
    let secret = [UInt8](repeating: 0x42, count: 32)
    let keys = JWTKeySet(signingKey: try JWTKey(id: SigningSecret.keyID(for: secret), secret: secret))
    let jwt = JWT(keys: keys, issuer: "api", leeway: 30, clock: { now })
    for (name, scope) in [("jwt", nil), ("jwt_scoped", "users:read users:write")] {
        let token = jwt.sign(JWTClaims(subject: "12345", issuer: "api", expiresAt: now + 1800, notBefore: now, issuedAt: now,
                                       id: TokenID.make(), scope: scope))
        let rates = try (0..<reps).map { _ in try verificationRate(jwt, token, duration: duration) }
        print("\(name)_token_bytes=\(token.utf8.count)")
        print("\(name)_verify_per_s=\(String(format: "%.0f", median(rates)))")
    }
}

/// Verifications of `token` per second over `duration` seconds.
func verificationRate(_ jwt: JWT, _ token: String, duration: Double) throws -> Double {
    var count = 0
    let elapsed = try seconds {
        let start = DispatchTime.now().uptimeNanoseconds
        while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < duration {
            for _ in 0..<1000 where try jwt.verify(token).subject != "12345" { fail("wrong subject") }
            count += 1000
        }
    }
    return Double(count) / elapsed
}

/// One hash of BYTES bytes in a single call, for valgrind to count heap allocations: the count
/// must not grow with BYTES if the per-block path never allocates.
func allocs(_ arguments: [String]) {
    guard arguments.count == 2, let count = Int(arguments[1]) else { fail("allocs sha256|blake2b BYTES") }
    let input = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 64)
    input.initializeMemory(as: UInt8.self, repeating: 0x61)
    switch arguments[0] {
    case "sha256":
        var hasher = SHA256()
        hasher.update(UnsafeRawBufferPointer(input))
        print(hex(hasher.finalize()))
    case "blake2b":
        var hasher = BLAKE2b()
        hasher.update(UnsafeRawBufferPointer(input))
        print(hex(hasher.finalize()))
    default:
        fail("allocs sha256|blake2b BYTES")
    }
}

/// The user object `GET /users/{id}` answers.
struct UserPublic: Codable {
    let id: Int64
    let name: String
    let email: String
    let isAdmin: Bool
    let createdAt: String
    enum CodingKeys: String, CodingKey {
        case id, name, email
        case isAdmin = "is_admin"
        case createdAt = "created_at"
    }
}

/// The body of `POST /users/`, with the constraints the users API declares.
struct UserCreate: Codable, Model {
    let name: String
    let email: String
    let password: String
    static let schema = ModelSchema("UserCreate", [
        Property("name", .string(minLength: 1, maxLength: 100)),
        Property("email", .email),
        Property("password", .string(minLength: 8, maxLength: 4096)),
    ])
}

/// Operations per second of `body`, median of `reps` runs of `duration` seconds each.
func rate(duration: Double, reps: Int, _ body: () throws -> Void) rethrows -> Double {
    var rates: [Double] = []
    for _ in 0..<reps {
        var count = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        while elapsed < duration {
            for _ in 0..<1000 { try body() }
            count += 1000
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        rates.append(Double(count) / elapsed)
    }
    return median(rates)
}

/// JSON encoding of a user and decoding of a create-user body: ours next to Foundation's coders.
func json(_ arguments: [String]) throws {
    guard arguments.count == 2, let duration = Double(arguments[0]), let reps = Int(arguments[1]) else { fail("json SECONDS REPS") }
    let user = UserPublic(id: 12345, name: "Ann Lee", email: "ann.lee@example.com", isAdmin: false, createdAt: "2026-11-25T10:15:30Z")
    let body = Array(#"{"name":"Ann Lee","email":"ann.lee@example.com","password":"correct horse battery staple"}"#.utf8)
    let bodyData = Data(body)
    let ours = JSONStreamEncoder()
    let foundationEncoder = JSONEncoder()
    let foundationDecoder = JSONDecoder()
    let model = Schema.model(UserCreate.self)
    // Foundation orders members by its own rules, so compare them as sets.
    func members(_ bytes: [UInt8]) throws -> [String] { try JSONParser.parse(bytes).objectValue!.members.map { "\($0)" }.sorted() }
    guard try members(ours.encode(user)) == members(Array(foundationEncoder.encode(user))) else {
        fail("encoders disagree: \(String(decoding: try ours.encode(user), as: UTF8.self)) vs \(String(decoding: try foundationEncoder.encode(user), as: UTF8.self))")
    }
    var sink = 0
    let encodeOurs = try rate(duration: duration, reps: reps) { sink &+= try ours.encode(user).count }
    let encodeFoundation = try rate(duration: duration, reps: reps) { sink &+= try foundationEncoder.encode(user).count }
    let decodeOurs = try rate(duration: duration, reps: reps) {
        sink &+= try JSONValueDecoder().decode(UserCreate.self, from: JSONParser.parse(body)).name.utf8.count
    }
    let decodeValidateOurs = try rate(duration: duration, reps: reps) {
        var validator = Validator()
        let value = validator.validate(try JSONParser.parse(body), against: model, at: ["body"])
        guard validator.issues.isEmpty else { fail("valid body refused: \(validator.issues)") }
        sink &+= try JSONValueDecoder().decode(UserCreate.self, from: value).name.utf8.count
    }
    let decodeFoundation = try rate(duration: duration, reps: reps) {
        sink &+= try foundationDecoder.decode(UserCreate.self, from: bodyData).name.utf8.count
    }
    for (key, value) in [("encode_ours", encodeOurs), ("encode_foundation", encodeFoundation), ("decode_ours", decodeOurs),
                         ("decode_validate_ours", decodeValidateOurs), ("decode_foundation", decodeFoundation)] {
        print("\(key)_per_s=\(String(format: "%.0f", value))")
    }
    if sink == 42 { print("") }  // keeps the work observable so the optimizer cannot drop it
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "argon2": try argon2(Array(arguments.dropFirst()))
case "sha256": sha256(Array(arguments.dropFirst()))
case "jwt": try jwt(Array(arguments.dropFirst()))
case "allocs": allocs(Array(arguments.dropFirst()))
case "json": try json(Array(arguments.dropFirst()))
default: fail("usage: MicroBench argon2|sha256|jwt|allocs|json ...")
}
