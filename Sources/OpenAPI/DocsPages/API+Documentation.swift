import HTTP
import JSON

extension API {
    /// Serves the document and its pages: `GET /openapi.json`, `/docs` (Swagger UI), `/redoc` (ReDoc) and
    /// `/docs/offline` (built in, no network). Call it after every operation is added: the document is
    /// generated once, here, and served from memory. These routes are not in the document, as in FastAPI.
    public mutating func addDocumentation(_ configuration: DocsConfiguration) {
        guard configuration.isEnabled else { return }
        let documentBody = document.serialized()
        let swagger = Array(DocsPages.swaggerUI(title: info.title, configuration: configuration).utf8)
        let redoc = Array(DocsPages.redoc(title: info.title, configuration: configuration).utf8)
        let offline = Array(OfflineDocsPage.html.utf8)
        addUndocumented(.get, "/openapi.json") { _, _ in .json(body: documentBody) }
        addUndocumented(.get, "/docs") { _, _ in Self.html(swagger) }
        addUndocumented(.get, "/redoc") { _, _ in Self.html(redoc) }
        addUndocumented(.get, "/docs/offline") { _, _ in Self.html(offline) }
    }

    private static func html(_ body: [UInt8]) -> Response {
        Response(status: .ok, contentType: "text/html; charset=utf-8", body: body)
    }
}
