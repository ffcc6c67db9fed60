/// "Did you mean" suggestions by edit distance (git's `help.c` idea).
enum Suggestions {
    /// The closest candidates to `word`, best first; empty when none is close enough.
    static func closest(to word: String, in candidates: [String], limit: Int = 1) -> [String] {
        let target = Array(word.lowercased().utf8)
        // Allow about a third of the word to differ, at least one edit, at most three.
        let threshold = min(3, max(1, target.count / 3))
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            let distance = editDistance(target, Array(candidate.lowercased().utf8))
            return distance <= threshold ? (candidate, distance) : nil
        }
        return scored.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(limit).map(\.0)
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions, and
    /// transpositions of neighbours (the usual typo `--jsno`).
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
