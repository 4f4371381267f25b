/// One value per event loop, each on cache lines of its own, in memory this value owns.
///
/// The observers and the token check's caches keep per-loop state that its loop touches on every request. Kept
/// in objects of their own, two loops' states could share a cache line (the allocator puts small objects side
/// by side), and every write by one core would take the line from the other: false sharing, paid on every
/// request by both.
/// Kept here, each element starts on a 128-byte boundary (two lines, as the adjacent-line prefetcher pairs
/// them) and no two share one. Reaching an element is pointer arithmetic: no retain, no exclusivity check.
///
/// Unchecked `Sendable`: an element must only be touched by its own loop's thread, or under a lock it holds
/// (a `Mutex` element), or once the loops have stopped.
struct PerLoop<Element: ~Copyable>: ~Copyable, @unchecked Sendable {
    private static var alignment: Int { 128 }

    private let base: UnsafeMutableRawPointer
    private let stride: Int
    /// The number of loops.
    let count: Int

    /// `count` elements, the one of loop `index` made by `make(index)`.
    init(count: Int, _ make: (Int) -> Element) {
        precondition(count > 0, "at least one loop")
        stride = max(1, (MemoryLayout<Element>.stride + Self.alignment - 1) / Self.alignment) * Self.alignment
        base = .allocate(byteCount: stride * count, alignment: Self.alignment)
        self.count = count
        for index in 0..<count { pointer(to: index).initialize(to: make(index)) }
    }

    deinit {
        for index in 0..<count { pointer(to: index).deinitialize(count: 1) }
        base.deallocate()
    }

    /// The element of loop `index`.
    subscript(index: Int) -> Element {
        unsafeAddress { UnsafePointer(pointer(to: index)) }
        nonmutating unsafeMutableAddress { pointer(to: index) }
    }

    /// Where the element of loop `index` is.
    func pointer(to index: Int) -> UnsafeMutablePointer<Element> {
        precondition(index >= 0 && index < count, "no element for loop \(index)")
        return (base + index * stride).assumingMemoryBound(to: Element.self)
    }
}
