/// Why the data refused a write to a resource: answers with a meaning for the client, never a 500.
enum ResourceRefusal: Error, Equatable {
    /// Another record has the same values of these fields (a declared `unique`): 409.
    case duplicate(resource: String, fields: [String])
    /// A reference field names a record that does not exist: 422 on that field.
    case missingReference(field: String, target: String, id: Int64)
    /// A `restrict` reference of another record still names this one: 409.
    case stillReferenced(resource: String)
}
