/// The `jobs` section: how background jobs are retried and batched.
public struct JobSettings: Sendable {
    /// Runs of a failing job before it is dead.
    public var maxAttempts: Int
    /// Delay before the first retry, in milliseconds; doubled at each retry.
    public var backoffBaseMilliseconds: Int64
    /// The longest delay between retries, in milliseconds.
    public var backoffMaxMilliseconds: Int64
    /// Jobs claimed per transaction.
    public var batchSize: Int
    /// How long succeeded jobs are kept, in milliseconds.
    public var retentionMilliseconds: Int64
}
