import Crypto

/// Content-Security-Policy values (CSP Level 3, https://www.w3.org/TR/CSP3/) for pages the server itself serves.
public enum ContentSecurityPolicy {
    /// The `'sha256-...'` source of every inline `<script>` element of `html` (one without attributes): the browser
    /// runs an inline script only when its exact text hashes to a listed source (CSP3 §8.2), so nothing injected
    /// into the page runs, and no `'unsafe-inline'` is needed.
    public static func inlineScriptSources(in html: String) -> [String] {
        var sources: [String] = [], rest = Substring(html)
        while let open = rest.firstRange(of: "<script>"), let close = rest[open.upperBound...].firstRange(of: "</script>") {
            sources.append("'sha256-\(Base64.encode(SHA256.hash(rest[open.upperBound..<close.lowerBound].utf8)))'")
            rest = rest[close.upperBound...]
        }
        return sources
    }

    /// A policy that allows nothing but `directives` (`["script-src 'self'", ...]`), and that the page is never framed,
    /// never given another base URL and never submits a form elsewhere.
    public static func allowingOnly(_ directives: [String]) -> String {
        (["default-src 'none'"] + directives + ["base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"]).joined(separator: "; ")
    }

    /// `url` as a CSP source expression: without its query and fragment (CSP matches paths only), or nil when it could
    /// not be one (a character that would end the directive).
    public static func source(_ url: String) -> String? {
        let withoutQuery = url.prefix { $0 != "?" && $0 != "#" }
        guard !withoutQuery.isEmpty, !withoutQuery.contains(where: { $0 == ";" || $0 == "," || $0 == "'" || $0.isWhitespace }) else { return nil }
        return String(withoutQuery)
    }
}
