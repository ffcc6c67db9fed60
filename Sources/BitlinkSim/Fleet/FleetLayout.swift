import BitlinkCore

/// Where miners sit in the subnet and which of them get which fault.
enum FleetLayout {
    static func addresses(count: Int, subnet: LoopbackSubnet, layout: FleetConfig.Layout, seed: UInt64) throws -> [IPv4Address] {
        let capacity = subnet.usableCount
        guard count <= capacity else {
            throw SimError.subnetTooSmall(subnet: subnet.description, capacity: capacity, requested: count)
        }
        switch layout {
        case .sequential:
            return (0..<count).map { subnet.usableAddress($0) }
        case .scattered:
            if capacity <= 1 << 20 {
                let order = SimRandom.permutation(count: capacity, seed: seed, salt: 0x5CA7)
                return order.prefix(count).map { subnet.usableAddress($0) }
            }
            var chosen: [Int] = []
            var seen: Set<Int> = []
            var attempt: UInt64 = 0
            while chosen.count < count {
                let pick = Int(SimRandom.hash(seed, 0x5CA7, attempt) % UInt64(capacity))
                attempt += 1
                if seen.insert(pick).inserted { chosen.append(pick) }
            }
            return chosen.map { subnet.usableAddress($0) }
        }
    }

    /// One allocated fault per miner at most (allocations in order over a seeded
    /// permutation), plus the explicit per-miner faults.
    static func faults(count: Int, allocations: [FaultAllocation], explicit: [Int: Set<Fault>], seed: UInt64) -> [Set<Fault>] {
        var result = [Set<Fault>](repeating: [], count: count)
        let order = SimRandom.permutation(count: count, seed: seed, salt: 0xFA17)
        var next = 0
        for allocation in allocations {
            for _ in 0..<allocation.count(of: count) where next < order.count {
                result[order[next]].insert(allocation.fault)
                next += 1
            }
        }
        for (index, faults) in explicit where result.indices.contains(index) { result[index].formUnion(faults) }
        return result
    }
}
