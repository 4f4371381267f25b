import OpenAPI

/// What `api import` found wrong, line by line: the first 20 problems as `line N: loc: msg`, then how many more.
struct ImportReport: Error, CustomStringConvertible {
    static let shownProblems = 20

    /// The lines read with a good record.
    var count = 0
    private(set) var problems: [String] = []
    private var hidden = 0

    /// Records the problems of line `number`.
    mutating func add(line number: Int, _ issues: [ValidationIssue]) {
        for issue in issues {
            guard problems.count < Self.shownProblems else {
                hidden += 1
                continue
            }
            let location = issue.location.map { $0.stringValue ?? $0.jsonText }.joined(separator: ".")
            problems.append("line \(number): \(location.isEmpty ? "record" : location): \(issue.message)")
        }
    }

    var description: String {
        (problems + (hidden > 0 ? ["... and \(hidden) more problem(s)"] : [])).joined(separator: "\n")
    }
}
