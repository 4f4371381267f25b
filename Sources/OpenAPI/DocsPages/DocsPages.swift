/// The HTML of `/docs` (Swagger UI) and `/redoc` (ReDoc): small pages that load the viewers' scripts
/// from the configured URLs and point them at `/openapi.json`. When the scripts cannot load, each page
/// says so and links to `/docs/offline`, which needs no network.
enum DocsPages {
    static func swaggerUI(title: String, configuration: DocsConfiguration) -> String {
        page(title: "\(title) - Swagger UI", container: "swagger-ui", viewer: "Swagger UI",
             head: #"<link rel="stylesheet" href="\#(escaped(configuration.swaggerStyleSheetURL))">"#,
             script: configuration.swaggerJavaScriptURL, start: """
             if (window.SwaggerUIBundle) {
               window.ui = SwaggerUIBundle({
                 url: "/openapi.json",
                 dom_id: "#swagger-ui",
                 layout: "BaseLayout",
                 deepLinking: true,
                 showExtensions: true,
                 showCommonExtensions: true,
                 persistAuthorization: true,
                 presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
               });
             }
             """)
    }

    static func redoc(title: String, configuration: DocsConfiguration) -> String {
        page(title: "\(title) - ReDoc", container: "redoc", viewer: "ReDoc",
             head: "<style>body { margin: 0; padding: 0; }</style>",
             script: configuration.redocJavaScriptURL,
             start: #"if (window.Redoc) { Redoc.init("/openapi.json", {}, document.getElementById("redoc")); }"#)
    }

    /// A page with an element `container` that the viewer's `script` fills once `start` runs; `head` is trusted HTML.
    private static func page(title: String, container: String, viewer: String, head: String, script: String, start: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title))</title>
        \(head)
        </head>
        <body>
        <div id="\(container)"></div>
        <script>
        window.addEventListener("load", function () {
          if (!window.SwaggerUIBundle && !window.Redoc) {
            document.getElementById("\(container)").innerHTML =
              '<p style="font: 16px system-ui, sans-serif; margin: 2em">\(viewer) could not be loaded (no internet, or the CDN is blocked). ' +
              'Use the <a href="/docs/offline">built-in offline documentation</a>, or set its script URLs in the <code>docs</code> section of the config.</p>';
          }
        });
        </script>
        <script src="\(escaped(script))"></script>
        <script>
        \(start)
        </script>
        </body>
        </html>
        """
    }

    /// `text` safe inside HTML text and double-quoted attributes.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
