/// A failure inside a test helper (a timeout, a malformed response, a process that would not start),
/// reported with enough context to read the test log without rerunning.
public struct TestKitError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
