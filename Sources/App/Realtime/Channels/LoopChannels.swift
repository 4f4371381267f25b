/// The channel subscriptions of one loop, touched only there.
final class LoopChannels {
    private var subscriptions = KeyedSubscriptions<ChannelSubscription>()

    /// How many the loop has.
    var count: Int { subscriptions.count }

    func add(_ subscription: ChannelSubscription) {
        subscriptions.add(subscription, under: subscription.channel)
    }

    /// Sends `message` to the loop's subscriptions of its channel.
    func deliver(_ message: ChannelMessage, to channel: String) {
        for subscription in subscriptions.under(channel) where !subscription.isClosed { subscription.deliver(message) }
        subscriptions.removeClosed()
    }

    var everyone: [ChannelSubscription] { subscriptions.everyone }

    func removeClosed() {
        subscriptions.removeClosed()
    }
}
