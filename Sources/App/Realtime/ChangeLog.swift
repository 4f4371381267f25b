/// The change log of the resources, as one transaction sees it (DESIGN §11). Each engine writes it in the
/// transaction of every change to a resource's records, cascades included; this is how it is read and trimmed.
protocol ChangeLog {
    /// The changes after `sequence`, oldest first, at most `limit`; only `resource`'s when it is given.
    func changes(after sequence: Int64, of resource: String?, limit: Int) throws -> [Change]
    /// The first sequence number the log still holds (the next one to be given when it is empty), and the last one
    /// ever given (0 before the first change).
    func bounds() throws -> (first: Int64, last: Int64)
    /// Deletes up to `limit` of the oldest changes that are older than `cutoff` or beyond the newest `count`;
    /// returns how many went.
    func purge(before cutoff: String, keeping count: Int, limit: Int) throws -> Int
}
