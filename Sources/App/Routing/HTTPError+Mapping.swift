import HTTP

extension HTTPError {
    /// The response for errors with a meaning for clients, or nil for those that are a 500.
    static func mapping(_ error: any Error) -> HTTPError? {
        switch error {
        case let error as HTTPError: error
        case UserStoreRefusal.emailTaken: HTTPError(.conflict, detail: "Email already registered")
        // Another process held the write lock past the busy timeout: worth a retry, not a bug.
        case let error where error.storeError == .busy: HTTPError(.serviceUnavailable, detail: "Service Unavailable",
                                                                     headers: [HeaderPair("retry-after", "1")])
        default: nil
        }
    }
}
