import JSON

/// The records of one declared resource, in one transaction (or one loop's read). A record is a JSON object in the
/// order readers see it: `id`, the declared fields, `owner_id` (with an owner), `created_at`, `updated_at`, `version`.
protocol ResourceStore {
    /// The record with `id`, or nil.
    func record(id: Int64) throws -> JSONObject?
    /// Up to `query.limit` records that pass `query.filter`, in `query.sort` order then by id, after `query.after`.
    func page(_ query: ResourceQuery) throws -> [JSONObject]
    /// How many records pass `filter` for `caller` at `now`.
    func count(_ filter: Filter?, caller: FilterCaller?, now: String) throws -> Int
    /// Every record, for `api resources`.
    func totalCount() throws -> Int

    /// Inserts a record of the validated `values` (every declared field), owned by `ownerID` when the resource has an
    /// owner. Throws `ResourceRefusal` when a unique key is taken or a reference names no record.
    func insert(_ values: JSONObject, ownerID: Int64?, at now: String) throws -> JSONObject
    /// Sets the fields of `changes` on record `id` and counts a new version; nil when there is no such record.
    /// Throws `ResourceRefusal` as `insert` does.
    func update(id: Int64, setting changes: JSONObject, at now: String) throws -> JSONObject?
    /// Inserts `record` as an export holds it, keeping its `id` (or taking the next when null), `owner_id`, timestamps
    /// and version (`api import`). Throws `ResourceRefusal` as `insert` does.
    func restore(_ record: JSONObject) throws

    /// Deletes record `id`; `false` when there was none. Throws `ResourceRefusal.stillReferenced` when a
    /// `restrict` reference holds it.
    func delete(id: Int64) throws -> Bool
}
