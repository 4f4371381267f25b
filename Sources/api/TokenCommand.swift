import App
import Bench

/// `api token issue ...`, `api token revoke JTI` and `api token list`.
enum TokenCommand: Command {
    static let name = "token"
    static let summary = "Issue, list or revoke access tokens without a running server"
    static let usage = "issue --subject EMAIL [--scope SCOPE]... [--ttl 1h] [--config FILE]\n"
        + "       api token revoke JTI [--config FILE]\n       api token list [--subject EMAIL] [--config FILE]"
    static let details = """
        issue signs an access token with the server's key (the same configuration finds the same secret), records its id,
        and prints only the token. --ttl takes 90s, 30m, 12h or a number of seconds (default: auth.access_token_ttl_s).
        revoke takes a token id (jti) from 'list'; a running server refuses the token within a second.
        """
    static let options = [
        Option("--subject", value: "EMAIL", help: "The user the token is for (issue, list)"),
        Option("--scope", value: "SCOPE", repeatable: true, help: "A scope to grant, e.g. metrics (issue; repeatable)"),
        Option("--ttl", value: "DURATION", help: "Lifetime of the token (issue)"),
        ConfigOption.option,
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard let action = arguments.positionals.first else { throw UsageError("missing action: 'issue', 'revoke JTI' or 'list'") }
        switch action {
        case "issue":
            _ = try arguments.operands(0, after: "issue", "no arguments")
            guard let subject = arguments.value("--subject") else { throw UsageError("'issue' needs --subject EMAIL") }
            let lifetime = try arguments.value("--ttl").map { (text: String) throws(UsageError) -> Int64 in
                guard let nanoseconds = DurationText.nanoseconds(text), nanoseconds >= 1_000_000_000 else {
                    throw UsageError("--ttl: expected a duration of at least 1s such as 90s, 30m or 12h, got '\(text)'")
                }
                return Int64(nanoseconds / 1_000_000_000)
            }
            return perform(arguments) { try $0.issueToken(subject: subject, scopes: arguments.all("--scope"), lifetime: lifetime) }
        case "revoke":
            try arguments.allowOnly(["--config"], in: "revoke")
            let id = try arguments.operands(1, after: "revoke", "a token id (JTI)")[0]
            return perform(arguments) { "revoked \(try $0.revokeToken(id)) token(s)\n" }
        case "list":
            try arguments.allowOnly(["--config", "--subject"], in: "list")
            _ = try arguments.operands(0, after: "list", "no arguments")
            return perform(arguments) { try $0.listTokens(subject: arguments.value("--subject")) }
        default:
            throw UsageError("unknown action '\(action)'; expected 'issue', 'revoke' or 'list'")
        }
    }
}
