import JSON

/// A job kind with its payload type erased, so the runner can keep kinds of every payload in one table.
struct RegisteredJobKind: Sendable {
    let name: String
    /// The kind's `isTransactional`.
    let isTransactional: Bool
    /// Decodes the stored payload and performs the job.
    let run: @Sendable (_ payload: String, _ job: JobContext) throws -> JobEffect?

    init<Kind: JobKind>(_ kind: Kind) {
        name = Kind.name
        isTransactional = kind.isTransactional
        run = { payload, job in
            let value = try JSONValueDecoder().decode(Kind.Payload.self, from: JSONParser.parse(Array(payload.utf8)))
            return try kind.perform(value, job)
        }
    }
}
