/// Writes the Prometheus text exposition format, version 0.0.4.
///
/// Families are written as `# HELP`, `# TYPE`, then samples; label values are escaped (`\\`, `\"`, `\n`);
/// histogram buckets are cumulative and end with `le="+Inf"`, followed by `_sum` and `_count`.
public struct ExpositionWriter: Sendable {
    /// The text written so far, UTF-8.
    public private(set) var bytes: [UInt8] = []

    /// The media type to serve the text with.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// An empty document.
    public init() {
        bytes.reserveCapacity(16_384)
    }

    /// Starts a family: its help line and its type. `name` must match `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public mutating func family(_ name: String, _ type: MetricType, help: String) {
        precondition(Self.isValidName(name), "invalid metric name \(name)")
        precondition(type != .counter || name.hasSuffix("_total"), "counter \(name) must end in _total")
        append("# HELP \(name) ")
        for character in help.utf8 {
            switch character {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            default: bytes.append(character)
            }
        }
        append("\n# TYPE \(name) \(type.rawValue)\n")
    }

    /// A family of one sample without labels: its HELP and TYPE lines, then `name value`.
    public mutating func single(_ name: String, _ type: MetricType, help: String, _ value: Double) {
        family(name, type, help: help)
        sample(name, [], value)
    }

    /// One sample line: `name{labels} value`.
    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        bytes.append(contentsOf: name.utf8)
        writeLabels(labels)
        bytes.append(UInt8(ascii: " "))
        append(Self.format(value))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// The bucket, `_sum` and `_count` lines of a histogram sample.
    public mutating func histogram(_ name: String, _ labels: [(String, String)], _ histogram: Histogram) {
        let cumulative = histogram.cumulativeCounts
        for (index, count) in cumulative.enumerated() {
            let bound = index < histogram.bounds.count ? Self.format(histogram.bounds[index]) : "+Inf"
            sample(name + "_bucket", labels + [("le", bound)], Double(count))
        }
        sample(name + "_sum", labels, histogram.sum)
        sample(name + "_count", labels, Double(histogram.count))
    }

    /// The `_sum` and `_count` lines of a summary sample.
    public mutating func summary(_ name: String, _ labels: [(String, String)], _ summary: SummaryValue) {
        sample(name + "_sum", labels, summary.sum)
        sample(name + "_count", labels, Double(summary.count))
    }

    private mutating func writeLabels(_ labels: [(String, String)]) {
        guard !labels.isEmpty else { return }
        bytes.append(UInt8(ascii: "{"))
        for (index, (name, value)) in labels.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: name.utf8)
            append("=\"")
            for character in value.utf8 {
                switch character {
                case UInt8(ascii: "\\"): append("\\\\")
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\n"): append("\\n")
                default: bytes.append(character)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Integers without a fraction (`42`), others in Swift's shortest round-trip form, which Prometheus parses.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
        }
    }
}
