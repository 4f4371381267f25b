/// The document's `info`: what the API is called and which version it is.
public struct APIInfo: Sendable {
    /// The title shown by the docs pages.
    public let title: String
    /// The API's version (the binary's version).
    public let version: String
    /// A longer description, Markdown allowed.
    public let description: String?
    /// Where clients get tokens (`tokenUrl` of the OAuth2 password flow).
    public let tokenURL: String

    /// Info for a document.
    public init(title: String, version: String, description: String? = nil, tokenURL: String = "/token") {
        self.title = title
        self.version = version
        self.description = description
        self.tokenURL = tokenURL
    }
}
