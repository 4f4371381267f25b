/// The body of each write: the template with `{run}` replaced by the run's id, and `{n}` by the write's number,
/// so that every write of every run is unique (the example's projects have a name unique per owner).
struct WriteBody: Sendable {
    /// The template cut at each `{n}`, with `{run}` already replaced.
    private let pieces: [[UInt8]]

    init(template: [UInt8], run: String) {
        let withRun = Self.split(template, at: Array("{run}".utf8)).joined(separator: Array(run.utf8))
        pieces = Self.split(Array(withRun), at: Array("{n}".utf8))
    }

    /// The body of write `number`.
    func make(number: Int) -> [UInt8] {
        Array(pieces.joined(separator: Array(String(number).utf8)))
    }

    private static func split(_ bytes: [UInt8], at marker: [UInt8]) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var start = 0, index = 0
        while index + marker.count <= bytes.count {
            if bytes[index..<(index + marker.count)].elementsEqual(marker) {
                pieces.append(Array(bytes[start..<index]))
                index += marker.count
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(Array(bytes[start...]))
        return pieces
    }
}
