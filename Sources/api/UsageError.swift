/// A mistake in how `api` was called: reported as one line on stderr, exit code 2.
struct UsageError: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
