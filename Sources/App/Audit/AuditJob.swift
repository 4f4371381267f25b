import JSON

/// The job behind `POST /action/`: appends an audit entry, in the database exactly once (keyed by the job) and,
/// with `audit.file`, as a line in that file at least once (a crash between the line and the commit repeats it;
/// the line carries the job id to tell).
struct AuditJob: JobKind {
    /// Who did what, for whom, in which request, and when the request was answered.
    struct Payload: Codable, Sendable {
        let actor: String
        let user: String
        let action: String
        let requestID: String
        let createdAt: String

        enum CodingKeys: String, CodingKey {
            case actor, user, action
            case requestID = "request_id"
            case createdAt = "created_at"
        }
    }

    static let name = "audit"
    let file: AuditFile?

    /// Without a file, the entry is all the job does: it runs inside the transaction that takes it from the queue.
    var isTransactional: Bool { file == nil }

    func perform(_ payload: Payload, _ job: JobContext) throws -> JobEffect? {
        if let file { try file.append(Self.line(payload, job: job.id)) }
        return { transaction in try transaction.audit.append(payload, job: job.id) }
    }

    private static func line(_ payload: Payload, job: Int64) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        for (name, value) in [("ts", payload.createdAt), ("actor", payload.actor), ("user", payload.user), ("action", payload.action),
                              ("request_id", payload.requestID)] {
            writer.key(name)
            writer.writeString(value)
        }
        writer.key("job_id")
        writer.writeInteger(job)
        writer.endObject()
        writer.bytes.append(UInt8(ascii: "\n"))
        return writer.bytes
    }
}
