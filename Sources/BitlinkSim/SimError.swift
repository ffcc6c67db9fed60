import Glibc

/// Everything that can stop the simulator from starting or from obeying a call.
public enum SimError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The simulator only ever binds 127.0.0.0/8; anything else is refused before any socket exists.
    case notLoopback(String)
    /// A subnet, address, mix, fault list or other value that does not parse.
    case invalidValue(what: String, value: String, why: String)
    /// The subnet cannot hold the requested number of miners.
    case subnetTooSmall(subnet: String, capacity: Int, requested: Int)
    /// A model or family name in `--mix` that the catalog does not know.
    case unknownModel(String)
    /// The fixtures directory (`Tests/Fixtures`) was not found or a fixture could not be read.
    case fixtures(String)
    /// A socket call failed (bind, listen...).
    case socket(call: String, address: String, errno: Int32)
    /// No miner with this index.
    case noSuchMiner(Int)
    /// Another miner already uses this address.
    case addressInUse(String)
    /// The fleet was already stopped.
    case stopped

    /// The message printed after `bitlink-sim: `.
    public var description: String {
        switch self {
        case .notLoopback(let value):
            return "\(value) is not a loopback address: the simulator only binds 127.0.0.0/8"
        case .invalidValue(let what, let value, let why):
            return "invalid \(what) '\(value)': \(why)"
        case .subnetTooSmall(let subnet, let capacity, let requested):
            return "subnet \(subnet) holds \(capacity) miners, \(requested) requested"
        case .unknownModel(let name):
            return "unknown family or model '\(name)' (see 'bitlink-sim models')"
        case .fixtures(let why):
            return "fixtures: \(why)"
        case .socket(let call, let address, let errno):
            return "\(call) \(address): \(SimError.errnoText(errno))"
        case .noSuchMiner(let index):
            return "no simulated miner #\(index)"
        case .addressInUse(let address):
            return "address \(address) is already used by another simulated miner"
        case .stopped:
            return "the fleet is stopped"
        }
    }

    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }
}
