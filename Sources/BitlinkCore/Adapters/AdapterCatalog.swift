/// What bitlink can read from each miner family: the table behind `bitlink miner-types`.
public struct AdapterCatalogEntry: Sendable, Equatable {
    /// Something a family's status read can fill.
    public enum Reading: String, Sendable, CaseIterable {
        case hashrate
        case expectedHashrate = "expected_hashrate"
        case boards
        case temperatures
        case fans
        case power
        case pools
        case shares
        case uptime
        case bestDifficulty = "best_difficulty"
        case sleepState = "sleep_state"
        case errors
    }

    /// The family described.
    public var family: MinerFamily
    /// Human name (`Antminer`, `Braiins OS`).
    public var displayName: String
    /// The protocols bitlink uses to read it.
    public var apis: [String]
    /// Default ports, in the order they are used.
    public var ports: [UInt16]
    /// What the read gives, where the firmware reports it.
    public var reads: [Reading]
    /// Models bitlink knows; others of the family read as `partial`.
    public var models: [String]
    /// Firmware read by this family's adapter.
    public var firmware: [String]
    /// Caveats worth showing to a user.
    public var notes: String
    /// 1-based position in `AdapterRegistry.standard`'s identification order; nil when the
    /// family is not identified on the network.
    public var identificationOrder: Int?

    /// An entry from its parts.
    public init(
        family: MinerFamily, displayName: String, apis: [String], ports: [UInt16], reads: [Reading],
        models: [String], firmware: [String], notes: String, identificationOrder: Int?
    ) {
        self.family = family
        self.displayName = displayName
        self.apis = apis
        self.ports = ports
        self.reads = reads
        self.models = models
        self.firmware = firmware
        self.notes = notes
        self.identificationOrder = identificationOrder
    }
}

/// The table of every family for `bitlink miner-types`, in identification order, ending
/// with NerdMiner v2 (no network API).
public enum AdapterCatalog {
    /// Every family, in identification order, NerdMiner v2 last.
    public static let entries: [AdapterCatalogEntry] = [
        AdapterCatalogEntry(
            family: .braiins, displayName: MinerFamily.braiins.displayName,
            apis: ["CGMiner API (BOSminer/BOSer)"], ports: [4028],
            reads: [.hashrate, .boards, .temperatures, .fans, .power, .pools, .shares, .uptime, .bestDifficulty],
            models: AntminerModels.known,
            firmware: ["BOSminer", "BOSer", "Braiins OS 2018 (bmminer)"],
            notes: "Read with summary+pools+devs+temps+fans+tunerstatus; model from devdetails. "
                + "The gRPC/GraphQL/REST web APIs need a login and are not used for the live read.",
            identificationOrder: 1),
        AdapterCatalogEntry(
            family: .whatsminer, displayName: MinerFamily.whatsminer.displayName,
            apis: ["CGMiner API (btminer v1/v2)", "Whatsminer API v3"], ports: [4028, 4433],
            reads: [.hashrate, .expectedHashrate, .boards, .temperatures, .fans, .power, .pools, .shares, .uptime, .bestDifficulty, .sleepState, .errors],
            models: WhatsminerAdapter.knownBases.sorted(),
            firmware: ["btminer (API v1/v2, firmware before 2024-11)", "btminer API v3 (firmware 20241101+)"],
            notes: "v2: summary+pools+edevs in one multi-command. v3 (port 4433): get.device.info and "
                + "get.miner.status on one connection. Model M30S+_VE40 is shown as M30S+ VE40.",
            identificationOrder: 2),
        AdapterCatalogEntry(
            family: .avalon, displayName: MinerFamily.avalon.displayName,
            apis: ["CGMiner API (cgminer 4.11.1, JSON or text)"], ports: [4028],
            reads: [.hashrate, .expectedHashrate, .boards, .temperatures, .fans, .power, .pools, .shares, .uptime, .bestDifficulty, .sleepState],
            models: AvalonAdapter.knownSeries.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }.map { "Avalon \($0)" }
                + ["Avalon 15-194", "Avalon Q", "Avalon Mini 3", "Avalon Nano 3", "Avalon Nano 3S"],
            firmware: ["Canaan cgminer 4.11.1"],
            notes: "Telemetry from the stats MM ID strings (GHSspd, TMax, Fan1-4, WALLPOWER); "
                + "soft-off (SoftOFF, 'In Idle') reads as sleeping. Power only where WALLPOWER is sent (A15).",
            identificationOrder: 3),
        AdapterCatalogEntry(
            family: .axeos, displayName: MinerFamily.axeos.displayName,
            apis: ["HTTP /api/system/info", "HTTP /api/system/asic"], ports: [80],
            reads: [.hashrate, .expectedHashrate, .temperatures, .fans, .power, .pools, .shares, .uptime, .bestDifficulty, .sleepState],
            models: AxeOSAdapter.knownModels.sorted(),
            firmware: ["AxeOS / ESP-Miner", "NerdOS (NerdQAxe)"],
            notes: "No authentication; AxeOS answers 401 to requests from outside private address ranges.",
            identificationOrder: 4),
        AdapterCatalogEntry(
            family: .nmminer, displayName: MinerFamily.nmminer.displayName,
            apis: ["HTTP /api/system/info", "HTTP /probe"], ports: [80],
            reads: [.hashrate, .temperatures, .pools, .shares, .uptime, .bestDifficulty],
            models: ["NMMiner"],
            firmware: ["NMMiner"],
            notes: "Parsed from the firmware's documented examples; no captured reply yet.",
            identificationOrder: 5),
        AdapterCatalogEntry(
            family: .antminer, displayName: MinerFamily.antminer.displayName,
            apis: ["CGMiner API (cgminer/bmminer)"], ports: [4028],
            reads: [.hashrate, .expectedHashrate, .boards, .temperatures, .fans, .power, .pools, .shares, .uptime, .bestDifficulty, .sleepState, .errors],
            models: AntminerModels.known,
            firmware: ["Bitmain stock", "Hiveon", "VNish", "MSKminer", "asicseer", "Blissz"],
            notes: "Read with summary+pools+stats. Power is only reported by custom firmware. "
                + "Non-Bitcoin Antminers (L3, D3, E3, Z9, Z11) read as partial in their own hash units.",
            identificationOrder: 6),
        AdapterCatalogEntry(
            family: .cgminer, displayName: MinerFamily.cgminer.displayName,
            apis: ["CGMiner API"], ports: [4028],
            reads: [.hashrate, .boards, .temperatures, .fans, .power, .pools, .shares, .uptime, .bestDifficulty],
            models: [],
            firmware: ["LuxOS (LUXminer)", "Auradine (GCMiner/FluxOS)", "Innosilicon (innominer, sgminer)", "Sealminer (bdminer)", "cgminer"],
            notes: "Any other device answering the CGMiner API, read with summary+pools+devs+stats; always partial.",
            identificationOrder: 7),
        AdapterCatalogEntry(
            family: .nerdminer, displayName: MinerFamily.nerdminer.displayName,
            apis: [], ports: [],
            reads: [],
            models: ["NerdMiner v2"],
            firmware: ["NerdMiner_v2"],
            notes: "No network API: NerdMiner v2 cannot be found or read over the network. "
                + "Add it by hand and track it with manual share logs (or its pool's statistics).",
            identificationOrder: nil),
    ]

    /// The entry of a family.
    public static func entry(for family: MinerFamily) -> AdapterCatalogEntry? {
        entries.first { $0.family == family }
    }
}
