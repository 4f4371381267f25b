import JSON
import Postgres

/// The SQL of `channel_messages` (PostgreSQL migration 4): what carries channel messages between instances. Each is
/// numbered in its channel by `channel_sequences`, and drawn its id under a transaction-level advisory lock held until
/// its commit, so ids are in commit order and a reader that has read id N has read every message before it (as the
/// change log does). Its trigger rings `api_channels`.
struct PostgresChannelMessages {
    let session: PostgresSession

    /// The newest messages kept; older ones are purged as messages are published. An instance that falls further
    /// behind than this (its doorbell down that long) does not get the ones purged: they are ephemeral.
    static let kept: Int64 = 10_000
    /// One in this many publications also purges.
    static let publicationsPerPurge = 1024
    /// Messages read at a time.
    static let batch = 500

    /// One statement: the lock, the channel's next number, the message.
    private static let publishSQL = """
        WITH serialized AS (SELECT pg_advisory_xact_lock(27426669776955753)),
        numbered AS (
            INSERT INTO channel_sequences AS s (channel, seq) SELECT $1, 1 FROM serialized
            ON CONFLICT (channel) DO UPDATE SET seq = s.seq + 1 RETURNING seq)
        INSERT INTO channel_messages (channel, seq, from_user, at, data) SELECT $1, seq, $2, $3, $4 FROM numbered RETURNING seq
        """

    /// Publishes `data` to `channel`; returns its number in the channel.
    func publish(_ data: JSONValue, to channel: String, from: Int64?, at: String) throws -> Int64 {
        let data = String(decoding: data.serialized(), as: UTF8.self)
        guard let sequence = try session.row(Self.publishSQL, [channel, from, at, data], read: { $0.int64(0) }) else { throw StoreError.failed }
        return sequence
    }

    /// Deletes all but the newest `kept` messages.
    func purge() throws {
        _ = try session.run("DELETE FROM channel_messages WHERE id <= (SELECT max(id) FROM channel_messages) - $1", [Self.kept])
    }

    /// The id of the newest message, 0 when there is none.
    func last() throws -> Int64 {
        try session.row("SELECT coalesce(max(id), 0) FROM channel_messages") { $0.int64(0) } ?? 0
    }

    /// The messages after id `after`, oldest first, at most `batch`, each with its id.
    func messages(after: Int64) throws -> [(id: Int64, message: ChannelMessage)] {
        try session.rows("""
            SELECT id, channel, seq, from_user, at, data FROM channel_messages WHERE id > $1 ORDER BY id LIMIT $2
            """, [after, Int64(Self.batch)]) { row in (row.int64(0), Self.message(row)) }
    }

    /// The newest `perChannel` messages of each channel up to id `through`, oldest first.
    func newest(_ perChannel: Int, through: Int64) throws -> [ChannelMessage] {
        try session.rows("""
            SELECT id, channel, seq, from_user, at, data FROM (
                SELECT *, row_number() OVER (PARTITION BY channel ORDER BY id DESC) AS newness FROM channel_messages WHERE id <= $1
            ) AS ranked WHERE newness <= $2 ORDER BY id
            """, [through, Int64(perChannel)], read: Self.message)
    }

    /// The message of a row of `id, channel, seq, from_user, at, data`.
    private static func message(_ row: PostgresRow) -> ChannelMessage {
        ChannelMessage(channel: row.string(1), sequence: row.int64(2), from: row.optionalInt64(3), at: row.string(4),
                       data: (try? JSONParser.parse(Array(row.string(5).utf8))) ?? .null)
    }
}
