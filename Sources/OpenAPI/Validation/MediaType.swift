/// Content-Type checks for request bodies: the media type before any parameters, case-insensitively.
enum MediaType {
    /// `application/json` or `application/<anything>+json`, with any parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let type = essence(contentType) else { return false }
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    /// `application/x-www-form-urlencoded`.
    static func isForm(_ contentType: String?) -> Bool {
        essence(contentType) == "application/x-www-form-urlencoded"
    }

    /// The `type/subtype` part, lowercased and trimmed; nil when absent or empty.
    private static func essence(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .trimmingWhitespace().lowercased()
        return type.isEmpty ? nil : type
    }
}

