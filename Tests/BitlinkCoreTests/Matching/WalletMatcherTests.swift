import BitlinkCore
import Testing

@Suite("Wallet matching")
struct WalletMatcherTests {
    static let addr1 = "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374"
    static let addr2 = "18dK8EfyepKuS74fs27iuDJWoGUT4rPto1"
    static let addrP2SH = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
    static let addrTaproot = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"

    static let wallets: [TrackedWallet] = [
        TrackedWallet(id: 1, identity: addr1),
        TrackedWallet(id: 2, identity: addr2, pool: "ocean"),
        TrackedWallet(id: 3, identity: "acme", pool: "f2pool"),
        TrackedWallet(id: 4, identity: "antminer_1"),
        TrackedWallet(id: 6, identity: addrP2SH),
        TrackedWallet(id: 5, identity: addrP2SH, pool: "ocean"),
        TrackedWallet(id: 7, identity: addrTaproot, pool: "ocean"),
        TrackedWallet(id: 8, identity: "garbage!"),
        TrackedWallet(id: 9, identity: "KanoUser", pool: "kano"),
        TrackedWallet(id: 10, identity: "asicseer"),
        TrackedWallet(id: 11, identity: "aaa"),
        // Stored upper-case: Bech32 compares case-insensitively.
        TrackedWallet(id: 12, identity: "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"),
    ]

    static let matcher = WalletMatcher(wallets: wallets)

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let configuration: PoolConfiguration
        let wallet: Int64?
        let explanation: String
        var testDescription: String { name }

        init(_ name: String, url: String, user: String?, active: Bool = true, status: PoolStatus.Status = .alive,
             wallet: Int64?, _ explanation: String) {
            self.name = name
            configuration = PoolConfiguration(url: url, user: user, active: active, status: status)
            self.wallet = wallet
            self.explanation = explanation
        }
    }

    /// One configuration alone (so it is the active one when flagged), one case per explanation.
    static let single: [Case] = [
        Case("address on a solo pool", url: "stratum+tcp://solo.ckpool.org:3333", user: addr1 + ".rig1", wallet: 1,
             "user \(addr1) is tracked wallet 1"),
        Case("address wallet tied to the miner's pool", url: "mine.ocean.xyz:3334", user: addr2 + ".worker",
             wallet: 2, "user \(addr2) is tracked wallet 2 (pool ocean)"),
        Case("account wallet tied to the miner's pool", url: "stratum+tcp://btc.f2pool.com:1314", user: "acme.rig1",
             wallet: 3, "user 'acme.rig1' is account 'acme' on f2pool, wallet 3 (pool f2pool)"),
        Case("accounts compare case-insensitively", url: "stratum+tcp://btc-us.f2pool.com:3333", user: "ACME.rig2",
             wallet: 3, "user 'ACME.rig2' is account 'ACME' on f2pool, wallet 3 (pool f2pool)"),
        Case("account wallet without pool on an unknown host", url: "stratum+tcp://stratum.pool.io:3333",
             user: "antminer_1", wallet: 4, "user 'antminer_1' is account 'antminer_1' on stratum.pool.io, wallet 4"),
        Case("account wallet without pool on a known account pool", url: "stratum+tcp://stratum.antpool.com:3333",
             user: "antminer_1", wallet: 4, "user 'antminer_1' is account 'antminer_1' on antpool, wallet 4"),
        Case("account wallet names another pool", url: "stratum.antpool.com:3333", user: "acme.1", wallet: nil,
             "wallet 3 names pool f2pool but the miner mines on antpool"),
        Case("address wallet names another pool", url: "solo.ckpool.org:3333", user: addrTaproot, wallet: nil,
             "wallet 7 names pool ocean but the miner mines on ckpool-solo"),
        Case("wallet naming the pool wins over one naming none", url: "stratum+tcp://mine.ocean.xyz:3334",
             user: addrP2SH + ".s19", wallet: 5, "user \(addrP2SH) is tracked wallet 5 (pool ocean)"),
        Case("wallet naming no pool when the named one does not fit", url: "stratum+tcp://sha256asicboost.eu.nicehash.com:3368",
             user: addrP2SH + ".s19", wallet: 6, "user \(addrP2SH) is tracked wallet 6"),
        Case("wallet pool on an unparseable URL", url: "bad_host:3333", user: "acme", wallet: nil,
             "wallet 3 names pool f2pool but the miner mines on an unrecognised pool"),
        Case("ckpool-family pool splits at underscore", url: "stratum+tcp://sg.kano.is:3333", user: "kanouser_rig7",
             wallet: 9, "user 'kanouser_rig7' is account 'kanouser' on kano, wallet 9 (pool kano)"),
        Case("Bech32 user in upper case", url: "public-pool.io:21496", user: addr1.uppercased() + ".RIG", wallet: 1,
             "user \(addr1) is tracked wallet 1"),
        Case("Bech32 wallet stored in upper case", url: "public-pool.io:21496",
             user: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.bitaxe", wallet: 12,
             "user bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 is tracked wallet 12"),
        Case("address with underscore worker on an unknown pool", url: "172.17.1.6:2018", user: addr1 + "_qaxe",
             wallet: 1, "user \(addr1) is tracked wallet 1"),
        Case("VNish dev fee", url: "DevFee", user: "DevFee", wallet: nil, "dev-fee pool skipped (VNish DevFee)"),
        Case("Hiveon dev fee", url: "stratum+tcp://dash.suprnova.cc:9991", user: "devFeeMiner.9", wallet: nil,
             "dev-fee pool skipped (Hiveon devFeeMiner)"),
        Case("MSKminer placeholder", url: "*", user: "*", wallet: nil, "dev-fee pool skipped (MSKminer '*')"),
        Case("empty slot", url: "", user: "", status: .dead, wallet: nil, "no pool configured"),
        Case("dead pool", url: "solo.ckpool.org:3333", user: addr1, status: .dead, wallet: nil, "pool is dead"),
        Case("disabled pool", url: "solo.ckpool.org:3333", user: addr1, status: .disabled, wallet: nil,
             "pool is disabled"),
        Case("no user", url: "solo.ckpool.org:3333", user: nil, wallet: nil, "no pool user configured"),
        Case("worker without identity", url: "solo.ckpool.org:3333", user: ".rig1", wallet: nil,
             "user '.rig1' has no address or account before the worker name"),
        Case("user that is neither", url: "stratum+tcp://stratum.slushpool.com:3333", user: "!non-existent-user!",
             wallet: nil,
             "user '!non-existent-user!' is not usable: invalid pool account name: invalid character '!' (use letters, digits, '_' and '-')"),
        Case("address with a typo", url: "solo.ckpool.org:3333",
             user: "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef375.rig1", wallet: nil,
             "user 'bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef375.rig1' is not usable: invalid Bitcoin address: bad checksum"),
        Case("account on an address pool", url: "public-pool.io:21496", user: "asic-rs.test", wallet: nil,
             "user 'asic-rs.test' names account 'asic-rs', but public-pool pays the Bitcoin address given as user"),
        Case("untracked address", url: "solo.ckpool.org:3333", user: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2.x",
             wallet: nil, "no tracked wallet for address 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
        Case("untracked account", url: "stratum+tcp://btc.f2pool.com:1314", user: "other.1", wallet: nil,
             "no tracked wallet for account 'other' on f2pool"),
        Case("untracked account on an unparseable URL", url: "bad_host:3333", user: "other", wallet: nil,
             "no tracked wallet for account 'other'"),
        Case("backup pool alone is taken as active when none is flagged", url: "solo.ckpool.org:3333",
             user: addr1, active: false, wallet: 1, "user \(addr1) is tracked wallet 1"),
    ]

    @Test(arguments: single)
    func singleConfiguration(_ testCase: Case) throws {
        let results = Self.matcher.match([testCase.configuration])
        let result = try #require(results.first)
        #expect(results.count == 1)
        #expect(result.walletID == testCase.wallet)
        #expect(result.isLinked == (testCase.wallet != nil))
        #expect(result.explanation.description == testCase.explanation)
    }

    @Test func unusableWalletsAreReported() {
        #expect(Self.matcher.unusableWallets
            == [8: .invalidAccount(.invalidCharacter("!"))])
    }

    /// Shorthand: wallet id and explanation of each result.
    static func summary(_ results: [WalletMatch]) -> [String] {
        results.map { "\($0.walletID.map(String.init) ?? "-"): \($0.explanation)" }
    }

    @Test("VNish S9 on AntPool (fixture S9_vnish-3.8.6_NiceHash_foreman)")
    func vnishPoolList() {
        let results = Self.matcher.match([
            PoolConfiguration(url: "stratum+tcp://solo.antpool.com:3333", user: "antminer_1", active: true, status: .alive),
            PoolConfiguration(url: "stratum+tcp://stratum.antpool.com:3333", user: "antminer_1", active: false, status: .alive),
            PoolConfiguration(url: "stratum+tcp://cn.ss.btc.com:3333", user: "antminer.1", active: false, status: .dead),
            PoolConfiguration(url: "DevFee", user: "DevFee", active: false, status: .alive),
        ])
        #expect(Self.summary(results) == [
            "4: user 'antminer_1' is account 'antminer_1' on antpool, wallet 4",
            "-: backup pool, not active (would be wallet 4)",
            "-: pool is dead",
            "-: dev-fee pool skipped (VNish DevFee)",
        ])
        #expect(results.allSatisfy { !$0.assumedActive })
        #expect(results[0].pool?.id == "antpool")
        #expect(results[0].url?.normalized == "stratum+tcp://solo.antpool.com:3333")
        #expect(results[0].user?.account == "antminer_1")
        #expect(results[3].url == nil && results[3].urlError == nil)
    }

    @Test("No pool flagged active (fixture S9_asicseer_foreman)")
    func noneFlaggedActive() {
        let results = Self.matcher.match([
            PoolConfiguration(url: "stratum+tcp://btc-us.f2pool.com:3333", user: "asicseer.dcc9a2", active: false, status: .alive),
            PoolConfiguration(url: "stratum+tcp://btc-us.f2pool.com:1314", user: "asicseer.dcc9a2", active: false, status: .alive),
            PoolConfiguration(url: "stratum+tcp://btc.viabtc.com:3333", user: "asicseer.dcc9a2", active: false, status: .alive),
        ])
        #expect(Self.summary(results) == [
            "10: user 'asicseer.dcc9a2' is account 'asicseer' on f2pool, wallet 10",
            "-: backup pool, not active (would be wallet 10)",
            "-: backup pool, not active (would be wallet 10)",
        ])
        #expect(results.map(\.assumedActive) == [true, false, false])
    }

    @Test("MSKminer placeholder flagged active (fixture S9-Pro_MSKminer-v5.1_foreman)")
    func mskminerPoolList() {
        let results = Self.matcher.match([
            PoolConfiguration(url: "stratum+tcp://stratum.antpool.com:3333", user: "antminer_1", active: true, status: .alive),
            PoolConfiguration(url: "stratum+tcp://stratum.antpool.com:443", user: "antminer_1", active: false, status: .alive),
            PoolConfiguration(url: "stratum+tcp://stratum.antpool.com:25", user: "antminer_1", active: false, status: .dead),
            PoolConfiguration(url: "*", user: "*", active: true, status: .alive),
        ])
        #expect(Self.summary(results) == [
            "4: user 'antminer_1' is account 'antminer_1' on antpool, wallet 4",
            "-: backup pool, not active (would be wallet 4)",
            "-: pool is dead",
            "-: dev-fee pool skipped (MSKminer '*')",
        ])
    }

    @Test("Several pools flagged active each link (fixture T17+_sleeping_foreman)")
    func severalActive() {
        let results = Self.matcher.match([
            PoolConfiguration(url: "stratum+tcp://aaa.com:9999#xnsub", user: "aaa.bbb", active: true, status: .alive),
            PoolConfiguration(url: "stratum+tcp://aaa.com:9999#xnsub", user: "aaa.bbb", active: false, status: .alive),
            PoolConfiguration(url: "stratum+tcp://aaa.com:9999#xnsub", user: "aaa.bbb", active: true, status: .alive),
        ])
        #expect(results.map(\.walletID) == [11, nil, 11])
        #expect(results[0].url?.extranonceSubscribe == true)
    }

    @Test("Dev fee flagged active does not hide the owner's pool")
    func devFeeActiveOnly() {
        let results = Self.matcher.match([
            PoolConfiguration(url: "stratum+tcp://solo.ckpool.org:3333", user: Self.addr1 + ".s17", active: false, status: .alive),
            PoolConfiguration(url: "DevFee", user: "DevFee", active: true, status: .alive),
        ])
        #expect(Self.summary(results) == [
            "1: user \(Self.addr1) is tracked wallet 1",
            "-: dev-fee pool skipped (VNish DevFee)",
        ])
        #expect(results[0].assumedActive)
    }

    @Test("Single pool with unknown status and no active flag (AxeOS-like)")
    func axeOSLike() {
        let results = Self.matcher.match([
            PoolConfiguration(url: "public-pool.io:21496", user: Self.addr1 + ".bitaxe", active: false, status: .unknown),
        ])
        #expect(results.map(\.walletID) == [1])
        #expect(results[0].user?.worker == "bitaxe")
    }

    @Test("All pools dead: nothing is assumed active")
    func allDead() {
        let results = Self.matcher.match([
            PoolConfiguration(url: "solo.ckpool.org:3333", user: Self.addr1, active: false, status: .dead),
            PoolConfiguration(url: "public-pool.io:21496", user: Self.addr1, active: false, status: .disabled),
        ])
        #expect(Self.summary(results) == ["-: pool is dead", "-: pool is disabled"])
    }

    @Test("Backup pool without a tracked wallet")
    func backupWithoutWallet() {
        let results = Self.matcher.match([
            PoolConfiguration(url: "solo.ckpool.org:3333", user: Self.addr1, active: true, status: .alive),
            PoolConfiguration(url: "solo.ckpool.org:3333", user: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", active: false,
                              status: .alive),
        ])
        #expect(Self.summary(results) == [
            "1: user \(Self.addr1) is tracked wallet 1",
            "-: backup pool, not active",
        ])
    }

    @Test func liveStatusIsAccepted() {
        let pools = [PoolStatus(url: "stratum+tcp://mine.ocean.xyz:3334", user: Self.addr2 + ".x", status: .alive, active: true)]
        #expect(Self.matcher.match(pools: pools).map(\.walletID) == [2])
    }

    @Test func noWallets() {
        let results = WalletMatcher(wallets: []).match([
            PoolConfiguration(url: "solo.ckpool.org:3333", user: Self.addr1, active: true, status: .alive),
        ])
        #expect(Self.summary(results) == ["-: no tracked wallet for address \(Self.addr1)"])
    }

    @Test("Lowest id wins among equal wallets")
    func lowestIDWins() {
        let matcher = WalletMatcher(wallets: [
            TrackedWallet(id: 30, identity: "dup"), TrackedWallet(id: 20, identity: "DUP"),
        ])
        let results = matcher.match([PoolConfiguration(url: "btc.f2pool.com:1314", user: "dup.1", active: true)])
        #expect(results.map(\.walletID) == [20])
    }

    @Test("Thousands of miners against hundreds of wallets")
    func scale() {
        // 500 account wallets and one address wallet; 3000 miners with 3 pools each.
        var wallets = (0..<500).map { TrackedWallet(id: Int64($0 + 100), identity: "farm\($0)", pool: "f2pool") }
        wallets.append(TrackedWallet(id: 1, identity: Self.addr1))
        let matcher = WalletMatcher(wallets: wallets)
        var linked = 0
        for miner in 0..<3000 {
            let results = matcher.match([
                PoolConfiguration(url: "stratum+tcp://btc.f2pool.com:1314", user: "farm\(miner % 500).m\(miner)",
                                  active: true, status: .alive),
                PoolConfiguration(url: "solo.ckpool.org:3333", user: Self.addr1 + ".m\(miner)", active: false,
                                  status: .alive),
                PoolConfiguration(url: "DevFee", user: "DevFee", active: false, status: .alive),
            ])
            if results[0].walletID == Int64(miner % 500 + 100), results[1].walletID == nil { linked += 1 }
        }
        #expect(linked == 3000)
    }
}
