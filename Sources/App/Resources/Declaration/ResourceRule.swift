/// Who may do an operation on a resource (DESIGN §10): a keyword, or a filter over the record and `@caller`.
enum ResourceRule: Equatable, Sendable {
    case everyone, authenticated, admin, nobody
    case scope(String)
    case filter(Filter)

    /// The operations a rule is set for; an unset one is `admin` (closed by default).
    enum Operation: String, Sendable, CaseIterable {
        case list, read, create, update, delete
    }
}
