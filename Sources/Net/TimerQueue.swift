/// One-shot timers ordered by deadline in a binary min-heap; cancelled timers are skipped when they surface.
///
/// Owned by one loop and touched only on its thread.
struct TimerQueue {
    private struct Entry {
        let deadline: UInt64
        let id: UInt64
    }

    private var heap: [Entry] = []
    private var tasks: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 1

    var isEmpty: Bool { tasks.isEmpty }

    mutating func schedule(at deadline: UInt64, _ task: @escaping () -> Void) -> UInt64 {
        let id = nextID
        nextID += 1
        tasks[id] = task
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return id
    }

    mutating func cancel(_ id: UInt64) {
        tasks[id] = nil
    }

    /// Milliseconds from `now` until the earliest live timer, or -1 (wait forever) when there is none.
    mutating func millisecondsUntilNext(now: UInt64) -> Int32 {
        dropCancelledHead()
        guard let first = heap.first else { return -1 }
        return first.deadline <= now ? 0 : Int32(clamping: first.deadline - now)
    }

    /// Removes and returns the tasks whose deadline is at or before `now`, earliest first.
    mutating func popExpired(now: UInt64) -> [() -> Void] {
        var expired: [() -> Void] = []
        while let first = heap.first, first.deadline <= now {
            removeFirst()
            if let task = tasks.removeValue(forKey: first.id) { expired.append(task) }
        }
        return expired
    }

    private mutating func dropCancelledHead() {
        while let first = heap.first, tasks[first.id] == nil { removeFirst() }
    }

    private mutating func removeFirst() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count && heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
