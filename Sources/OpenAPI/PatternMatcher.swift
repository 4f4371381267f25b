/// A compiled `pattern` constraint, searched (not anchored) in a string as Pydantic's regex engine does.
///
/// `Regex` is not marked `Sendable`, but a compiled regex is immutable: matching builds a fresh executor
/// each time and the lowered program is created once, here, before the matcher is shared between loops.
final class PatternMatcher: @unchecked Sendable {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`; a pattern that does not compile is a programming error in a route declaration.
    init(_ pattern: String) {
        self.pattern = pattern
        do { regex = try Regex(pattern) } catch { preconditionFailure("pattern \(pattern) does not compile: \(error)") }
        _ = "".contains(regex)  // lowers the program now, on one thread
    }

    /// Whether some part of `string` matches.
    func matches(_ string: String) -> Bool {
        string.contains(regex)
    }
}
