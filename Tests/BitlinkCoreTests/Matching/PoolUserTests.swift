import BitlinkCore
import Testing

@Suite("Pool users")
struct PoolUserTests {
    /// Expected identity: "address:<canonical>", "account:<name>", "empty", or "invalid:<message>".
    struct Case: Sendable, CustomTestStringConvertible {
        let user: String
        let separators: KnownPool.WorkerSeparators
        let identityText: String
        let worker: String?
        let identity: String
        var testDescription: String { "'\(user)' (\(separators.rawValue))" }

        init(_ user: String, _ separators: KnownPool.WorkerSeparators = .dotOrUnderscoreAfterAddress,
             identityText: String, worker: String?, _ identity: String) {
            self.user = user
            self.separators = separators
            self.identityText = identityText
            self.worker = worker
            self.identity = identity
        }
    }

    static func describe(_ identity: PoolUser.Identity) -> String {
        switch identity {
        case let .address(address): "address:" + address.string
        case let .account(name): "account:" + name
        case .empty: "empty"
        case let .invalid(error): "invalid:" + error.description
        }
    }

    /// Every distinct pool user in Tests/Fixtures (cgminer `User`, AxeOS `stratumUser` and
    /// `fallbackStratumUser`, ePIC `Current User`, Braiins/Goldshell/NMMiner `user`, ckpool
    /// `workername`), read as on a pool not in the registry.
    static let fixtureUsers: [Case] = [
        Case("", identityText: "", worker: nil, "empty"),
        Case("!non-existent-user!", identityText: "!non-existent-user!", worker: nil,
             "invalid:invalid pool account name: invalid character '!' (use letters, digits, '_' and '-')"),
        Case("#0x65CdB0EE9Ba1D9eFe2566965F8B089c2B9ffCE63.00B4C08382A1",
             identityText: "#0x65CdB0EE9Ba1D9eFe2566965F8B089c2B9ffCE63", worker: "00B4C08382A1",
             "invalid:invalid pool account name: invalid character '#' (use letters, digits, '_' and '-')"),
        Case("*", identityText: "*", worker: nil,
             "invalid:invalid pool account name: invalid character '*' (use letters, digits, '_' and '-')"),
        Case("002m20s", identityText: "002m20s", worker: nil, "account:002m20s"),
        Case("18dK8EfyepKuS74fs27iuDJWoGUT4rPto1.worker", identityText: "18dK8EfyepKuS74fs27iuDJWoGUT4rPto1",
             worker: "worker", "address:18dK8EfyepKuS74fs27iuDJWoGUT4rPto1"),
        Case("CosmosCapitalFund.COSMOSxCNKxS17Px00001", identityText: "CosmosCapitalFund",
             worker: "COSMOSxCNKxS17Px00001", "account:CosmosCapitalFund"),
        Case("Dash.default", identityText: "Dash", worker: "default", "account:Dash"),
        Case("DevFee", identityText: "DevFee", worker: nil, "account:DevFee"),
        Case("Dow_Mining.SealMinerA2", identityText: "Dow_Mining", worker: "SealMinerA2", "account:Dow_Mining"),
        Case("ICM", identityText: "ICM", worker: nil, "account:ICM"),
        Case("Yop yop", identityText: "Yop yop", worker: nil, "invalid:invalid pool account name: contains a space"),
        Case("[REDACTED]", identityText: "[REDACTED]", worker: nil,
             "invalid:invalid pool account name: invalid character '[' (use letters, digits, '_' and '-')"),
        Case("aaa.226x94", identityText: "aaa", worker: "226x94", "account:aaa"),
        Case("aaa.bbb", identityText: "aaa", worker: "bbb", "account:aaa"),
        Case("abc.qaxe6", identityText: "abc", worker: "qaxe6", "account:abc"),
        Case("ant.123", identityText: "ant", worker: "123", "account:ant"),
        Case("antminer.1", identityText: "antminer", worker: "1", "account:antminer"),
        Case("antminer_1", identityText: "antminer_1", worker: nil, "account:antminer_1"),
        Case("asic-rs.test", identityText: "asic-rs", worker: "test", "account:asic-rs"),
        Case("asic_rs.test", identityText: "asic_rs", worker: "test", "account:asic_rs"),
        Case("asicseer.dcc9a2", identityText: "asicseer", worker: "dcc9a2", "account:asicseer"),
        Case("bbb.226x94", identityText: "bbb", worker: "226x94", "account:bbb"),
        Case("bc1...", identityText: "bc1", worker: "..", "invalid:invalid Bitcoin address: wrong length"),
        Case("bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374", identityText: "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374",
             worker: nil, "address:bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374"),
        Case("ccc.226x94", identityText: "ccc", worker: "226x94", "account:ccc"),
        Case("devFeeMiner.1", identityText: "devFeeMiner", worker: "1", "account:devFeeMiner"),
        Case("devFeeMiner.9", identityText: "devFeeMiner", worker: "9", "account:devFeeMiner"),
        Case("earlmai.apitesting-43003a", identityText: "earlmai", worker: "apitesting-43003a", "account:earlmai"),
        Case("obmllc.l3_1", identityText: "obmllc", worker: "l3_1", "account:obmllc"),
        Case("pool_username.real_worker", identityText: "pool_username", worker: "real_worker",
             "account:pool_username"),
        Case("randomuser.randomworker-0x81x19", identityText: "randomuser", worker: "randomworker-0x81x19",
             "account:randomuser"),
        Case("satokierepair.H04YK", identityText: "satokierepair", worker: "H04YK", "account:satokierepair"),
        Case("username.suffix", identityText: "username", worker: "suffix", "account:username"),
        Case("worker1", identityText: "worker1", worker: nil, "account:worker1"),
        Case("x.001", identityText: "x", worker: "001", "account:x"),
        Case("xxx", identityText: "xxx", worker: nil, "account:xxx"),
        Case("xxx.S17", identityText: "xxx", worker: "S17", "account:xxx"),
        Case("xxxx.yyyy", identityText: "xxxx", worker: "yyyy", "account:xxxx"),
    ]

    static let addr = "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374"

    /// The pools' separator conventions and NerdMiner/ckpool's "everything after the first
    /// separator is the worker".
    static let conventions: [Case] = [
        // ckpool family: `_` separates too.
        Case(addr + "_rig1", .dotOrUnderscore, identityText: addr, worker: "rig1", "address:" + addr),
        Case(addr + ".rig_1", .dotOrUnderscore, identityText: addr, worker: "rig_1", "address:" + addr),
        Case("antminer_1", .dotOrUnderscore, identityText: "antminer", worker: "1", "account:antminer"),
        // public-pool and the account pools: only `.`.
        Case(addr + "_rig1", .dot, identityText: addr + "_rig1", worker: nil,
             "invalid:invalid Bitcoin address: invalid character '_'"),
        Case("antminer_1", .dot, identityText: "antminer_1", worker: nil, "account:antminer_1"),
        Case("obmllc.l3_1", .dot, identityText: "obmllc", worker: "l3_1", "account:obmllc"),
        // Unknown pool: `_` only right after a valid address.
        Case(addr + "_rig1", identityText: addr, worker: "rig1", "address:" + addr),
        Case("18dK8EfyepKuS74fs27iuDJWoGUT4rPto1_w.x", identityText: "18dK8EfyepKuS74fs27iuDJWoGUT4rPto1",
             worker: "w.x", "address:18dK8EfyepKuS74fs27iuDJWoGUT4rPto1"),
        // Everything after the first separator is the worker.
        Case(addr + ".rig.1", .dot, identityText: addr, worker: "rig.1", "address:" + addr),
        Case(addr + ".", .dot, identityText: addr, worker: nil, "address:" + addr),
        // No identity before the worker name (DATUM's "worker only" form).
        Case(".rig1", .dot, identityText: "", worker: "rig1", "empty"),
        // White space around the user is ignored; Bech32 case is folded, the text kept.
        Case("  \(addr).rig1 \n", .dot, identityText: addr, worker: "rig1", "address:" + addr),
        Case("BC1QA8R4UP9NCHKVDNHCF9FEEXV2JFANTRK48EF374.Rig", .dot,
             identityText: "BC1QA8R4UP9NCHKVDNHCF9FEEXV2JFANTRK48EF374", worker: "Rig", "address:" + addr),
        // Taproot and P2SH identities.
        Case("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0.bitaxe", .dot,
             identityText: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", worker: "bitaxe",
             "address:bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"),
        Case("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.s19", .dot, identityText: "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
             worker: "s19", "address:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
        // A typo in the address is reported as such, not taken for an account.
        Case("bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef375.rig", .dot,
             identityText: "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef375", worker: "rig",
             "invalid:invalid Bitcoin address: bad checksum"),
    ]

    @Test(arguments: fixtureUsers + conventions)
    func parses(_ testCase: Case) {
        let user = PoolUser.parse(testCase.user, separators: testCase.separators)
        #expect(user.identityText == testCase.identityText)
        #expect(user.worker == testCase.worker)
        #expect(Self.describe(user.identity) == testCase.identity)
    }

    @Test func separatorAndAccessors() {
        let underscore = PoolUser.parse(Self.addr + "_rig1", separators: .dotOrUnderscore)
        #expect(underscore.separator == "_")
        #expect(underscore.address?.string == Self.addr)
        #expect(underscore.account == nil)
        let account = PoolUser.parse("acme.rig1", pool: KnownPools.pool(id: "f2pool"))
        #expect(account.separator == ".")
        #expect(account.account == "acme")
        #expect(account.address == nil)
        #expect(account.raw == "acme.rig1")
        #expect(PoolUser.parse("acme").separator == nil)
    }

    @Test func poolConventionIsUsed() {
        // Kano (ckpool) splits `antminer_1`; AntPool does not.
        #expect(PoolUser.parse("antminer_1", pool: KnownPools.pool(id: "kano")).account == "antminer")
        #expect(PoolUser.parse("antminer_1", pool: KnownPools.pool(id: "antpool")).account == "antminer_1")
        #expect(PoolUser.parse("antminer_1", pool: nil).account == "antminer_1")
    }
}

@Suite("Known pools")
struct KnownPoolsTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        let id: String
        let convention: KnownPool.UserConvention
        let separators: KnownPool.WorkerSeparators
        let solo: Bool
        var testDescription: String { id }
    }

    static let expected: [Expected] = [
        Expected(id: "ckpool-solo", convention: .bitcoinAddress, separators: .dotOrUnderscore, solo: true),
        Expected(id: "public-pool", convention: .bitcoinAddress, separators: .dot, solo: true),
        Expected(id: "nerdminers", convention: .bitcoinAddress, separators: .dotOrUnderscore, solo: true),
        Expected(id: "solomining-de", convention: .bitcoinAddress, separators: .dot, solo: true),
        Expected(id: "sethforprivacy", convention: .bitcoinAddress, separators: .dot, solo: true),
        Expected(id: "noderunners", convention: .bitcoinAddress, separators: .dot, solo: true),
        Expected(id: "parasite", convention: .bitcoinAddress, separators: .dot, solo: false),
        Expected(id: "braiins-solo", convention: .bitcoinAddress, separators: .dot, solo: true),
        Expected(id: "ocean", convention: .bitcoinAddress, separators: .dot, solo: false),
        Expected(id: "nicehash", convention: .bitcoinAddress, separators: .dot, solo: false),
        Expected(id: "braiins", convention: .account, separators: .dot, solo: false),
        Expected(id: "f2pool", convention: .account, separators: .dot, solo: false),
        Expected(id: "antpool", convention: .account, separators: .dot, solo: false),
        Expected(id: "viabtc", convention: .account, separators: .dot, solo: false),
        Expected(id: "luxor", convention: .account, separators: .dot, solo: false),
        Expected(id: "kano", convention: .account, separators: .dotOrUnderscore, solo: false),
        Expected(id: "foundry", convention: .account, separators: .dot, solo: false),
        Expected(id: "spiderpool", convention: .account, separators: .dot, solo: false),
        Expected(id: "secpool", convention: .account, separators: .dot, solo: false),
        Expected(id: "emcd", convention: .account, separators: .dot, solo: false),
        Expected(id: "binance", convention: .account, separators: .dot, solo: false),
        Expected(id: "poolin", convention: .account, separators: .dot, solo: false),
        Expected(id: "sbicrypto", convention: .account, separators: .dot, solo: false),
        Expected(id: "btccom", convention: .account, separators: .dot, solo: false),
    ]

    @Test(arguments: expected)
    func conventions(_ entry: Expected) throws {
        let pool = try #require(KnownPools.pool(id: entry.id))
        #expect(pool.userConvention == entry.convention)
        #expect(pool.workerSeparators == entry.separators)
        #expect(pool.isSolo == entry.solo)
    }

    @Test func registryIsTheExpectedList() {
        #expect(KnownPools.all.map(\.id) == Self.expected.map(\.id))
    }

    @Test func identifiersAndDomainsAreWellFormed() {
        let ids = KnownPools.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        let domains = KnownPools.all.flatMap(\.domains)
        #expect(Set(domains).count == domains.count)
        for pool in KnownPools.all {
            #expect(pool.id == pool.id.lowercased())
            #expect(!pool.domains.isEmpty)
            for domain in pool.domains {
                #expect(domain == domain.lowercased())
                // Each domain parses as a host and finds its own pool.
                #expect(KnownPools.pool(forHost: domain)?.id == pool.id)
                #expect(PoolURL(domain)?.host == domain)
            }
        }
    }

    @Test func lookUpIsCaseInsensitive() {
        #expect(KnownPools.pool(id: "F2Pool")?.id == "f2pool")
        #expect(KnownPools.pool(forHost: "BTC.F2POOL.COM")?.id == "f2pool")
        #expect(KnownPools.pool(id: "unknown-pool") == nil)
        #expect(KnownPools.pool(forHost: "") == nil)
    }

    @Test func walletKindsAPoolAccepts() throws {
        let account = try #require(WalletIdentity("acme"))
        let address = try #require(WalletIdentity("bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374"))
        let ckpool = try #require(KnownPools.pool(id: "ckpool-solo"))
        let f2pool = try #require(KnownPools.pool(id: "f2pool"))
        #expect(!ckpool.accepts(account))
        #expect(ckpool.accepts(address))
        #expect(f2pool.accepts(account))
        #expect(f2pool.accepts(address))
    }

    @Test func ipAddressesAreNeverKnownPools() throws {
        #expect(KnownPools.pool(for: try PoolURL.parse("172.17.1.6:2018")) == nil)
    }

    struct DevFeeCase: Sendable, CustomTestStringConvertible {
        let url: String
        let user: String?
        let marker: DevFeeMarker?
        var testDescription: String { "\(url) / \(user ?? "nil")" }
    }

    /// The dev-fee entries of the fixtures (VNish 2.0.3 and 3.8.6, Hiveon, MSKminer) and
    /// ordinary pools from the same captures.
    static let devFees: [DevFeeCase] = [
        DevFeeCase(url: "DevFee", user: "DevFee", marker: .vnish),
        DevFeeCase(url: "devfee", user: nil, marker: .vnish),
        DevFeeCase(url: "stratum+tcp://dash.suprnova.cc:9991", user: "devFeeMiner.9", marker: .hiveon),
        DevFeeCase(url: "stratum+tcp://dash-eu.coinmine.pl:6099", user: "devFeeMiner.1", marker: .hiveon),
        DevFeeCase(url: "*", user: "*", marker: .mskminer),
        DevFeeCase(url: "stratum+tcp://dash-eu.coinmine.pl:6099", user: "Dash.default", marker: nil),
        DevFeeCase(url: "stratum+tcp://solo.antpool.com:3333", user: "antminer_1", marker: nil),
        DevFeeCase(url: "stratum+tcp://sha256.eu.mine.zpool.ca:3333", user: "xxx.S17", marker: nil),
        DevFeeCase(url: "stratum+tcp://btc-us.f2pool.com:3333", user: "asicseer.dcc9a2", marker: nil),
        DevFeeCase(url: "", user: "", marker: nil),
    ]

    @Test(arguments: devFees)
    func devFeeDetection(_ testCase: DevFeeCase) {
        #expect(DevFeeMarker.detect(url: testCase.url, user: testCase.user) == testCase.marker)
    }
}
