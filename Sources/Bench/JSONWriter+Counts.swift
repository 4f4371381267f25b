import JSON

extension JSONWriter {
    /// Writes each of `counts` as an integer member of the object being written, in order.
    mutating func writeCounts(_ counts: KeyValuePairs<String, Int>) {
        for (name, count) in counts {
            key(name); writeInteger(count)
        }
    }
}
