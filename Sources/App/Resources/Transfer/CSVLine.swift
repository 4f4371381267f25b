/// One line of CSV (RFC 4180): fields separated by commas, a field quoted when it holds a comma, a quote, a line break
/// or nothing at all (so an empty quoted field, `""`, is the empty string and an empty unquoted one is null).
enum CSVLine {
    /// `fields` as one line (without its line break); nil fields are empty.
    static func format(_ fields: [String?]) -> String {
        fields.map { field in
            guard let field else { return "" }
            let mustQuote = field.isEmpty || field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            return mustQuote ? "\"" + field.replacing("\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }

    /// The fields of `line` (nil for an empty unquoted one), or nil when a quote is not closed.
    static func parse(_ line: Substring) -> [String?]? {
        var fields: [String?] = []
        var index = line.startIndex
        while true {
            if index < line.endIndex, line[index] == "\"" {
                var value = ""
                index = line.index(after: index)
                while true {
                    guard index < line.endIndex else { return nil }
                    if line[index] == "\"" {
                        let next = line.index(after: index)
                        if next < line.endIndex, line[next] == "\"" {
                            value.append("\"")
                            index = line.index(after: next)
                            continue
                        }
                        index = next
                        break
                    }
                    value.append(line[index])
                    index = line.index(after: index)
                }
                fields.append(value)
            } else {
                let end = line[index...].firstIndex(of: ",") ?? line.endIndex
                fields.append(index == end ? nil : String(line[index..<end]))
                index = end
            }
            guard index < line.endIndex else { return fields }
            guard line[index] == "," else { return nil }
            index = line.index(after: index)
            if index == line.endIndex { return fields + [nil] }
        }
    }
}
