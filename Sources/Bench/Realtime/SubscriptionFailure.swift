/// Why a subscription cannot go on: a few words for the report, where equal reasons are counted together.
struct SubscriptionFailure: Error {
    let reason: String
}
