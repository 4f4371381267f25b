import Testing
import TestKit

/// Compression through the real binary: each `Accept-Encoding` gets its coding, Python's `gzip` and `zlib` decode every
/// compressed body to the uncompressed answer's bytes, and a zip bomb is refused having cost less than twice the limit.
@Suite struct CompressionTests {
    private static func get(_ path: String, acceptEncoding: String?, on server: RunningAPIServer) throws -> TestResponse {
        let client = try server.connect()
        try client.send("GET \(path) HTTP/1.1\r\nHost: a\r\n" + (acceptEncoding.map { "Accept-Encoding: \($0)\r\n" } ?? "") + "\r\n")
        return try client.readResponse()
    }

    @Test func eachAcceptEncodingGetsItsCodingAndPythonDecodesItToTheSameBytes() throws {
        let server = try TestDeployment().serve()
        defer { _ = server.terminate() }
        let plain = try Self.get("/openapi.json", acceptEncoding: nil, on: server)
        #expect(plain.header("content-encoding") == nil && plain.body.count > 10_000)
        let table: [(String?, String?)] = [("gzip", "gzip"), ("deflate;q=0.5, gzip;q=0", "deflate"), ("*", "gzip"), ("identity;q=0", nil),
                                           (nil, nil), ("br", nil)]
        var files: [String] = []
        for (index, (acceptEncoding, expected)) in table.enumerated() {
            let response = try Self.get("/openapi.json", acceptEncoding: acceptEncoding, on: server)
            #expect(response.header("content-encoding") == expected, "Accept-Encoding: \(acceptEncoding ?? "absent")")
            #expect(response.header("vary") == "Accept-Encoding")
            #expect(response.header("content-length") == String(response.body.count))
            files.append(try SharedTestData.temporaryFile(named: "\(index).\(expected ?? "identity")", contents: response.body))
        }
        let decode = """
            import gzip, sys, zlib
            plain = open(sys.argv[1], "rb").read()
            for path in sys.argv[2:]:
                data = open(path, "rb").read()
                coding = path.rsplit(".", 1)[1]
                decoded = gzip.decompress(data) if coding == "gzip" else zlib.decompress(data) if coding == "deflate" else data
                print(path.rsplit("/", 1)[1], "same" if decoded == plain else "DIFFERENT", len(data))
            """
        let plainFile = try SharedTestData.temporaryFile(named: "plain", contents: plain.body)
        let result = try PythonTool.run("python", ["-c", decode, plainFile] + files, timeout: 30)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.split(separator: "\n").count == table.count && !result.stdout.contains("DIFFERENT"), "\(result.stdout)")
    }

    /// 64 MiB of zeros gzipped to about 64 KiB, under a 1 MiB body limit: 413, and the server's resident memory grows by
    /// less than twice the limit.
    @Test func aZipBombIs413AndCostsLessThanTwiceTheLimit() throws {
        let server = try TestDeployment(TestDeployment.withoutRateLimits).serve()
        defer { _ = server.terminate() }
        let path = try SharedTestData.temporaryDirectory() + "/bomb.gz"
        let made = try PythonTool.run("python", ["-c", "import gzip; open('\(path)', 'wb').write(gzip.compress(bytes(64 << 20), 9))"], timeout: 60)
        #expect(made.status == 0)
        let compressed = try SharedTestData.readFile(path)
        #expect(compressed.count < 1 << 20)
        let before = try Self.residentKiB(server.process.pid)
        for _ in 0..<3 {
            let client = try server.connect()
            try client.send("POST /users/ HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: \(compressed.count)\r\n\r\n")
            try client.send(compressed)
            let response = try client.readResponse(timeout: 10)
            #expect(response.status == 413)
            #expect(response.text == #"{"detail":"Request body too large"}"#)
        }
        let grown = try Self.residentKiB(server.process.pid) - before
        #expect(grown < 2 * 1024, "resident memory grew by \(grown) KiB for a 1 MiB limit")
    }

    private static func residentKiB(_ pid: Int32) throws -> Int {
        let status = String(decoding: try SharedTestData.readFile("/proc/\(pid)/status"), as: UTF8.self)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }
}
