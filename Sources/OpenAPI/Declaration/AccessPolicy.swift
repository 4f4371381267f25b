public import HTTP

/// Decides, for the `API`, whether the caller of a request passes an operation's `Access`: the application's
/// authentication, given to `API.authorize(with:)`.
public protocol AccessPolicy: Sendable {
    /// Returns who is calling (nil for nobody, where `access` allows that), or throws the `HTTPError` to answer:
    /// 401 for a missing or invalid token, 403 for a caller the rule refuses.
    func authorize(_ access: Access, _ request: Request, _ context: RequestContext) throws -> (any Sendable)?
}
