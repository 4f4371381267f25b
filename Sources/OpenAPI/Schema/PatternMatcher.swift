import Synchronization

/// A `pattern` constraint, searched (not anchored) in a string as Pydantic's regex engine does.
///
/// The regex is compiled on the first match, not at start-up: Swift's regex engine is two libraries' worth of
/// pages (about 1.7 MiB resident) that a server whose patterns are rarely checked should not load just to start.
/// `Regex` is not marked `Sendable`, but a compiled and lowered regex is immutable (matching builds a fresh
/// executor each time), so once made under the lock it is shared freely.
final class PatternMatcher: @unchecked Sendable {
    let pattern: String
    private let compiled = Mutex<Regex<AnyRegexOutput>?>(nil)

    /// A matcher for `pattern`, which must compile (checked when the declaration is made, in debug builds).
    init(_ pattern: String) {
        self.pattern = pattern
        assert((try? Regex(pattern)) != nil, "pattern \(pattern) does not compile")
    }

    /// Whether some part of `string` matches.
    func matches(_ string: String) -> Bool {
        string.contains(regex())
    }

    private func regex() -> Regex<AnyRegexOutput> {
        compiled.withLock { cached in
            if let cached { return cached }
            // A route declaration's pattern that does not compile is a programming error.
            let regex: Regex<AnyRegexOutput>
            do { regex = try Regex(pattern) } catch { preconditionFailure("pattern \(pattern) does not compile: \(error)") }
            _ = "".contains(regex)      // lowers the program now, under the lock
            cached = regex
            return regex
        }
    }
}
