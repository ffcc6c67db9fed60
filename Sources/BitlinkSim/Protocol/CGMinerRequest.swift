import BitlinkCore

/// A request read on the CGMiner API port: the JSON form `{"command":"a+b","parameter":"x"}`
/// or the text form `a|x` (cgminer API-README).
struct CGMinerRequest: Equatable {
    /// The command as sent (`summary`, `pools+summary`).
    var command: String
    var parameter: String?
    /// JSON form; the text form gets text replies where the capture has them.
    var isJSON: Bool

    /// Member commands of a multi-command, in order, duplicates collapsed (as cgminer does).
    var members: [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for part in command.split(separator: "+", omittingEmptySubsequences: false).map(String.init) where seen.insert(part).inserted {
            result.append(part)
        }
        return result
    }

    enum ParseError: Error, Equatable {
        /// Not valid JSON (cgminer Code 23).
        case invalidJSON
        /// JSON without a `command` string (cgminer Code 24).
        case missingCommand
    }

    /// Parses the request bytes (a trailing NUL or newline is ignored).
    static func parse(_ raw: [UInt8]) -> Result<CGMinerRequest, ParseError> {
        var bytes = raw[...]
        while let last = bytes.last, last == 0 || last == 0x0A || last == 0x0D || last == 0x20 { bytes.removeLast() }
        while let first = bytes.first, first == 0x20 || first == 0x0A || first == 0x0D || first == 0x09 { bytes.removeFirst() }
        guard bytes.first == UInt8(ascii: "{") else {
            let text = String(decoding: bytes, as: UTF8.self)
            let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return .success(CGMinerRequest(command: parts[0], parameter: parts.count > 1 ? parts[1] : nil, isJSON: false))
        }
        guard let json = SimJSON.parse(bytes), case .object(let object) = json else { return .failure(.invalidJSON) }
        guard let command = object["command"]?.stringValue else { return .failure(.missingCommand) }
        let parameter = object["parameter"].flatMap { $0.text }
        return .success(CGMinerRequest(command: command, parameter: parameter, isJSON: true))
    }

    /// Whether a JSON request is complete: its braces balance outside strings.
    static func isCompleteJSON(_ bytes: [UInt8]) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        var started = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; started = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
            if started, depth <= 0 { return true }
        }
        return false
    }
}

/// Commands that write or need W: access (cgminer's `(*)` list and vendor writes from
/// protocols.md section 1). They are answered with Code 45 and never acted upon.
enum PrivilegedCommands {
    static let names: Set<String> = [
        "switchpool", "enablepool", "disablepool", "addpool", "removepool", "poolpriority", "poolquota",
        "save", "quit", "restart", "privileged", "pgaenable", "pgadisable", "pgaidentify", "pgaset",
        "ascenable", "ascdisable", "ascidentify", "ascset", "setconfig", "zero", "hotplug", "debug",
        "lockstats", "failover-only", "pause", "resume", "logon", "logoff", "curtail", "rebootdevice",
        "resetminer", "profileset", "fanset", "atmset", "ledset", "addgroup", "groupquota", "reboot",
        "power_off", "power_on", "factory_reset", "update_firmware", "net_config", "update_pools",
    ]

    static func contains(_ command: String) -> Bool {
        names.contains(command) || command.hasPrefix("set_") || command.hasPrefix("set.")
    }
}
