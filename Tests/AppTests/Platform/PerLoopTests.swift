import Synchronization
import Testing
@testable import App

/// Per-loop state: each loop's element on cache lines of its own, made once, changed in place, freed with its owner.
@Suite struct PerLoopTests {
    /// The loops whose elements have been deinitialized.
    private final class Freed: Sendable {
        let loops = Mutex<[Int]>([])
    }

    private struct Element: ~Copyable {
        let loop: Int
        var writes = 0
        let freed: Freed

        deinit { freed.loops.withLock { [loop] in $0.append(loop) } }
    }

    /// No two loops' elements share a 128-byte block, even when an element is a few bytes.
    @Test func elementsStartOnCacheLinesOfTheirOwn() {
        let values = PerLoop<Int>(count: 4) { $0 * 10 }
        for loop in 0..<values.count { values[loop] += 1 }
        #expect((0..<values.count).map { values[$0] } == [1, 11, 21, 31])
        let addresses = (0..<values.count).map { Int(bitPattern: values.pointer(to: $0)) }
        #expect(addresses.allSatisfy { $0 % 128 == 0 })
        #expect(zip(addresses, addresses.dropFirst()).allSatisfy { $1 - $0 >= 128 })
    }

    /// A non-copyable element is made from its loop's index, changed in place, and deinitialized with its owner.
    @Test func elementsAreChangedInPlaceAndFreedWithTheirOwner() {
        let freed = Freed()
        do {
            let elements = PerLoop<Element>(count: 3) { Element(loop: $0, freed: freed) }
            elements[1].writes += 2
            elements[2].writes += 1
            #expect((0..<3).map { elements[$0].writes } == [0, 2, 1])
            #expect((0..<3).map { elements[$0].loop } == [0, 1, 2])
            #expect(freed.loops.withLock { $0 }.isEmpty)
        }
        #expect(freed.loops.withLock { $0 }.sorted() == [0, 1, 2])
    }
}
