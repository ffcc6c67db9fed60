/// One entry of a CGMiner `STATUS` array: how the command went.
///
/// cgminer `api.c`: `STATUS` is `S` success, `I` info, `W` warning, `E` error, `F` fatal;
/// `Code` identifies the message (11 summary, 7 pools, 22 version, 14 invalid command,
/// 45 access denied...). Whatsminer and Avalon Q send fewer keys (no `When`, `Code` or
/// `Description`); every field but the letter is optional.
public struct CGMinerStatus: Sendable, Equatable {
    /// The `STATUS` letter.
    public enum Severity: String, Sendable, Equatable {
        case success = "S"
        case info = "I"
        case warning = "W"
        case error = "E"
        case fatal = "F"
        case unknown = "?"
    }

    /// The `STATUS` letter (`unknown` when missing or not one letter).
    public var severity: Severity
    /// `Code`: 11 summary, 7 pools, 14 invalid command, 45 access denied, 131 Whatsminer OK...
    public var code: Int?
    /// `Msg` when it is text (`"Summary"`, `"Access denied to 'devdetails' command"`).
    public var message: String?
    /// `Description`: the mining software and version, the main firmware fingerprint.
    public var description: String?
    /// `When`: the device's clock, Unix seconds (Avalon counts from boot).
    public var when: Int64?

    /// A status from its parts.
    public init(severity: Severity, code: Int? = nil, message: String? = nil, description: String? = nil, when: Int64? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.description = description
        self.when = when
    }

    /// The command ran (S, I or W).
    public var isSuccess: Bool { severity == .success || severity == .info || severity == .warning }

    /// Code 45: the API allow-list refuses the command. A typed "not permitted", not a
    /// parse error (`Tests/Fixtures/antminer/S19j-Pro_Hiveon-fw-2024-04/devdetails_ERROR-access-denied.json`).
    public var isNotPermitted: Bool {
        !isSuccess && (code == 45 || (message?.lowercased().hasPrefix("access denied") ?? false))
    }

    /// Code 14: the firmware does not know the command
    /// (`Tests/Fixtures/avalon/Avalon-Q_fw25052801/minerstats_ERROR-invalid-command.json`).
    public var isInvalidCommand: Bool {
        !isSuccess && (code == 14 || (message?.lowercased().hasPrefix("invalid c") ?? false))
    }

    /// Reads a status object (`{"STATUS":"S","When":..,"Code":..,"Msg":..,"Description":..}`),
    /// also with the lower-case keys of the Antminer new API (`when`).
    init(object: JSONObject) {
        self.init(
            severity: Self.severity(object["STATUS"]),
            code: object["Code"]?.intValue ?? object["code"]?.intValue,
            message: object["Msg"]?.stringValue ?? object["msg"]?.stringValue,
            description: object["Description"]?.stringValue ?? object["description"]?.stringValue,
            when: (object["When"] ?? object["when"])?.intValue.map(Int64.init)
        )
    }

    static func severity(_ value: JSONValue?) -> Severity {
        // One letter; anything else (the edited new-API capture says "string") is unknown.
        guard let letter = value?.stringValue?.trimmingASCIISpaces().uppercased(), letter.count == 1 else {
            return .unknown
        }
        return Severity(rawValue: letter) ?? .unknown
    }
}

/// A named part of a CGMiner reply (`SUMMARY`, `POOLS`, `STATS`...): its items in order.
public struct CGMinerSection: Sendable, Equatable {
    /// The key in the reply (`SUMMARY`, `POOL0`).
    public var name: String
    /// The objects of the section, in order.
    public var items: [JSONObject]

    /// A section from its parts.
    public init(name: String, items: [JSONObject]) {
        self.name = name
        self.items = items
    }
}

/// The envelope of one CGMiner API reply, in any of the shapes firmware sends:
///
/// - the classic `{"STATUS":[{...}],"SUMMARY":[{...}],"id":1}`;
/// - numbered sections of old sgminer (`"POOL0":[...],"POOL1":[...]`, `"STATS0"`...),
///   read back by `section("POOLS")` / `section("STATS")`
///   (`Tests/Fixtures/innosilicon/A9-ZMaster_sgminer-4.4.2_foreman/`);
/// - the Whatsminer flat envelope `{"STATUS":"S","Code":131,"Msg":{...},"Description":..}`
///   whose `Msg` object is `message`;
/// - the Antminer new API `{"STATUS":{"STATUS":"S","when":..},"INFO":{...},"STATS":[...]}`;
/// - the text form `STATUS=S,...|SECTION,key=value,...|` (see `CGMinerTextReply`).
public struct CGMinerReply: Sendable, Equatable {
    /// Every entry of `STATUS`, usually one.
    public var statuses: [CGMinerStatus]
    /// The sections other than `STATUS` and `id`, in the order received.
    public var sections: [CGMinerSection]
    /// The `Msg` object of a Whatsminer flat envelope (`get_version`, `status`, `get_psu`).
    public var message: JSONObject?
    /// The request id echoed back, if any.
    public var id: Int?

    /// A reply from its parts.
    public init(statuses: [CGMinerStatus], sections: [CGMinerSection] = [], message: JSONObject? = nil, id: Int? = nil) {
        self.statuses = statuses
        self.sections = sections
        self.message = message
        self.id = id
    }

    /// The first status entry.
    public var status: CGMinerStatus? { statuses.first }

    /// True when the first status says the command ran.
    public var isSuccess: Bool { status?.isSuccess ?? false }

    /// The items of a section. Names match case-insensitively; when the exact section is
    /// absent, numbered sections are merged in order (`POOLS` from `POOL0`, `POOL1`...;
    /// `STATS` from `STATS0`, `STATS1`...).
    public func section(_ name: String) -> [JSONObject] {
        let wanted = name.uppercased()
        if let exact = sections.first(where: { $0.name.uppercased() == wanted }) { return exact.items }
        let singular = wanted.hasSuffix("S") ? String(wanted.dropLast()) : wanted
        // The text form names each item after its kind: `POOL=0,...|`, `ASC=0,...|`.
        let aliases = [singular] + (Self.textAliases[wanted] ?? [])
        let aliased = sections.filter { aliases.contains($0.name.uppercased()) }.flatMap(\.items)
        if !aliased.isEmpty { return aliased }
        var numbered: [(Int, [JSONObject])] = []
        for section in sections {
            let upper = section.name.uppercased()
            for base in [wanted, singular] where upper.count > base.count && upper.hasPrefix(base) {
                if let number = Int(upper.dropFirst(base.count)) {
                    numbered.append((number, section.items))
                    break
                }
            }
        }
        return numbered.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }

    /// The first item of a section.
    public func first(_ name: String) -> JSONObject? { section(name).first }

    /// Device sections of the text form, named after the device kind.
    static let textAliases: [String: [String]] = [
        "DEVS": ["ASC", "PGA", "GPU"],
        "EDEVS": ["ASC", "PGA", "GPU"],
    ]

    /// Reads a reply from bytes: JSON (lenient, see `JSONParser`) or the text form.
    /// - Parameter salvage: close a truncated reply after its last complete value.
    /// - Throws: `ProtocolError` when the bytes are not a CGMiner reply.
    public static func decode(_ bytes: [UInt8], salvage: Bool = false) throws(ProtocolError) -> CGMinerReply {
        if CGMinerTextReply.looksLikeText(bytes) {
            return try CGMinerTextReply.decode(bytes, salvage: salvage)
        }
        let value = try JSONParser.parse(bytes, salvage: salvage)
        return try CGMinerReply(json: value)
    }

    /// Reads the envelope of an already parsed reply.
    /// - Throws: `ProtocolError.invalid` when there is no `STATUS`.
    public init(json: JSONValue) throws(ProtocolError) {
        guard case .object(let root) = json else {
            throw .invalid("a CGMiner reply is a JSON object", offset: 0)
        }
        guard let statusValue = root["STATUS"] else {
            throw .invalid("not a CGMiner reply: no STATUS", offset: 0)
        }
        var statuses: [CGMinerStatus] = []
        var message: JSONObject?
        switch statusValue {
        case .array(let entries):
            statuses = entries.compactMap { $0.objectValue.map(CGMinerStatus.init(object:)) }
        case .object(let object):
            // Antminer new API: `"STATUS":{"STATUS":"S","when":..,"Msg":"stats"}`.
            statuses = [CGMinerStatus(object: object)]
        case .string:
            // Whatsminer flat envelope: the status keys sit at the top level, `Msg` may be an object.
            var status = CGMinerStatus(object: root)
            if case .object(let msg) = root["Msg"] ?? .null {
                message = msg
                status.message = nil
            }
            statuses = [status]
        default:
            throw .invalid("STATUS is neither a list nor an object", offset: 0)
        }
        let flat = message != nil || statusValue.stringValue != nil
        var sections: [CGMinerSection] = []
        for entry in root where entry.key != "STATUS" && entry.key != "id" {
            if flat, ["When", "Code", "Msg", "Description"].contains(entry.key) { continue }
            switch entry.value {
            case .array(let items):
                sections.append(CGMinerSection(name: entry.key, items: items.compactMap(\.objectValue)))
            case .object(let object):
                sections.append(CGMinerSection(name: entry.key, items: [object]))
            default:
                continue
            }
        }
        self.init(statuses: statuses, sections: sections, message: message, id: root["id"]?.intValue)
    }
}

/// The reply to a multi-command request (`{"command":"summary+pools"}`, API 3.1+): one
/// reply per command, each with its own status.
///
/// Real firmware wraps each member in a one-element array
/// (`{"summary":[{"STATUS":[...],"SUMMARY":[...],"id":1}],"pools":[{...}],"id":1}`,
/// `Tests/Fixtures/avalon/A1047_foreman/pools+summary+stats.json`); a bare object is read
/// too. An invalid member has its own E status and does not spoil the others. Firmware
/// without multi-command support answers a single E status instead: `failure`.
public struct CGMinerMultiReply: Sendable, Equatable {
    /// Replies by command, lower-cased (`"summary"`, `"pools"`).
    public var members: [String: CGMinerReply]
    /// Set when the whole request was refused (bad JSON, no multi-command support).
    public var failure: CGMinerStatus?

    /// A multi-command reply from its parts.
    public init(members: [String: CGMinerReply], failure: CGMinerStatus? = nil) {
        self.members = members
        self.failure = failure
    }

    /// The reply to one command of the request.
    public subscript(command: String) -> CGMinerReply? { members[command.lowercased()] }

    /// Reads a multi-command reply.
    /// - Parameter commands: the commands that were joined with `+`.
    /// - Throws: `ProtocolError` when the bytes are not JSON, or not a CGMiner reply at all.
    public static func decode(_ bytes: [UInt8], commands: [String], salvage: Bool = false) throws(ProtocolError) -> CGMinerMultiReply {
        if CGMinerTextReply.looksLikeText(bytes) {
            // The text form has no multi-command shape: only an error or a single reply.
            return try split(single: CGMinerTextReply.decode(bytes, salvage: salvage), commands: commands)
        }
        let value = try JSONParser.parse(bytes, salvage: salvage)
        return try decode(json: value, commands: commands)
    }

    /// Splits an already parsed multi-command reply.
    public static func decode(json: JSONValue, commands: [String]) throws(ProtocolError) -> CGMinerMultiReply {
        guard case .object(let root) = json else {
            throw .invalid("a CGMiner reply is a JSON object", offset: 0)
        }
        if root["STATUS"] != nil {
            return try split(single: CGMinerReply(json: json), commands: commands)
        }
        var members: [String: CGMinerReply] = [:]
        for entry in root where entry.key != "id" {
            let memberValue: JSONValue
            switch entry.value {
            case .array(let wrapped):
                guard let first = wrapped.first else { continue }
                memberValue = first
            case .object:
                memberValue = entry.value
            default:
                continue
            }
            if let reply = try? CGMinerReply(json: memberValue) {
                members[entry.key.lowercased()] = reply
            }
        }
        guard !members.isEmpty else {
            throw .invalid("not a CGMiner multi-command reply", offset: 0)
        }
        return CGMinerMultiReply(members: members)
    }

    /// A multi-command request answered with one plain reply: an error refuses the whole
    /// request; a success is kept for a one-command request only.
    static func split(single reply: CGMinerReply, commands: [String]) throws(ProtocolError) -> CGMinerMultiReply {
        if !reply.isSuccess {
            return CGMinerMultiReply(members: [:], failure: reply.status ?? CGMinerStatus(severity: .unknown))
        }
        if commands.count == 1, let command = commands.first {
            return CGMinerMultiReply(members: [command.lowercased(): reply])
        }
        // A success without members: the firmware ran something else. Keep nothing.
        return CGMinerMultiReply(members: [:], failure: reply.status)
    }
}
