/// Content codings at the edge (RFC 9110 §8.4): answers compressed with gzip or deflate when `Accept-Encoding` allows
/// it, and request bodies with `Content-Encoding: gzip` or `deflate` inflated before the route sees them, within the
/// body limit (a zip bomb is 413 having inflated at most that much); any other request coding is 415.
public struct Compression: Middleware {
    private let settings: CompressionSettings
    private let bodyLimit: Int
    private let deflaters: LoopDeflaters

    /// Compression by `settings` for a server of `loops` event loops whose bodies may be `bodyLimit` bytes.
    public init(_ settings: CompressionSettings, bodyLimit: Int, loops: Int) {
        self.settings = settings
        self.bodyLimit = bodyLimit
        deflaters = LoopDeflaters(count: loops, level: settings.level)
    }

    private static let unsupported = HTTPError(.unsupportedMediaType, detail: "Unsupported Content-Encoding")
    private static let tooLarge = HTTPError(.contentTooLarge, detail: "Request body too large")
    private static let corrupt = HTTPError(.badRequest, detail: "The body does not decode as its Content-Encoding says")

    public func handle(
        _ request: Request, _ context: inout RequestContext, next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response {
        guard let encoding = request.header("content-encoding") else { return try next(request, &context) }
        var decoded = request
        decoded.body = try inflated(request.body, encoding)
        return try next(decoded, &context)
    }

    /// `body` with the codings of `encoding` undone, last applied first (RFC 9110 §8.4).
    private func inflated(_ body: [UInt8], _ encoding: String) throws -> [UInt8] {
        var body = body
        for name in encoding.split(separator: ",").reversed().map({ $0.trimmingBlanks().lowercased() }) where name != "identity" {
            guard let coding = ContentCoding(rawValue: name == "x-gzip" ? "gzip" : name) else { throw Self.unsupported }
            do {
                body = try Inflater.inflate(body, from: coding, limit: bodyLimit)
            } catch .tooLarge {
                throw Self.tooLarge
            } catch {
                throw Self.corrupt
            }
        }
        return body
    }

    public func finish(_ response: inout Response, to request: Request, context: RequestContext) {
        guard settings.isEnabled, response.isPlain, !response.body.isEmpty else { return }
        let bigEnough = response.body.count >= settings.minimumBytes
        let acceptEncoding = request.header("accept-encoding")
        // A small answer is compressed only for a client that refuses identity: most requests stop here.
        guard bigEnough || acceptEncoding?.contains("identity") == true || acceptEncoding?.contains("*") == true,
              Self.isCompressible(response) else { return }
        let (coding, identityRefused) = ContentCoding.negotiate(acceptEncoding)
        if bigEnough { response.headers.append(HeaderPair("vary", "Accept-Encoding")) }
        guard let coding, bigEnough || identityRefused else { return }
        response.body = deflaters.compress(response.body, as: coding, loop: context.loopIndex)
        response.headers.append(HeaderPair("content-encoding", coding.rawValue))
    }

    /// Whether a body of this type is worth compressing and not yet coded: not media that are compressed already,
    /// not an event stream (its events are sent as they come).
    static func isCompressible(_ response: Response) -> Bool {
        guard let type = response.contentType?.lowercased(), !response.headers.contains(where: { $0.name == "content-encoding" })
        else { return false }
        if type.hasPrefix("image/") { return type.hasPrefix("image/svg+xml") }
        return !(type.hasPrefix("audio/") || type.hasPrefix("video/") || type.hasPrefix("font/woff") || type.hasPrefix("text/event-stream")
                 || incompressible.contains(where: { type.hasPrefix($0) }))
    }

    private static let incompressible = ["application/zip", "application/gzip", "application/x-gzip", "application/octet-stream",
                                         "application/pdf", "application/zstd", "application/x-7z-compressed"]
}

/// One `Deflater` per event loop, each used only on its loop's thread (`finish` runs there), so none is shared.
private final class LoopDeflaters: @unchecked Sendable {
    private let deflaters: [Deflater]

    init(count: Int, level: Int) {
        deflaters = (0..<max(1, count)).map { _ in Deflater(level: level) }
    }

    func compress(_ bytes: [UInt8], as coding: ContentCoding, loop: Int) -> [UInt8] {
        deflaters[loop].compress(bytes, as: coding)
    }
}
