import Testing

@testable import BitlinkCore

/// The identification flow the caller runs: probes -> follow-ups -> identify -> read plan
/// minus already-answered requests -> parse; with connection counting and read-only checks.
@Suite("Adapter registry, identification flow and read-only plans")
struct AdapterRegistryTests {
    // MARK: Probe builders

    /// A `version+devdetails` multi-command reply made from two single replies, as firmware
    /// with multi-command support answers (each member a one-element array).
    static func multi(_ members: [(String, String)]) -> String {
        "{" + members.map { "\"\($0.0)\":[\($0.1)]" }.joined(separator: ",") + ",\"id\":1}"
    }

    static func text(_ path: String) -> String { Fixtures.text(path) }

    static let invalidCommand = #"{"STATUS":[{"STATUS":"E","When":1,"Code":14,"Msg":"Invalid command","Description":"cgminer 4.11.1"}],"id":1}"#
    static let notFound = ReplyResult.success(.http(HTTPResponse(status: 404, reason: "Not Found")))

    /// Counts connections: one per CGMiner or HTTP request, one per group of Whatsminer v3
    /// requests (the IO engine sends several length-prefixed requests on one connection).
    static func connections(_ requests: [Request]) -> Int {
        let v3 = requests.contains { if case .whatsminerV3 = $0.kind { return true } else { return false } }
        return requests.filter { if case .whatsminerV3 = $0.kind { return false } else { return true } }.count + (v3 ? 1 : 0)
    }

    struct Flow {
        var family: MinerFamily?
        var identification: Identification?
        var followUps: [Request]
        var plan: [Request]
        var toSend: [Request]
        var connections: Int
        var status: MinerStatus?
    }

    /// Runs the flow. `answer` supplies replies for follow-up and read requests.
    static func run(probes: Replies, answer: (Request) -> ReplyResult?) throws -> Flow {
        let registry = AdapterRegistry.standard
        var replies = probes
        var count = connections(Probes.all)
        let followUps = registry.followUpProbes(replies)
        count += connections(followUps)
        for request in followUps {
            replies[request] = answer(request) ?? .failure(.refused)
        }
        guard let (adapter, identification) = registry.identify(replies) else {
            return Flow(family: nil, identification: nil, followUps: followUps, plan: [], toSend: [], connections: count, status: nil)
        }
        let plan = adapter.readPlan(for: identification)
        let toSend = plan.filter { replies[$0] == nil }
        count += connections(toSend)
        for request in toSend {
            replies[request] = answer(request) ?? .failure(.timeout)
        }
        let status = try adapter.parse(replies, identification: identification)
        return Flow(family: adapter.family, identification: identification, followUps: followUps, plan: plan, toSend: toSend, connections: count, status: status)
    }

    // MARK: Scenarios: every family within three connections

    @Test func antminerStock() throws {
        let dir = "antminer/S19-Pro_stock-fw-CompileTime-2022-12-06"
        var probes = Replies()
        probes.add(Probes.cgminerVersion, Self.multi([
            ("version", Self.text("\(dir)/version.json")),
            ("devdetails", Self.text("antminer/S19j-Pro_Hiveon-fw-2024-04/devdetails_ERROR-access-denied.json")),
        ]))
        probes[Probes.httpSystemInfo] = .success(.http(HTTPResponse(
            status: 401, headers: [("www-authenticate", #"Digest realm="antMiner Configuration", nonce="x""#)])))
        let flow = try Self.run(probes: probes) { request in
            guard request == .cgminer("summary+pools+stats") else { return nil }
            return .success(.bytes(Array(Self.multi([
                ("summary", Self.text("\(dir)/summary.json")), ("pools", Self.text("\(dir)/pools.json")), ("stats", Self.text("\(dir)/stats.json")),
            ]).utf8)))
        }
        #expect(flow.family == .antminer)
        #expect(flow.followUps.isEmpty)
        #expect(flow.plan == [.cgminer("summary+pools+stats")])
        #expect(flow.connections == 3)
        expectClose(flow.status?.hashrate, 110_566.89e9, "hashrate")
        #expect(flow.status?.pools.first?.user == "satokierepair.H04YK")
    }

    @Test func whatsminerAPIv2() throws {
        // btminer: `version` is an invalid command, `devdetails` names the model.
        var probes = Replies()
        probes.add(Probes.cgminerVersion, Self.multi([
            ("version", #"{"STATUS":[{"STATUS":"E","When":1,"Code":14,"Msg":"invalid cmd","Description":"whatsminer v1.1"}],"id":1}"#),
            ("devdetails", Self.text("whatsminer/M30S+_VE40_fw-2024-09-30/devdetails.json")),
        ]))
        probes[Probes.httpSystemInfo] = .success(.http(HTTPResponse(status: 307, headers: [("location", "https://10.0.0.5/cgi-bin/luci")])))
        let dir = "whatsminer/M3x_fw20210322.22_api-v1.4.0"
        let flow = try Self.run(probes: probes) { request in
            guard request == .cgminer("summary+pools+edevs") else { return nil }
            return .success(.bytes(Array(Self.multi([
                ("summary", Self.text("\(dir)/summary.json")), ("pools", Self.text("\(dir)/pools.json")), ("edevs", Self.text("\(dir)/devs.json")),
            ]).utf8)))
        }
        #expect(flow.family == .whatsminer)
        #expect(flow.identification?.model == "M30S+ VE40")
        #expect(flow.followUps.isEmpty)
        #expect(flow.plan == [.cgminer("summary+pools+edevs")])
        #expect(flow.connections == 3)
        #expect(flow.status?.boards.count == 3)
        #expect(flow.status?.pools.first?.user == "asic-rs.test")
    }

    @Test func whatsminerAPIv3() throws {
        // 4028 closed, port 80 redirects to the https LuCI: v3 on 4433, one connection.
        var probes = Replies()
        probes[Probes.cgminerVersion] = .failure(.refused)
        probes[Probes.httpSystemInfo] = .success(.http(HTTPResponse(status: 307, headers: [("location", "https://10.0.0.6/cgi-bin/luci")])))
        let flow = try Self.run(probes: probes) { request in
            switch request {
            case WhatsminerAdapter.v3DeviceInfo:
                return .success(.bytes(Fixtures.bytes("whatsminer/M60S-VK40_fw20251209.16_api-v3.0.2/get.device.info.json")))
            case WhatsminerAdapter.v3Summary:
                return .success(.bytes(Array(#"{"code":0,"msg":{"summary":{"hash-realtime":171.259,"elapsed":50000}}}"#.utf8)))
            case WhatsminerAdapter.v3Pools:
                return .success(.bytes(Array(#"{"code":0,"msg":{"pools":[{"url":"stratum+tcp://p:3333","account":"a.w","status":"alive","stratum-active":true}]}}"#.utf8)))
            default: return nil
            }
        }
        #expect(flow.family == .whatsminer)
        #expect(flow.followUps == [WhatsminerAdapter.v3DeviceInfo, WhatsminerAdapter.v3Summary, WhatsminerAdapter.v3Pools])
        #expect(flow.identification?.model == "M60S VK40")
        #expect(flow.identification?.hints["api"] == "v3")
        #expect(flow.toSend.isEmpty)
        #expect(flow.connections == 3)
        expectClose(flow.status?.hashrate, 171.259e12, "TH/s")
        #expect(flow.status?.pools.first?.user == "a.w")
    }

    @Test func avalon() throws {
        let dir = "avalon/AvalonMiner-1566-194_fw24102401"
        var probes = Replies()
        probes.add(Probes.cgminerVersion, Self.multi([
            ("version", Self.text("\(dir)/version.json")),
            ("devdetails", Self.text("avalon/AvalonMiner-1246-81_fw21030201/devdetails.json")),
        ]))
        probes[Probes.httpSystemInfo] = Self.notFound
        let flow = try Self.run(probes: probes) { request in
            guard request == .cgminer("summary+pools+stats") else { return nil }
            return .success(.bytes(Array(Self.multi([("pools", Self.text("\(dir)/pools.json")), ("stats", Self.text("\(dir)/stats.json"))]).utf8)))
        }
        #expect(flow.family == .avalon)
        #expect(flow.connections == 3)
        expectClose(flow.status?.hashrate, 199_241.07e9, "GHSspd")
        #expect(flow.status?.identity.mac == "12:34:56:78:90:12")
    }

    @Test func braiins() throws {
        var probes = Replies()
        probes.add(Probes.cgminerVersion, Self.multi([
            ("version", Self.text("braiins/BOS-24.09_unknown-model/version.json")),
            ("devdetails", #"{"STATUS":[{"STATUS":"S","Code":69,"Description":"BOSer boser-buildroot 0.1.0-75912fc7"}],"DEVDETAILS":[{"DEVDETAILS":0,"ID":1,"Model":"Bitmain S19j Pro"}],"id":1}"#),
        ]))
        probes[Probes.httpSystemInfo] = Self.notFound
        let s9 = "braiins/S9_BOSminer-0.2.0_foreman"
        let flow = try Self.run(probes: probes) { request in
            guard request == .cgminer("summary+pools+devs+temps+fans+tunerstatus") else { return nil }
            return .success(.bytes(Array(Self.multi([
                ("summary", Self.text("\(s9)/summary.json")), ("pools", Self.text("\(s9)/pools.json")),
                ("temps", Self.text("\(s9)/temps.json")), ("fans", Self.text("\(s9)/fans.json")),
                ("tunerstatus", #"{"STATUS":[{"STATUS":"S","Code":203}],"TUNERSTATUS":[{"PowerLimit":1500,"ApproximateMinerPowerConsumption":1423}],"id":1}"#),
            ]).utf8)))
        }
        #expect(flow.family == .braiins)
        #expect(flow.identification?.model == "S19j Pro")
        #expect(flow.connections == 3)
        expectClose(flow.status?.power, 1423, "tunerstatus")
    }

    @Test func axeOS() throws {
        var probes = Replies()
        probes[Probes.cgminerVersion] = .failure(.refused)
        probes[Probes.httpSystemInfo] = .success(.http(HTTPResponse(status: 200, body: Fixtures.bytes("nerdqaxe/NerdQAxe++-BM1370x4_NerdOS-v1.1.0-beta1/api_system_info.json"))))
        let flow = try Self.run(probes: probes) { request in
            guard request == AxeOSAdapter.systemASIC else { return nil }
            return .success(.http(HTTPResponse(status: 200, body: Fixtures.bytes("nerdqaxe/NerdQAxe++-BM1370x4_NerdOS-v1.1.0-beta1/api_system_asic.json"))))
        }
        #expect(flow.family == .axeos)
        #expect(flow.toSend == [AxeOSAdapter.systemASIC])
        #expect(flow.connections == 3)
        #expect(flow.status?.identity.model == "NerdQAxe++")
    }

    @Test func nmminer() throws {
        var probes = Replies()
        probes[Probes.cgminerVersion] = .failure(.refused)
        probes[Probes.httpSystemInfo] = .success(.http(HTTPResponse(status: 200, body: Fixtures.bytes("nmminer/NMMiner-ESP32_fw2.1.0_doc-example/api_system_info.json"))))
        let flow = try Self.run(probes: probes) { _ in nil }
        #expect(flow.family == .nmminer)
        #expect(flow.toSend.isEmpty)
        #expect(flow.connections == 2)
        expectClose(flow.status?.hashrate, 2.45e9, "GH/s")
    }

    @Test func genericDeviceThatTheProbesDoNotName() throws {
        // Sealminer: `version` names bdminer but not the model; the follow-up status read
        // names it (`stats` Model) and is reused as the read.
        let dir = "sealminer/Sealminer_bdminer-4.11.1"
        var probes = Replies()
        probes.add(Probes.cgminerVersion, Self.multi([("version", Self.text("\(dir)/version.json")), ("devdetails", Self.invalidCommand)]))
        probes[Probes.httpSystemInfo] = Self.notFound
        let flow = try Self.run(probes: probes) { request in
            guard request == .cgminer(CGMinerPlan.identifyingRead) else { return nil }
            return .success(.bytes(Array(Self.multi([
                ("summary", Self.text("\(dir)/summary.json")), ("pools", Self.text("\(dir)/pools.json")), ("stats", Self.text("\(dir)/stats.json")),
            ]).utf8)))
        }
        #expect(flow.family == .cgminer)
        #expect(flow.followUps == [.cgminer("summary+pools+devs+stats")])
        #expect(flow.identification?.model == "Sealminer A2")
        #expect(flow.toSend.isEmpty)
        #expect(flow.connections == 3)
    }

    @Test func vnishWithoutATypeInVersion() throws {
        // VNish 2.0.3 (asicdip): `version` is bare; the follow-up's `stats` says
        // `Antminer S17+ (vnish 2.0.3)`, so the Antminer adapter takes over and reuses it.
        let dir = "antminer/S17+_vnish-2.0.3_asicdip_foreman"
        var probes = Replies()
        probes.add(Probes.cgminerVersion, Self.multi([("version", Self.text("\(dir)/version.json")), ("devdetails", Self.invalidCommand)]))
        probes[Probes.httpSystemInfo] = Self.notFound
        let flow = try Self.run(probes: probes) { request in
            guard request == .cgminer(CGMinerPlan.identifyingRead) else { return nil }
            return .success(.bytes(Array(Self.multi([("pools", Self.text("\(dir)/pools.json")), ("stats", Self.text("\(dir)/stats.json"))]).utf8)))
        }
        #expect(flow.family == .antminer)
        #expect(flow.identification?.firmware == "VNish 2.0.3")
        #expect(flow.plan == [.cgminer("summary+pools+devs+stats")])
        #expect(flow.toSend.isEmpty)
        #expect(flow.connections == 3)
        expectClose(flow.status?.hashrate, 77_458.73e9, "hashrate")
    }

    @Test func firmwareWithoutMultiCommandSupport() throws {
        // One E status for the whole multi-command: ask plain `version`, then read with one
        // command per connection. The only case that exceeds three connections.
        var probes = Replies()
        probes.add(Probes.cgminerVersion, Self.text("whatsminer/M31S_sleeping_foreman/pools+summary+edevs.json").replacingCode24())
        probes[Probes.httpSystemInfo] = Self.notFound
        let followUps = AdapterRegistry.standard.followUpProbes(probes)
        #expect(followUps == [Probes.cgminerVersionSingle])
        probes.add(Probes.cgminerVersionSingle, Self.text("antminer/S9_foreman/version.json"))
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(probes))
        #expect(adapter.family == .antminer)
        #expect(identification.hints["multi"] == "0")
        let plan = adapter.readPlan(for: identification)
        #expect(plan == [.cgminer("summary"), .cgminer("pools"), .cgminer("stats")])
        #expect(Self.connections(Probes.all + followUps + plan) == 6)
    }

    // MARK: Identification order

    @Test func standardOrder() {
        #expect(AdapterRegistry.standard.adapters.map(\.family) == [.braiins, .whatsminer, .avalon, .axeos, .nmminer, .antminer, .cgminer])
        #expect(AdapterRegistry.standard.adapter(for: .antminer) is AntminerAdapter)
        #expect(AdapterRegistry.standard.adapter(for: .nerdminer) == nil)
        #expect(AdapterRegistry.standard.adapter(for: .unknown) == nil)
        for entry in AdapterCatalog.entries {
            if let order = entry.identificationOrder {
                #expect(AdapterRegistry.standard.adapters[order - 1].family == entry.family)
            }
        }
    }

    @Test func braiinsOnAntminerHardwareIsBraiins() throws {
        var probes = Replies()
        probes.add(Probes.cgminerVersion, Self.multi([
            ("version", #"{"STATUS":[{"STATUS":"S","Code":22,"Description":"BOSminer bosminer-plus-tuner 0.9.0"}],"VERSION":[{"BOSminer":"bosminer-plus-tuner 0.9.0","API":"3.7","Type":"Antminer S9"}],"id":1}"#),
            ("devdetails", #"{"STATUS":[{"STATUS":"S","Code":69}],"DEVDETAILS":[{"DEVDETAILS":0,"Model":"Bitmain S9"}],"id":1}"#),
        ]))
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(probes))
        #expect(adapter.family == .braiins)
        #expect(identification.model == "S9")
    }

    @Test func hiveonBeforeMSKminer() throws {
        // Both carry `rwglr`; the Hiveon S19j says `BMMiner "4.11.1 rwglr"`.
        let hiveon = Fixtures.replies("antminer/S19j-Pro_Hiveon-fw-2024-04")
        #expect(AdapterRegistry.standard.identify(hiveon)?.identification.firmware == "Hiveon")
        let msk = Fixtures.replies("antminer/S19-88_MSKminer-2.6.0.39")
        #expect(AdapterRegistry.standard.identify(msk)?.identification.firmware == "MSKminer 2.6.0.39")
    }

    @Test func anHTTPRedirectToLuCIIsWhatsminerOnlyOverHTTPS() {
        var braiins = Replies()
        braiins[Probes.cgminerVersion] = .failure(.refused)
        braiins[Probes.httpSystemInfo] = .success(.http(HTTPResponse(status: 302, headers: [("location", "/cgi-bin/luci")])))
        #expect(AdapterRegistry.standard.identify(braiins) == nil)
        #expect(AdapterRegistry.standard.followUpProbes(braiins).isEmpty)
        var whatsminer = braiins
        whatsminer[Probes.httpSystemInfo] = .success(.http(HTTPResponse(
            status: 307, headers: [("location", "https://192.168.1.20/")], body: Array("<a href=\"https://192.168.1.20/cgi-bin/luci\">".utf8))))
        #expect(AdapterRegistry.standard.identify(whatsminer)?.identification.family == .whatsminer)
        #expect(AdapterRegistry.standard.followUpProbes(whatsminer).count == 3)
    }

    @Test func nothingRecognised() {
        var silent = Replies()
        silent[Probes.cgminerVersion] = .failure(.refused)
        silent[Probes.httpSystemInfo] = .failure(.timeout)
        #expect(AdapterRegistry.standard.identify(silent) == nil)
        #expect(AdapterRegistry.standard.followUpProbes(silent).isEmpty)
        #expect(AdapterRegistry.standard.unrecognized(silent) == .transport(.refused))

        var web = Replies()
        web[Probes.cgminerVersion] = .failure(.refused)
        web[Probes.httpSystemInfo] = Self.notFound
        #expect(AdapterRegistry.standard.identify(web) == nil)
        #expect(AdapterRegistry.standard.unrecognized(web) == .unrecognized("HTTP 404 on GET /api/system/info"))

        var garbage = Replies()
        garbage.add(Probes.cgminerVersion, "SSH-2.0-OpenSSH_9.6\r\n")
        #expect(AdapterRegistry.standard.identify(garbage) == nil)
    }

    // MARK: Read-only

    static let identificationVariants: [Identification] = MinerFamily.allCases.flatMap { family in
        [
            Identification(family: family),
            Identification(family: family, hints: ["multi": "0"]),
            Identification(family: family, hints: ["read": CGMinerPlan.identifyingRead]),
            Identification(family: family, hints: ["api": "v3"]),
            Identification(family: family, hints: ["api": "bmminer"]),
            Identification(family: family, hints: ["software": "auradine"]),
        ]
    }

    @Test func everyProbeFollowUpAndReadPlanIsReadOnly() throws {
        var requests = Probes.all + [Probes.cgminerVersionSingle, Probes.httpRoot, .cgminer(CGMinerPlan.identifyingRead), .cgminer("devdetails")]
        requests += [WhatsminerAdapter.v3DeviceInfo, WhatsminerAdapter.v3Summary, WhatsminerAdapter.v3Pools, NMMinerAdapter.probe]
        for adapter in AdapterRegistry.standard.adapters {
            for identification in Self.identificationVariants where identification.family == adapter.family {
                requests += adapter.readPlan(for: identification)
            }
        }
        #expect(requests.count > 30)
        for request in requests {
            #expect(AdapterRegistry.isReadOnly(request), "\(request) is not read-only")
            if case .cgminer(let command, _) = request.kind {
                for member in command.split(separator: "+") {
                    #expect(!AdapterRegistry.privilegedCommands.contains(String(member)), "\(member) is privileged")
                }
            }
        }
    }

    @Test func writesAreNeverReadOnly() {
        #expect(AdapterRegistry.readOnlyCommands.isDisjoint(with: AdapterRegistry.privilegedCommands))
        for request: Request in [
            .cgminer("ascset", parameter: "0,softoff,1753425250"), .cgminer("restart"), .cgminer("summary+restart"),
            .cgminer("addpool", parameter: "stratum+tcp://x:1,u,p"), .cgminer("summary", parameter: "x"), .cgminer("pause"),
            .cgminer("switchpool", parameter: "1"), .cgminer(""), .cgminer("summary+"), .http("/cgi-bin/reboot.cgi"),
            .http("/api/system/restart"), .whatsminerV3("set.miner.power_limit", parameter: "3000"), .whatsminerV3("set.system.reboot"),
        ] {
            #expect(!AdapterRegistry.isReadOnly(request), "\(request) must not be read-only")
        }
        #expect(AdapterRegistry.isReadOnly(.cgminer("check", parameter: "summary")))
        #expect(AdapterRegistry.isReadOnly(.cgminer("asc", parameter: "0")))
    }

    // MARK: Catalog

    @Test func catalogDescribesEveryFamily() throws {
        let families = AdapterCatalog.entries.map(\.family)
        #expect(Set(families) == Set(MinerFamily.allCases).subtracting([.unknown]))
        #expect(families.count == Set(families).count)
        let nerd = try #require(AdapterCatalog.entry(for: .nerdminer))
        #expect(nerd.apis.isEmpty)
        #expect(nerd.identificationOrder == nil)
        #expect(nerd.notes.contains("No network API"))
        #expect(nerd.notes.contains("added by hand") || nerd.notes.contains("Add it by hand"))
        #expect(nerd.notes.contains("manual share logs"))
        let antminer = try #require(AdapterCatalog.entry(for: .antminer))
        #expect(antminer.ports == [4028])
        #expect(antminer.models.contains("S19 Pro"))
        #expect(AdapterCatalog.entry(for: .whatsminer)?.ports == [4028, 4433])
        #expect(AdapterCatalog.entry(for: .axeos)?.reads.contains(.bestDifficulty) == true)
        for entry in AdapterCatalog.entries { #expect(entry.displayName == entry.family.displayName) }
    }
}

extension String {
    /// The M31S capture's code is 24 ("Missing JSON 'command'"); the same shape with Code 14
    /// is what firmware without multi-command support sends for `version+devdetails`.
    fileprivate func replacingCode24() -> String {
        var copy = self
        if let range = copy.firstRange(of: "\"Code\":24") { copy.replaceSubrange(range, with: "\"Code\":14") }
        return copy
    }
}
