import JSON

/// One page of a list, as the store reads it: what passes, in what order, from where, how many.
struct ResourceQuery: Sendable {
    /// The caller's `filter=` and the `list` rule, joined by `&&`; nil for every record.
    var filter: Filter?
    /// The declared order; ascending `id` breaks ties (the store adds it).
    var sort: [ResourceSortKey]
    /// The cursor's position: the last record's values of the sort fields, then its id; nil for the first page.
    var after: ResourceCursor?
    /// Records to read: the page size and one more, which tells whether there is a next page.
    var limit: Int
    /// Who asks, for the filter's `@caller` values.
    var caller: FilterCaller?
    /// The request's time, for `@now`.
    var now: String
}

/// One key of `sort=`: a field, and `-` for descending.
struct ResourceSortKey: Equatable, Sendable {
    let field: String
    let isDescending: Bool
}
