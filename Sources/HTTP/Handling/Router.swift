/// Matches method + path template (`/users/{user_id}`) to a handler, behind a chain of middleware.
///
/// Paths match with and without a trailing slash; HEAD is answered by the GET handler; a path that
/// exists with other methods is 405 with `Allow`, anything else 404, both in FastAPI's shape.
public struct Router: Sendable {
    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Entry: Sendable {
        let template: String
        let segments: [Segment]
        /// The entry's place in the order templates were first added: `RequestContext.routeNumber`.
        let number: Int
        var handlers: [Handler?] = Array(repeating: nil, count: Method.allCases.count)

        var allowedMethods: [Method] {
            var methods = Method.allCases.filter { handlers[Int($0.rawValue)] != nil }
            if methods.contains(.get) && !methods.contains(.head) { methods.insert(.head, at: methods.firstIndex(of: .get)! + 1) }  // just checked
            return methods
        }

        func handler(for method: Method) -> Handler? {
            handlers[Int(method.rawValue)] ?? (method == .head ? handlers[Int(Method.get.rawValue)] : nil)
        }
    }

    private var staticEntries: [String: Entry] = [:]
    private var dynamicEntries: [Entry] = []
    private var entryCount = 0
    private var middleware: [any Middleware] = []
    private var errorMapper: (@Sendable (any Error) -> HTTPError?)?

    /// An empty router.
    public init() {}

    /// Adds a route. Registering the same method and template twice is a programming error.
    public mutating func add(_ method: Method, _ template: String, use handler: @escaping Handler) {
        let normalized = Self.normalize(template)
        let segments = Self.segments(of: normalized)
        let isStatic = segments.allSatisfy { if case .literal = $0 { true } else { false } }
        if isStatic {
            var entry = staticEntries[normalized] ?? makeEntry(template, segments)
            precondition(entry.handlers[Int(method.rawValue)] == nil, "\(method.name) \(template) registered twice")
            entry.handlers[Int(method.rawValue)] = handler
            staticEntries[normalized] = entry
        } else if let index = dynamicEntries.firstIndex(where: { $0.segments == segments }) {
            precondition(dynamicEntries[index].handlers[Int(method.rawValue)] == nil, "\(method.name) \(template) registered twice")
            dynamicEntries[index].handlers[Int(method.rawValue)] = handler
        } else {
            var entry = makeEntry(template, segments)
            entry.handlers[Int(method.rawValue)] = handler
            dynamicEntries.append(entry)
        }
    }

    private mutating func makeEntry(_ template: String, _ segments: [Segment]) -> Entry {
        entryCount += 1
        return Entry(template: template, segments: segments, number: entryCount - 1)
    }

    /// Appends `middleware` to the chain; the first added runs first.
    public mutating func use(_ middleware: any Middleware) {
        self.middleware.append(middleware)
    }

    /// Gives the errors that have a meaning for clients (a taken email, a busy database) their responses: `mapper`
    /// returns the `HTTPError` for such an error, or nil for one that is a 500.
    public mutating func mapErrors(_ mapper: @escaping @Sendable (any Error) -> HTTPError?) {
        errorMapper = mapper
    }

    /// Answers `request`; never throws, so the connection always has a response to write. A deferred answer
    /// (`Response.later`) comes back as its placeholder: the connection finishes the real one when it arrives.
    ///
    /// The route is matched first, so middleware sees `context.route` (metrics label requests by it);
    /// then the middleware chain runs around the handler, or around the 404/405 when nothing matched.
    public func respond(to request: Request, context: inout RequestContext) -> Response {
        let entry = request.path == "*" ? nil : match(request.path, &context)
        context.route = entry?.template
        context.routeNumber = entry?.number
        do {
            return try runChain(from: 0, request, &context, entry)
        } catch {
            return response(for: error, context: &context)
        }
    }

    /// The response for an error thrown by a handler or passed to a `ResponseCompletion`, the same on both paths:
    /// an `HTTPError` is its own response, `mapErrors` names others, and the rest are 500s whose error is kept in
    /// `context.failure` for the log (never shown to the client).
    public func response(for error: any Error, context: inout RequestContext) -> Response {
        if let error = error as? HTTPError { return error.response }
        if let mapped = errorMapper?(error) { return mapped.response }
        context.failure = error
        return .detail(.internalServerError, "Internal Server Error")
    }

    /// Runs every middleware's `finish` on the final `response` to `request`, the last added first.
    public func finish(_ response: inout Response, to request: Request, context: RequestContext) {
        for index in middleware.indices.reversed() { middleware[index].finish(&response, to: request, context: context) }
    }

    private func runChain(from index: Int, _ request: Request, _ context: inout RequestContext, _ entry: Entry?) throws -> Response {
        guard index < middleware.count else { return try dispatch(request, &context, entry) }
        do {
            return try middleware[index].handle(request, &context) { request, context in
                try runChain(from: index + 1, request, &context, entry)
            }
        } catch let deferral as Deferral {
            // What `next` returns is never a deferral (dispatch answers those later), so this middleware deferred
            // before calling it: once prepared, the chain goes on past it.
            return deferral.retrying({ request, context in try self.runChain(from: index + 1, request, &context, entry) }, request, context)
        }
    }

    private func dispatch(_ request: Request, _ context: inout RequestContext, _ entry: Entry?) throws -> Response {
        if request.path == "*" { return serverWideOptions() }
        guard let entry else {
            if request.method == .unknown { throw HTTPError(.notImplemented, detail: "Method not implemented") }
            throw HTTPError(.notFound, detail: "Not Found")
        }
        guard let handler = entry.handler(for: request.method) else {
            let allow = entry.allowedMethods.map(\.name).joined(separator: ", ")
            throw HTTPError(.methodNotAllowed, detail: "Method Not Allowed", headers: [HeaderPair("allow", allow)])
        }
        do {
            return try handler(request, &context)
        } catch let deferral as Deferral {
            return deferral.retrying(handler, request, context)
        }
    }

    /// `OPTIONS *` asks about the server as a whole (RFC 9110 §9.3.7).
    private func serverWideOptions() -> Response {
        var methods = Set<Method>()
        for entry in Array(staticEntries.values) + dynamicEntries { methods.formUnion(entry.allowedMethods) }
        let allow = Method.allCases.filter(methods.contains).map(\.name).joined(separator: ", ")
        return Response(status: .noContent, headers: [HeaderPair("allow", allow)])
    }

    private func match(_ path: String, _ context: inout RequestContext) -> Entry? {
        let normalized = Self.normalize(path)
        let hasEscapes = normalized.utf8.contains(UInt8(ascii: "%"))
        if !hasEscapes, let entry = staticEntries[normalized] { return entry }
        let parts = normalized.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        let decoded = parts.map { part in
            // RequestTarget already refused bad escapes, so decoding cannot fail here.
            ((try? RequestTarget.percentDecoded(part)) ?? nil).map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: part, as: UTF8.self)
        }
        if hasEscapes, let entry = staticEntries.values.first(where: { $0.segments == decoded.map(Segment.literal) }) {
            return entry
        }
        for entry in dynamicEntries where entry.segments.count == decoded.count {
            if let parameters = Self.bind(entry.segments, to: decoded) {
                context.pathParameters = parameters
                return entry
            }
        }
        return nil
    }

    private static func bind(_ segments: [Segment], to parts: [String]) -> [(name: String, value: String)]? {
        var parameters: [(name: String, value: String)] = []
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal): if literal != part { return nil }
            case .parameter(let name):
                if part.isEmpty { return nil }
                parameters.append((name, part))
            }
        }
        return parameters
    }

    private static func normalize(_ path: String) -> String {
        path.utf8.count > 1 && path.utf8.last == UInt8(ascii: "/") ? String(path.dropLast()) : path
    }

    private static func segments(of template: String) -> [Segment] {
        template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }
}
