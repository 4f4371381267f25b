extension DataStore {
    /// Has the change feed read the log past its head, on loop `loop`'s connection (call on its thread): what a loop
    /// does when other processes or instances may have written. The read's choices are made before it runs
    /// (`ChangeFeed.catchUpRead`), so it reads the same if it runs again.
    func catchUpChangeFeed(on loop: Int) {
        let feed = changeFeed, read = feed.catchUpRead()
        self.read(on: loop, { transaction in try read(transaction.changes) }) { found in
            if case .success(let found) = found { feed.take(found) }
        }
    }
}
