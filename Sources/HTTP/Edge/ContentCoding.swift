/// The content codings `api` reads and writes (RFC 9110 §8.4.1): zlib's two formats.
public enum ContentCoding: String, Sendable, CaseIterable {
    /// RFC 1952's gzip format.
    case gzip
    /// RFC 1950's zlib format (which RFC 9110 §8.4.1.2 calls "deflate").
    case deflate

    /// zlib's `windowBits` for the format: 15 (a 32 KiB window), plus 16 for a gzip wrapper.
    var windowBits: Int32 { self == .gzip ? 31 : 15 }

    /// The coding to answer with under `Accept-Encoding: header` (RFC 9110 §12.5.3), or nil for none.
    ///
    /// Without the field, nothing is compressed (a client that sends none may not decode any). Otherwise each coding
    /// has the q-value of its own entry, else of `*`, else 0 ("not acceptable"); the higher of gzip and deflate wins,
    /// gzip on a tie. `identityRefused` is set when `identity;q=0` (or `*;q=0` without an identity entry) says an
    /// uncompressed answer is not acceptable: the body is then compressed however small it is.
    public static func negotiate(_ header: String?) -> (coding: ContentCoding?, identityRefused: Bool) {
        guard let header else { return (nil, false) }
        var gzip: Double?, deflate: Double?, identity: Double?, any: Double?
        for entry in header.split(separator: ",") {
            let (name, quality) = parse(entry)
            switch name {
            case "gzip", "x-gzip": gzip = quality
            case "deflate": deflate = quality
            case "identity": identity = quality
            case "*": any = quality
            default: continue
            }
        }
        let gzipQuality = gzip ?? any ?? 0, deflateQuality = deflate ?? any ?? 0
        let identityRefused = (identity ?? (any == 0 ? 0 : 1)) == 0
        guard max(gzipQuality, deflateQuality) > 0 else { return (nil, identityRefused) }
        return (gzipQuality >= deflateQuality ? .gzip : .deflate, identityRefused)
    }

    /// A coding's name in lower case and its q-value (1 when absent; 0 for one that does not parse, RFC 9110 §12.4.2).
    private static func parse(_ entry: Substring) -> (name: String, quality: Double) {
        let parts = entry.split(separator: ";")
        let name = (parts.first ?? "").trimmingBlanks().lowercased()
        var quality = 1.0
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingBlanks().lowercased() == "q" else { continue }
            quality = Self.quality(pair[1].trimmingBlanks()) ?? 0
        }
        return (name, quality)
    }

    /// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )` (RFC 9110 §12.4.2), or nil.
    private static func quality(_ text: Substring) -> Double? {
        guard let value = Double(text), (0...1).contains(value), text.count <= 5 else { return nil }
        return value
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (OWS, RFC 9110 §5.6.3).
    func trimmingBlanks() -> Substring {
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        guard let start = firstIndex(where: { !isBlank($0) }), let end = lastIndex(where: { !isBlank($0) }) else { return "" }
        return self[start...end]
    }
}
