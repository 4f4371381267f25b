/// A coding path that becomes an array only when something reads it (an error, a nested value): a scalar member
/// never does, and building `path + [key]` for each one cost an allocation per member encoded or decoded.
struct CodingPath {
    private let parent: [any CodingKey]
    private let last: (any CodingKey)?

    /// The path `parent`, then `last` when given.
    init(_ parent: [any CodingKey], _ last: (any CodingKey)? = nil) {
        self.parent = parent
        self.last = last
    }

    /// The keys, outermost first.
    var keys: [any CodingKey] { last.map { parent + [$0] } ?? parent }
}
