/// A min-heap of deadlines with at most one entry per slot, indexed so an entry can be
/// moved or removed in O(log n) when its connection completes or changes phase. No stale
/// entries pile up, so the heap never holds more than the in-flight count.
struct DeadlineHeap {
    private struct Entry {
        var deadline: UInt64
        var slot: Int32
    }

    private var entries: [Entry] = []
    /// For each slot, its index in `entries`, or -1.
    private var positions: [Int32] = []

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// The earliest deadline and its slot.
    var first: (deadline: UInt64, slot: Int)? {
        entries.first.map { ($0.deadline, Int($0.slot)) }
    }

    /// Sets or moves the deadline of a slot.
    mutating func set(slot: Int, deadline: UInt64) {
        if slot >= positions.count {
            positions.append(contentsOf: repeatElement(-1, count: slot + 1 - positions.count))
        }
        let index = Int(positions[slot])
        if index >= 0 {
            let old = entries[index].deadline
            entries[index].deadline = deadline
            if deadline < old { siftUp(index) } else { siftDown(index) }
        } else {
            entries.append(Entry(deadline: deadline, slot: Int32(slot)))
            positions[slot] = Int32(entries.count - 1)
            siftUp(entries.count - 1)
        }
    }

    /// Removes a slot's deadline, if it has one.
    mutating func remove(slot: Int) {
        guard slot < positions.count else { return }
        let index = Int(positions[slot])
        guard index >= 0 else { return }
        positions[slot] = -1
        let last = entries.count - 1
        if index == last {
            entries.removeLast()
            return
        }
        entries[index] = entries[last]
        entries.removeLast()
        positions[Int(entries[index].slot)] = Int32(index)
        siftDown(index)
        siftUp(index)
    }

    /// Removes and returns the earliest deadline.
    @discardableResult
    mutating func popFirst() -> (deadline: UInt64, slot: Int)? {
        guard let top = first else { return nil }
        remove(slot: top.slot)
        return top
    }

    private mutating func siftUp(_ start: Int) {
        var index = start
        while index > 0 {
            let parent = (index - 1) / 2
            guard entries[index].deadline < entries[parent].deadline else { break }
            swapAt(index, parent)
            index = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var index = start
        while true {
            let left = 2 * index + 1
            guard left < entries.count else { break }
            var smallest = left
            let right = left + 1
            if right < entries.count && entries[right].deadline < entries[left].deadline { smallest = right }
            guard entries[smallest].deadline < entries[index].deadline else { break }
            swapAt(index, smallest)
            index = smallest
        }
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        entries.swapAt(a, b)
        positions[Int(entries[a].slot)] = Int32(a)
        positions[Int(entries[b].slot)] = Int32(b)
    }
}

/// A FIFO queue on a growable ring buffer: O(1) push at either end and pop at the front,
/// and it shrinks back when drained, so a burst of queued exchanges does not keep memory.
struct RingQueue<Element> {
    private var storage: [Element?] = []
    private var head = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = element
        count += 1
    }

    mutating func prepend(_ element: Element) {
        if count == storage.count { grow() }
        head = (head - 1 + storage.count) % storage.count
        storage[head] = element
        count += 1
    }

    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) % storage.count
        count -= 1
        if count == 0 && storage.count > 1024 {
            storage = []
            head = 0
        }
        return element
    }

    private mutating func grow() {
        let capacity = max(16, storage.count * 2)
        var grown = [Element?](repeating: nil, count: capacity)
        for index in 0..<count { grown[index] = storage[(head + index) % storage.count] }
        storage = grown
        head = 0
    }
}

/// Timers ordered by deadline, then by the order they were scheduled.
struct TimerHeap {
    struct Timer {
        var deadline: UInt64
        var sequence: UInt64
        var action: () -> Void
    }

    private var entries: [Timer] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }
    var firstDeadline: UInt64? { entries.first?.deadline }

    mutating func push(deadline: UInt64, action: @escaping () -> Void) {
        entries.append(Timer(deadline: deadline, sequence: nextSequence, action: action))
        nextSequence += 1
        var index = entries.count - 1
        while index > 0 {
            let parent = (index - 1) / 2
            guard Self.precedes(entries[index], entries[parent]) else { break }
            entries.swapAt(index, parent)
            index = parent
        }
    }

    /// Removes and returns the first timer due at `now`, if any.
    mutating func popDue(now: UInt64) -> Timer? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        if entries.isEmpty { return first }
        entries[0] = last
        var index = 0
        while true {
            let left = 2 * index + 1
            guard left < entries.count else { break }
            var smallest = left
            if left + 1 < entries.count && Self.precedes(entries[left + 1], entries[left]) { smallest = left + 1 }
            guard Self.precedes(entries[smallest], entries[index]) else { break }
            entries.swapAt(index, smallest)
            index = smallest
        }
        return first
    }

    mutating func removeAll() { entries = [] }

    private static func precedes(_ a: Timer, _ b: Timer) -> Bool {
        a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence)
    }
}
