/// A way a simulated miner misbehaves. A miner may carry several; on the wire the
/// connection-level ones (`dead` ... `keepOpen`) are exclusive and the first in
/// `Fault.allCases` order wins, while the value-level ones (`sleeping`, `overheating`,
/// `fanFailure`) and `rebooting` change what the replies say.
public enum Fault: String, CaseIterable, Sendable, Hashable, Comparable {
    /// A host that never answers a SYN: its listeners' accept queues are kept full
    /// (`listen(fd, 0)` plus one connection from the simulator that is never accepted),
    /// so a client's `connect` times out. No firewall rule needed.
    case dead
    /// Up and down in turn (30 s each, phase from the seed); down behaves like `dead`.
    case flapping
    /// Accepts the connection, reads the request, never answers.
    case hold
    /// Answers one byte per sim second.
    case drip
    /// Sends half the reply, then closes with SO_LINGER 0 so the peer sees a reset.
    case reset
    /// Sends the first part of the reply and closes (no NUL): a cut reply.
    case truncated
    /// Sends bytes that are not the reply (binary noise and broken JSON), then NUL and close.
    case garbage
    /// Streams a reply far larger than any sane cap (64 MiB by default), never buffered whole.
    case oversized
    /// Sends the reply and the NUL, then leaves the socket open.
    case keepOpen = "keep-open"
    /// Reachable but not hashing: the sleeping captures where they exist, otherwise
    /// hashrate fields at zero and the family's sleep marker set.
    case sleeping
    /// Chip and board temperatures pushed over 90 C.
    case overheating
    /// One fan reports 0 RPM.
    case fanFailure = "fan"
    /// Reboots every 5 sim minutes (phase from the seed): counters and uptime restart.
    case rebooting

    /// Names accepted on the command line, including aliases.
    public static func named(_ name: String) -> Fault? {
        switch name.lowercased() {
        case "malformed", "cut", "truncated": return .truncated
        case "keepopen", "keep-open", "keep_open": return .keepOpen
        case "fan", "fan-failure", "fanfailure", "failed-fan": return .fanFailure
        case "silent": return .dead
        case "reboot", "rebooting": return .rebooting
        case "sleep", "sleeping": return .sleeping
        case "overheat", "overheating", "hot": return .overheating
        case "slow", "drip": return .drip
        default: return Fault(rawValue: name.lowercased())
        }
    }

    /// Whether the fault changes how the connection behaves (rather than what the reply says).
    public var isConnectionLevel: Bool {
        switch self {
        case .dead, .flapping, .hold, .drip, .reset, .truncated, .garbage, .oversized, .keepOpen: return true
        case .sleeping, .overheating, .fanFailure, .rebooting: return false
        }
    }

    /// Declaration order (the precedence of connection-level faults).
    public static func < (lhs: Fault, rhs: Fault) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// `--faults dead=0.1,hold=3`: a fraction (with a dot) or a count of the fleet per fault.
public struct FaultAllocation: Sendable, Equatable {
    /// A share of the fleet or a number of miners.
    public enum Amount: Sendable, Equatable {
        case fraction(Double)
        case count(Int)
    }

    /// The fault.
    public var fault: Fault
    /// How many miners get it.
    public var amount: Amount

    /// An allocation.
    public init(_ fault: Fault, _ amount: Amount) {
        self.fault = fault
        self.amount = amount
    }

    /// How many miners of a fleet of `total` get the fault.
    public func count(of total: Int) -> Int {
        switch amount {
        case .fraction(let fraction): return min(total, Int((fraction * Double(total)).rounded()))
        case .count(let count): return min(total, count)
        }
    }

    /// Parses `name=amount[,name=amount...]`.
    public static func parseList(_ text: String) throws -> [FaultAllocation] {
        var result: [FaultAllocation] = []
        for item in text.split(separator: ",") where !item.isEmpty {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard let fault = Fault.named(pair[0]) else {
                let names = Fault.allCases.map(\.rawValue).joined(separator: ", ")
                throw SimError.invalidValue(what: "fault", value: pair[0], why: "known faults: \(names), malformed")
            }
            guard pair.count == 2 else {
                result.append(FaultAllocation(fault, .count(1)))
                continue
            }
            if pair[1].contains(".") {
                guard let fraction = Double(pair[1]), (0...1).contains(fraction) else {
                    throw SimError.invalidValue(what: "fault fraction", value: pair[1], why: "expected 0.0-1.0")
                }
                result.append(FaultAllocation(fault, .fraction(fraction)))
            } else {
                guard let count = Int(pair[1]), count >= 0 else {
                    throw SimError.invalidValue(what: "fault count", value: pair[1], why: "expected a count or a fraction like 0.1")
                }
                result.append(FaultAllocation(fault, .count(count)))
            }
        }
        return result
    }
}
