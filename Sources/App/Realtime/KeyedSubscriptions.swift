/// A subscription a loop keeps while its stream is open.
protocol Closable: AnyObject {
    /// Whether it has ended: the loop forgets it.
    var isClosed: Bool { get }
    /// Ends it without ending its connection (a WebSocket's `unsubscribe`).
    func cancel()
}

/// One loop's subscriptions (to resources or channels) by the name they follow, touched only on that loop.
struct KeyedSubscriptions<Item: Closable> {
    private var items: [String: [Item]] = [:]
    /// How many there are.
    private(set) var count = 0

    /// Adds `item` under `key`.
    mutating func add(_ item: Item, under key: String) {
        items[key, default: []].append(item)
        count += 1
    }

    /// The open and not yet forgotten ones under `key`.
    func under(_ key: String) -> [Item] { items[key] ?? [] }

    /// Every one.
    var everyone: [Item] { items.values.flatMap { $0 } }

    /// Forgets the ones that ended; returns them.
    @discardableResult
    mutating func removeClosed() -> [Item] {
        var removed: [Item] = []
        for (key, list) in items where list.contains(where: \.isClosed) {
            let open = list.filter { !$0.isClosed }
            removed += list.filter(\.isClosed)
            items[key] = open.isEmpty ? nil : open
        }
        count -= removed.count
        return removed
    }
}
