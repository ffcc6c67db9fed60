import BitlinkCore

/// Every simulated model, built from the fixture directories in `Tests/Fixtures`.
///
/// Directories holding only web-UI or REST captures behind authentication (Antminer
/// `*.cgi`, Braiins gRPC/GraphQL/REST, ePIC, Goldshell, Innosilicon web) are not
/// simulated: bitlink reads none of them.
public enum ModelCatalog {
    /// Every model, by family.
    public static let all: [SimModel] = antminer + whatsminer + avalon + braiins + home + generic

    /// A model by short name (case-insensitive).
    public static func model(named name: String) -> SimModel? {
        let lowered = name.lowercased()
        return all.first { $0.name == lowered }
    }

    /// Models picked when a mix names a family.
    public static func rotation(for family: MinerFamily) -> [SimModel] {
        all.filter { $0.family == family && $0.inRotation }
    }

    /// Family names accepted in `--mix`, with aliases for the generic CGMiner family.
    public static func family(named name: String) -> MinerFamily? {
        switch name.lowercased() {
        case "bitaxe", "nerdqaxe": return .axeos
        case "generic", "cgminer": return .cgminer
        case "bos", "braiins-os": return .braiins
        case "canaan": return .avalon
        default: return MinerFamily(rawValue: name.lowercased())
        }
    }

    private static let bitmainStock = "cgminer 1.0.0"

    static let antminer: [SimModel] = [
        SimModel("s19-pro", .antminer, model: "Antminer S19 Pro", firmware: "stock (CompileTime 2022-12-06)",
                 directory: "antminer/S19-Pro_stock-fw-CompileTime-2022-12-06", http: .antminerDigest, rotation: true,
                 description: bitmainStock),
        SimModel("s19", .antminer, model: "Antminer S19", firmware: "stock", directory: "antminer/S19_foreman",
                 http: .antminerDigest, rotation: true, description: bitmainStock),
        SimModel("s19-pro-cold", .antminer, model: "Antminer S19 Pro", firmware: "stock",
                 directory: "antminer/S19-Pro_really-cold_foreman", http: .antminerDigest, description: bitmainStock),
        SimModel("s19-pro-foreman", .antminer, model: "Antminer S19 Pro", firmware: "stock",
                 directory: "antminer/S19-Pro_foreman", http: .antminerDigest, description: bitmainStock),
        SimModel("s17-plus", .antminer, model: "Antminer S17+", firmware: "stock", directory: "antminer/S17+_foreman",
                 http: .antminerDigest, sleepingVariant: "s17-plus-sleeping", description: bitmainStock),
        SimModel("s17", .antminer, model: "Antminer S17", firmware: "stock", directory: "antminer/S17_foreman",
                 http: .antminerDigest, description: bitmainStock),
        SimModel("s17-plus-sleeping", .antminer, model: "Antminer S17+", firmware: "stock (sleep mode)",
                 directory: "antminer/S17+_sleeping_foreman", http: .antminerDigest, sleeping: true,
                 description: bitmainStock),
        SimModel("t17-plus-sleeping", .antminer, model: "Antminer T17+", firmware: "stock (sleep mode)",
                 directory: "antminer/T17+_sleeping_foreman", http: .antminerDigest, sleeping: true,
                 description: bitmainStock),
        SimModel("s9", .antminer, model: "Antminer S9", firmware: "stock", directory: "antminer/S9_foreman",
                 http: .antminerDigest, description: bitmainStock),
        SimModel("s9i", .antminer, model: "Antminer S9i", firmware: "bmminer 2.4.2",
                 directory: "antminer/S9i_bmminer-2.4.2_bad-password_foreman", http: .antminerDigest,
                 description: "bmminer 2.4.2"),
        SimModel("s9-hiveon", .antminer, model: "Antminer S9", firmware: "Hiveon", directory: "antminer/S9_Hiveon_foreman",
                 http: .antminerDigest, rotation: true, description: bitmainStock),
        SimModel("s19j-pro-hiveon", .antminer, model: "Antminer S19j Pro", firmware: "Hiveon 2024-04",
                 directory: "antminer/S19j-Pro_Hiveon-fw-2024-04", http: .antminerDigest, rotation: true,
                 description: "bmminer 4.11.1 rwglr"),
        SimModel("s9-vnish", .antminer, model: "Antminer S9", firmware: "VNish 3.8.6 (NiceHash)",
                 directory: "antminer/S9_vnish-3.8.6_NiceHash_foreman", http: .antminerDigest, rotation: true,
                 description: bitmainStock),
        SimModel("s17-plus-vnish", .antminer, model: "Antminer S17+", firmware: "VNish 2.0.3",
                 directory: "antminer/S17+_vnish-2.0.3_asicdip_foreman", http: .antminerDigest, rotation: true,
                 description: bitmainStock),
        SimModel("s19-88-mskminer", .antminer, model: "Antminer S19-88", firmware: "MSKminer 2.6.0.39",
                 directory: "antminer/S19-88_MSKminer-2.6.0.39", http: .antminerDigest, rotation: true,
                 description: bitmainStock),
        SimModel("s9-pro-mskminer", .antminer, model: "Antminer S9 Pro", firmware: "MSKminer 5.1",
                 directory: "antminer/S9-Pro_MSKminer-v5.1_foreman", http: .antminerDigest, rotation: true,
                 description: bitmainStock),
        SimModel("s9-asicseer", .antminer, model: "Antminer S9", firmware: "asicseer",
                 directory: "antminer/S9_asicseer_foreman", http: .antminerDigest, rotation: true,
                 description: bitmainStock),
        SimModel("l3-plus", .antminer, model: "Antminer L3+", firmware: "stock", directory: "antminer/L3+_foreman",
                 http: .antminerDigest, description: bitmainStock),
        SimModel("d3-blissz", .antminer, model: "Antminer D3", firmware: "Blissz", directory: "antminer/D3-Blissz_foreman",
                 http: .antminerDigest, description: bitmainStock),
        SimModel("e3", .antminer, model: "Antminer E3", firmware: "stock", directory: "antminer/E3_foreman",
                 http: .antminerDigest, description: bitmainStock),
        SimModel("z11", .antminer, model: "Antminer Z11", firmware: "stock", directory: "antminer/Z11_foreman",
                 http: .antminerDigest, description: bitmainStock),
        SimModel("z11-chipless", .antminer, model: "Antminer Z11", firmware: "stock",
                 directory: "antminer/Z11_chipless_foreman", http: .antminerDigest, description: bitmainStock),
        SimModel("z9", .antminer, model: "Antminer Z9", firmware: "stock", directory: "antminer/Z9_foreman",
                 http: .antminerDigest, description: bitmainStock),
        SimModel("z9-mini", .antminer, model: "Antminer Z9-Mini", firmware: "stock", directory: "antminer/Z9-Mini_foreman",
                 http: .antminerDigest, description: bitmainStock),
        SimModel("b3", .antminer, model: "Antminer B3", firmware: "stock", directory: "antminer/B3_foreman",
                 http: .antminerDigest, description: bitmainStock),
    ]

    static let whatsminer: [SimModel] = [
        SimModel("m3x", .whatsminer, model: "Whatsminer M3x", firmware: "20210322.22 (API v1.4.0)",
                 directory: "whatsminer/M3x_fw20210322.22_api-v1.4.0", http: .whatsminerRedirect, rotation: true,
                 errorStyle: .whatsminer, description: "whatsminer v1.4.0"),
        SimModel("m20s", .whatsminer, model: "Whatsminer M20S", firmware: "LuCI-era btminer",
                 directory: "whatsminer/M20S_luci-era-fw_foreman", http: .whatsminerRedirect, rotation: true,
                 errorStyle: .whatsminer, description: "whatsminer v1.1"),
        SimModel("m20s-old", .whatsminer, model: "Whatsminer M20S", firmware: "old btminer",
                 directory: "whatsminer/M20S_old-fw_foreman", http: .whatsminerRedirect,
                 errorStyle: .whatsminer, description: "whatsminer v1.1"),
        SimModel("m30-hydro", .whatsminer, model: "Whatsminer M30 (hydro/immersion)", firmware: "2022",
                 directory: "whatsminer/M30-hydro-or-immersion_2022", http: .whatsminerRedirect,
                 errorStyle: .whatsminer, description: "whatsminer v1.1"),
        SimModel("m30s-plus", .whatsminer, model: "Whatsminer M30S+ VE40", firmware: "2024-09-30",
                 directory: "whatsminer/M30S+_VE40_fw-2024-09-30", http: .whatsminerRedirect, rotation: true,
                 errorStyle: .whatsminer, description: "whatsminer v1.1"),
        SimModel("m31s-sleeping", .whatsminer, model: "Whatsminer M31S", firmware: "20200512.13 (btminer off)",
                 directory: "whatsminer/M31S_sleeping_foreman", http: .whatsminerRedirect, sleeping: true,
                 errorStyle: .whatsminer, description: "whatsminer v1.3"),
        // API v3 firmware: 4433 is the API that answers; 4028 is still open but has no capture.
        SimModel("m60s", .whatsminer, model: "Whatsminer M60S VK40", firmware: "20251209.16.Rel2 (API v3.0.2)",
                 directory: "whatsminer/M60S-VK40_fw20251209.16_api-v3.0.2", http: .whatsminerRedirect, v3: true,
                 rotation: true, errorStyle: .whatsminer, description: "whatsminer v3.0.2"),
    ]

    static let avalon: [SimModel] = [
        SimModel("avalon-q", .avalon, model: "Avalon Q", firmware: "25052801 (soft-off as captured)",
                 directory: "avalon/Avalon-Q_fw25052801", http: .none, sleeping: true, rotation: true,
                 errorStyle: .noDescription, description: "cgminer 4.11.1"),
        SimModel("avalon-1246", .avalon, model: "AvalonMiner 1246-81", firmware: "21030201",
                 directory: "avalon/AvalonMiner-1246-81_fw21030201", http: .none, rotation: true,
                 description: "cgminer 4.11.1"),
        SimModel("avalon-1566", .avalon, model: "AvalonMiner 15-194", firmware: "24102401",
                 directory: "avalon/AvalonMiner-1566-194_fw24102401", http: .none, rotation: true,
                 description: "cgminer 4.11.1"),
        // Only when named: its `stats` capture is truncated, so it answers like a broken device.
        SimModel("avalon-mini3", .avalon, model: "Avalon Mini3", firmware: "25011701 (text API captures)",
                 directory: "avalon/Mini3_fw25011701", http: .none, description: "cgminer 4.11.1"),
        SimModel("avalon-nano3", .avalon, model: "Avalon Nano 3", firmware: "24071801 (stats only)",
                 directory: "avalon/Nano3_fw24071801", http: .none, description: "cgminer 4.11.1"),
        SimModel("avalon-a1047", .avalon, model: "AvalonMiner 1047", firmware: "cgminer 4.11.1 (multi-command capture)",
                 directory: "avalon/A1047_foreman", http: .none, description: "cgminer 4.11.1"),
        SimModel("avalon-a7", .avalon, model: "AvalonMiner 7xx", firmware: "cgminer", directory: "avalon/A7xx_foreman",
                 http: .none, description: "cgminer 4.10.0"),
    ]

    static let braiins: [SimModel] = [
        SimModel("s9-bosminer", .braiins, model: "Antminer S9", firmware: "BOSminer 0.2.0",
                 directory: "braiins/S9_BOSminer-0.2.0_foreman",
                 extraFiles: ["version": "braiins/S9_bOS-2018-bmminer_and_BOSminer-0.2.0_foreman/version__2.json"],
                 http: .braiinsPage, rotation: true, description: "BOSminer 0.2.0-d360818"),
        SimModel("s9-bos-2018", .braiins, model: "Antminer S9", firmware: "bOS 2018 (bmminer)",
                 directory: "braiins/S9_bOS-2018-bmminer_and_BOSminer-0.2.0_foreman", http: .braiinsPage,
                 description: "bmminer bOS_am1-s9-20181127-0_c34516b0"),
        SimModel("boser-22.08", .braiins, model: "unknown (BOSer)", firmware: "Braiins OS+ 22.08",
                 directory: "braiins/BOS-22.08-plus_unknown-model", http: .braiinsPage,
                 description: "BOSer boser-openwrt 0.1.0-11012d53"),
        SimModel("boser-24.09", .braiins, model: "unknown (BOSer)", firmware: "Braiins OS 24.09",
                 directory: "braiins/BOS-24.09_unknown-model", http: .braiinsPage, rotation: true,
                 description: "BOSer boser-buildroot 0.1.0-75912fc7"),
        SimModel("boser-25.03", .braiins, model: "unknown (BOSer)", firmware: "Braiins OS+ 25.03",
                 directory: "braiins/BOS-25.03-plus_unknown-model", http: .braiinsPage,
                 description: "BOSer boser-buildroot 0.1.0-75912fc7"),
        SimModel("boser-25.05", .braiins, model: "unknown (BOSer)", firmware: "Braiins OS+ 25.05.1",
                 directory: "braiins/BOS-25.05.1-plus_unknown-model", http: .braiinsPage,
                 description: "BOSer boser-buildroot 0.1.0-45f356ea"),
    ]

    static let home: [SimModel] = [
        SimModel("bitaxe-supra", .axeos, model: "Bitaxe Supra (BM1368, board 401)", firmware: "AxeOS v2.4.5",
                 directory: "bitaxe/Supra-BM1368-board401_AxeOS-v2.4.5",
                 extraFiles: ["api_system_asic": "bitaxe/Supra-BM1368_AxeOS-2025-08/api_system_asic.json"],
                 http: .axeos, hasAPI: false, rotation: true, description: ""),
        SimModel("nerdqaxe-plus-plus", .axeos, model: "NerdQAxe++ (BM1370 x4)", firmware: "NerdOS v1.1.0-beta1",
                 directory: "nerdqaxe/NerdQAxe++-BM1370x4_NerdOS-v1.1.0-beta1", http: .axeos, hasAPI: false,
                 rotation: true, description: ""),
        SimModel("nmminer", .nmminer, model: "NMMiner ESP32", firmware: "2.1.0 (documentation example)",
                 directory: "nmminer/NMMiner-ESP32_fw2.1.0_doc-example", http: .nmminer, hasAPI: false,
                 rotation: true, description: ""),
    ]

    static let generic: [SimModel] = [
        SimModel("auradine-at1500", .cgminer, model: "Auradine AT1500", firmware: "FluxOS 2023 (GCMiner)",
                 directory: "auradine/AT1500_FluxOS-2023", http: .none, rotation: true,
                 description: "GCMiner-0.5-devsbXXX"),
        SimModel("sealminer", .cgminer, model: "Bitdeer SealMiner", firmware: "bdminer 4.11.1",
                 directory: "sealminer/Sealminer_bdminer-4.11.1", http: .none, rotation: true,
                 description: "bdminer 4.11.1"),
        SimModel("innosilicon-a9", .cgminer, model: "Innosilicon A9", firmware: "innominer a9-1.1.0",
                 directory: "innosilicon/A9_innominer-a9-1.1.0_foreman", http: .none, rotation: true,
                 description: "innominer a9-1.1.0"),
        SimModel("innosilicon-a9-zmaster", .cgminer, model: "Innosilicon A9 ZMaster", firmware: "sgminer 4.4.2",
                 directory: "innosilicon/A9-ZMaster_sgminer-4.4.2_foreman", http: .none, description: "sgminer 4.4.2"),
        SimModel("cheetah-f9", .cgminer, model: "Cheetah F9", firmware: "cgminer 4.10.0",
                 directory: "cheetah/Cheetah-F9_cgminer-4.10.0", http: .none, rotation: true,
                 description: "cgminer 4.10.0"),
    ]
}
