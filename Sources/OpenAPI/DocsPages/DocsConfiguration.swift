/// Where the interactive docs pages load their scripts from: a CDN by default, as FastAPI does; point
/// them at a mirror you host when browsers cannot reach the CDN. `/docs/offline` needs none of them.
public struct DocsConfiguration: Sendable {
    /// Whether `/openapi.json`, `/docs`, `/redoc` and `/docs/offline` are served at all.
    public var isEnabled = true
    /// Swagger UI's JavaScript bundle.
    public var swaggerJavaScriptURL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
    /// Swagger UI's style sheet.
    public var swaggerStyleSheetURL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
    /// ReDoc's standalone bundle.
    public var redocJavaScriptURL = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"

    /// The defaults.
    public init() {}
}
