/// Why a filter or a rule was refused: what is wrong, and where (1-based character position, as the 422 says).
struct FilterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based position of the first character at fault.
    let position: Int
    let problem: String

    var description: String { "\(problem) at position \(position)" }
}
