/// The HTML of `/docs` (Swagger UI) and `/redoc` (ReDoc): small pages that load the viewers' scripts
/// from the configured URLs and point them at `/openapi.json`. When the scripts cannot load, each page
/// says so and links to `/docs/offline`, which needs no network.
enum DocsPages {
    static func swaggerUI(title: String, configuration: DocsConfiguration) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title)) - Swagger UI</title>
        <link rel="stylesheet" href="\(escaped(configuration.swaggerStyleSheetURL))">
        </head>
        <body>
        <div id="swagger-ui"></div>
        \(fallback(viewer: "Swagger UI", container: "swagger-ui"))
        <script src="\(escaped(configuration.swaggerJavaScriptURL))"></script>
        <script>
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
        </script>
        </body>
        </html>
        """
    }

    static func redoc(title: String, configuration: DocsConfiguration) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title)) - ReDoc</title>
        <style>body { margin: 0; padding: 0; }</style>
        </head>
        <body>
        <div id="redoc"></div>
        \(fallback(viewer: "ReDoc", container: "redoc"))
        <script src="\(escaped(configuration.redocJavaScriptURL))"></script>
        <script>
        if (window.Redoc) { Redoc.init("/openapi.json", {}, document.getElementById("redoc")); }
        </script>
        </body>
        </html>
        """
    }

    /// A message shown once the page has loaded if the viewer's script never arrived.
    private static func fallback(viewer: String, container: String) -> String {
        """
        <script>
        window.addEventListener("load", function () {
          if (!window.SwaggerUIBundle && !window.Redoc) {
            document.getElementById("\(container)").innerHTML =
              '<p style="font: 16px system-ui, sans-serif; margin: 2em">\(viewer) could not be loaded (no internet, or the CDN is blocked). ' +
              'Use the <a href="/docs/offline">built-in offline documentation</a>, or set its script URLs in the <code>docs</code> section of the config.</p>';
          }
        });
        </script>
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
