// Micro-benchmarks for Crypto and Auth, driven by scripts/bench-crypto.sh. Each mode prints
// `key=value` lines for the script to put next to the reference tools' figures.
//
//   MicroBench argon2 PASSWORD SALT M_KIB T P REPS   median ms per hash, and the tag in hex
//   MicroBench sha256 FILE REPS                      median MB/s reading and hashing FILE
//   MicroBench jwt SECONDS REPS                      median HS256 verifications/s on this thread
//   MicroBench allocs sha256|blake2b BYTES           hash BYTES in one call (run under valgrind)

import Auth
import Crypto
import Foundation

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

/// HS256 verifications of one typical access token, single-threaded.
func jwt(_ arguments: [String]) throws {
    guard arguments.count == 2, let duration = Double(arguments[0]), let reps = Int(arguments[1]) else { fail("jwt SECONDS REPS") }
    let now: Int64 = 1_700_000_000
    let keys = JWTKeySet(signingKey: try JWTKey(id: "k1", secret: [UInt8](repeating: 0x42, count: 32)))
    let jwt = JWT(keys: keys, issuer: "api", leeway: 30, clock: { now })
    let token = jwt.sign(JWTClaims(subject: "12345", issuer: "api", expiresAt: now + 1800, issuedAt: now,
                                   id: "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f", scope: "users:read users:write"))
    var rates: [Double] = []
    for _ in 0..<reps {
        var count = 0
        let elapsed = try seconds {
            let start = DispatchTime.now().uptimeNanoseconds
            while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < duration {
                for _ in 0..<1000 where try jwt.verify(token).subject != "12345" { fail("wrong subject") }
                count += 1000
            }
        }
        rates.append(Double(count) / elapsed)
    }
    print("jwt_token_bytes=\(token.utf8.count)")
    print("jwt_verify_per_s=\(String(format: "%.0f", median(rates)))")
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

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "argon2": try argon2(Array(arguments.dropFirst()))
case "sha256": sha256(Array(arguments.dropFirst()))
case "jwt": try jwt(Array(arguments.dropFirst()))
case "allocs": allocs(Array(arguments.dropFirst()))
default: fail("usage: MicroBench argon2|sha256|jwt|allocs ...")
}
