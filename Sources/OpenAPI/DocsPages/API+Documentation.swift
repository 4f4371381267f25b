import HTTP
import JSON

extension API {
    /// Serves the document and its pages: `GET /openapi.json`, `/docs` (Swagger UI), `/redoc` (ReDoc) and
    /// `/docs/offline` (built in, no network). Call it after every operation is added: the document is
    /// generated once, here, and served from memory. These routes are not in the document, as in FastAPI.
    public mutating func addDocumentation(_ configuration: DocsConfiguration) {
        guard configuration.isEnabled else { return }
        let documentBody = document.serialized()
        let swagger = Self.page(DocsPages.swaggerUI(title: info.title, configuration: configuration),
                                scripts: [configuration.swaggerJavaScriptURL], styles: [configuration.swaggerStyleSheetURL])
        let redoc = Self.page(DocsPages.redoc(title: info.title, configuration: configuration),
                              scripts: [configuration.redocJavaScriptURL], styles: [], extra: ["worker-src blob:"])
        let offline = Self.page(OfflineDocsPage.html, scripts: [], styles: [])
        addUndocumented(.get, "/openapi.json") { _, _ in .json(body: documentBody) }
        addUndocumented(.get, "/docs") { _, _ in swagger }
        addUndocumented(.get, "/redoc") { _, _ in redoc }
        addUndocumented(.get, "/docs/offline") { _, _ in offline }
    }

    /// A docs page with the Content-Security-Policy that lets it work and nothing more: its own inline scripts (by
    /// hash) and the viewer's configured `scripts` and `styles`, inline styles (the viewers set them as they draw),
    /// images from here or `data:`, and requests to this server only (the document, and "Try it out").
    private static func page(_ html: String, scripts: [String], styles: [String], extra: [String] = []) -> Response {
        let policy = ContentSecurityPolicy.allowingOnly([
            "script-src " + (ContentSecurityPolicy.inlineScriptSources(in: html) + scripts.compactMap(ContentSecurityPolicy.source)).joined(separator: " "),
            "style-src " + (["'unsafe-inline'"] + styles.compactMap(ContentSecurityPolicy.source)).joined(separator: " "),
            "img-src 'self' data:", "font-src 'self' data:", "connect-src 'self'",
        ] + extra)
        return Response(status: .ok, contentType: "text/html; charset=utf-8", headers: [HeaderPair("content-security-policy", policy)],
                        body: Array(html.utf8))
    }
}
