import BitlinkCore
import Testing

@Suite("Pool URLs")
struct PoolURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let normalized: String
        let host: String
        let port: Int?
        let key: String?
        let implied: Bool
        let xnsub: Bool
        let pool: String?
        var testDescription: String { "'\(input)'" }

        init(_ input: String, _ normalized: String, host: String, port: Int?, key: String? = nil,
             implied: Bool, xnsub: Bool = false, pool: String?) {
            self.input = input
            self.normalized = normalized
            self.host = host
            self.port = port
            self.key = key
            self.implied = implied
            self.xnsub = xnsub
            self.pool = pool
        }
    }

    /// Every distinct pool URL value in Tests/Fixtures (cgminer `URL` and `Stratum URL`,
    /// AxeOS/NerdQAxe `stratumURL`/`fallbackStratumURL`, ePIC `Current Pool`, Braiins
    /// `url`, NMMiner `stratum.url`, Goldshell `url`), after JSON decoding.
    static let fixtureURLs: [Case] = [
        Case("172.17.1.6", "stratum+tcp://172.17.1.6", host: "172.17.1.6", port: nil, implied: true, pool: nil),
        Case("aaa", "stratum+tcp://aaa", host: "aaa", port: nil, implied: true, pool: nil),
        Case("aaa.com", "stratum+tcp://aaa.com", host: "aaa.com", port: nil, implied: true, pool: nil),
        Case("aaa:700", "stratum+tcp://aaa:700", host: "aaa", port: 700, implied: true, pool: nil),
        Case("americas.equihash.mining-dutch.nl", "stratum+tcp://americas.equihash.mining-dutch.nl",
             host: "americas.equihash.mining-dutch.nl", port: nil, implied: true, pool: nil),
        Case("bbb:6000", "stratum+tcp://bbb:6000", host: "bbb", port: 6000, implied: true, pool: nil),
        Case("btc-us.f2pool.com:1314", "stratum+tcp://btc-us.f2pool.com:1314", host: "btc-us.f2pool.com",
             port: 1314, implied: true, pool: "f2pool"),
        Case("btc-us.f2pool.com:25", "stratum+tcp://btc-us.f2pool.com:25", host: "btc-us.f2pool.com",
             port: 25, implied: true, pool: "f2pool"),
        Case("btc.example.pool", "stratum+tcp://btc.example.pool", host: "btc.example.pool", port: nil,
             implied: true, pool: nil),
        Case("btc.global.luxor.tech", "stratum+tcp://btc.global.luxor.tech", host: "btc.global.luxor.tech",
             port: nil, implied: true, pool: "luxor"),
        Case("btc2.example.pool", "stratum+tcp://btc2.example.pool", host: "btc2.example.pool", port: nil,
             implied: true, pool: nil),
        Case("btc3.example.pool", "stratum+tcp://btc3.example.pool", host: "btc3.example.pool", port: nil,
             implied: true, pool: nil),
        Case("ccc:443", "stratum+tcp://ccc:443", host: "ccc", port: 443, implied: true, pool: nil),
        Case("dash-eu.coinmine.pl", "stratum+tcp://dash-eu.coinmine.pl", host: "dash-eu.coinmine.pl", port: nil,
             implied: true, pool: nil),
        Case("equihash.luxor.tech", "stratum+tcp://equihash.luxor.tech", host: "equihash.luxor.tech", port: nil,
             implied: true, pool: "luxor"),
        Case("mine.ocean.xyz:3334", "stratum+tcp://mine.ocean.xyz:3334", host: "mine.ocean.xyz", port: 3334,
             implied: true, pool: "ocean"),
        Case("sc.luxor.tech:700", "stratum+tcp://sc.luxor.tech:700", host: "sc.luxor.tech", port: 700,
             implied: true, pool: "luxor"),
        Case("sha256.eu.mine.zpool.ca", "stratum+tcp://sha256.eu.mine.zpool.ca", host: "sha256.eu.mine.zpool.ca",
             port: nil, implied: true, pool: nil),
        Case("sha256asicboost.eu.nicehash.com", "stratum+tcp://sha256asicboost.eu.nicehash.com",
             host: "sha256asicboost.eu.nicehash.com", port: nil, implied: true, pool: "nicehash"),
        Case("solo.antpool.com", "stratum+tcp://solo.antpool.com", host: "solo.antpool.com", port: nil,
             implied: true, pool: "antpool"),
        Case("solo.antpool.com:3333", "stratum+tcp://solo.antpool.com:3333", host: "solo.antpool.com", port: 3333,
             implied: true, pool: "antpool"),
        Case("solo.ckpool.org", "stratum+tcp://solo.ckpool.org", host: "solo.ckpool.org", port: nil, implied: true,
             pool: "ckpool-solo"),
        Case("solobtc.nmminer.com:3333", "stratum+tcp://solobtc.nmminer.com:3333", host: "solobtc.nmminer.com",
             port: 3333, implied: true, pool: nil),
        Case("stratum+tcp://aaa.com:9999#xnsub", "stratum+tcp://aaa.com:9999", host: "aaa.com", port: 9999,
             implied: false, xnsub: true, pool: nil),
        Case("stratum+tcp://aaa:700", "stratum+tcp://aaa:700", host: "aaa", port: 700, implied: false, pool: nil),
        Case("stratum+tcp://americas.equihash.mining-dutch.nl:6663",
             "stratum+tcp://americas.equihash.mining-dutch.nl:6663", host: "americas.equihash.mining-dutch.nl",
             port: 6663, implied: false, pool: nil),
        Case("stratum+tcp://bbb:6000", "stratum+tcp://bbb:6000", host: "bbb", port: 6000, implied: false, pool: nil),
        Case("stratum+tcp://btc-us.f2pool.com:1314", "stratum+tcp://btc-us.f2pool.com:1314",
             host: "btc-us.f2pool.com", port: 1314, implied: false, pool: "f2pool"),
        Case("stratum+tcp://btc-us.f2pool.com:3333", "stratum+tcp://btc-us.f2pool.com:3333",
             host: "btc-us.f2pool.com", port: 3333, implied: false, pool: "f2pool"),
        Case("stratum+tcp://btc.example.pool:3333", "stratum+tcp://btc.example.pool:3333", host: "btc.example.pool",
             port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://btc.global.luxor.tech:700", "stratum+tcp://btc.global.luxor.tech:700",
             host: "btc.global.luxor.tech", port: 700, implied: false, pool: "luxor"),
        Case("stratum+tcp://btc.viabtc.com:3333", "stratum+tcp://btc.viabtc.com:3333", host: "btc.viabtc.com",
             port: 3333, implied: false, pool: "viabtc"),
        Case("stratum+tcp://btc.viabtc.io:3333", "stratum+tcp://btc.viabtc.io:3333", host: "btc.viabtc.io",
             port: 3333, implied: false, pool: "viabtc"),
        Case("stratum+tcp://btc1.example.pool:3333", "stratum+tcp://btc1.example.pool:3333",
             host: "btc1.example.pool", port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://btc2.example.pool:3333", "stratum+tcp://btc2.example.pool:3333",
             host: "btc2.example.pool", port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://btc3.example.pool:3333", "stratum+tcp://btc3.example.pool:3333",
             host: "btc3.example.pool", port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://ccc:443", "stratum+tcp://ccc:443", host: "ccc", port: 443, implied: false, pool: nil),
        Case("stratum+tcp://ckb.f2pool.com:4300", "stratum+tcp://ckb.f2pool.com:4300", host: "ckb.f2pool.com",
             port: 4300, implied: false, pool: "f2pool"),
        Case("stratum+tcp://cn.ss.btc.com:3333", "stratum+tcp://cn.ss.btc.com:3333", host: "cn.ss.btc.com",
             port: 3333, implied: false, pool: "btccom"),
        Case("stratum+tcp://dash-eu.coinmine.pl:6099", "stratum+tcp://dash-eu.coinmine.pl:6099",
             host: "dash-eu.coinmine.pl", port: 6099, implied: false, pool: nil),
        Case("stratum+tcp://dash.suprnova.cc:9991", "stratum+tcp://dash.suprnova.cc:9991", host: "dash.suprnova.cc",
             port: 9991, implied: false, pool: nil),
        Case("stratum+tcp://equihash.luxor.tech:700", "stratum+tcp://equihash.luxor.tech:700",
             host: "equihash.luxor.tech", port: 700, implied: false, pool: "luxor"),
        Case("stratum+tcp://eu.stratum.slushpool.com:3333", "stratum+tcp://eu.stratum.slushpool.com:3333",
             host: "eu.stratum.slushpool.com", port: 3333, implied: false, pool: "braiins"),
        Case("stratum+tcp://example.pool.com:3333", "stratum+tcp://example.pool.com:3333", host: "example.pool.com",
             port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://example.pool2.com:3333", "stratum+tcp://example.pool2.com:3333",
             host: "example.pool2.com", port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://mine.ocean.xyz:3334", "stratum+tcp://mine.ocean.xyz:3334", host: "mine.ocean.xyz",
             port: 3334, implied: false, pool: "ocean"),
        Case("stratum+tcp://pool.example.com:4444", "stratum+tcp://pool.example.com:4444", host: "pool.example.com",
             port: 4444, implied: false, pool: nil),
        Case("stratum+tcp://sha256.antpool.com:3333", "stratum+tcp://sha256.antpool.com:3333",
             host: "sha256.antpool.com", port: 3333, implied: false, pool: "antpool"),
        Case("stratum+tcp://sha256.eu.mine.zpool.ca:3333", "stratum+tcp://sha256.eu.mine.zpool.ca:3333",
             host: "sha256.eu.mine.zpool.ca", port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://sha256.mining-dutch.nl:9996", "stratum+tcp://sha256.mining-dutch.nl:9996",
             host: "sha256.mining-dutch.nl", port: 9996, implied: false, pool: nil),
        Case("stratum+tcp://sha256asicboost.eu.nicehash.com:3368", "stratum+tcp://sha256asicboost.eu.nicehash.com:3368",
             host: "sha256asicboost.eu.nicehash.com", port: 3368, implied: false, pool: "nicehash"),
        Case("stratum+tcp://sha256asicboost.hk.nicehash.com:3368", "stratum+tcp://sha256asicboost.hk.nicehash.com:3368",
             host: "sha256asicboost.hk.nicehash.com", port: 3368, implied: false, pool: "nicehash"),
        Case("stratum+tcp://solo-zen.2miners.com:7070", "stratum+tcp://solo-zen.2miners.com:7070",
             host: "solo-zen.2miners.com", port: 7070, implied: false, pool: nil),
        Case("stratum+tcp://solo.antpool.com:3333", "stratum+tcp://solo.antpool.com:3333", host: "solo.antpool.com",
             port: 3333, implied: false, pool: "antpool"),
        Case("stratum+tcp://stratum.antpool.com:25", "stratum+tcp://stratum.antpool.com:25",
             host: "stratum.antpool.com", port: 25, implied: false, pool: "antpool"),
        Case("stratum+tcp://stratum.antpool.com:3333", "stratum+tcp://stratum.antpool.com:3333",
             host: "stratum.antpool.com", port: 3333, implied: false, pool: "antpool"),
        Case("stratum+tcp://stratum.antpool.com:443", "stratum+tcp://stratum.antpool.com:443",
             host: "stratum.antpool.com", port: 443, implied: false, pool: "antpool"),
        Case("stratum+tcp://stratum.braiins.com:3333", "stratum+tcp://stratum.braiins.com:3333",
             host: "stratum.braiins.com", port: 3333, implied: false, pool: "braiins"),
        Case("stratum+tcp://stratum.pool.io:3333", "stratum+tcp://stratum.pool.io:3333", host: "stratum.pool.io",
             port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://stratum.pool.io:3334", "stratum+tcp://stratum.pool.io:3334", host: "stratum.pool.io",
             port: 3334, implied: false, pool: nil),
        Case("stratum+tcp://stratum.pool.io:3335", "stratum+tcp://stratum.pool.io:3335", host: "stratum.pool.io",
             port: 3335, implied: false, pool: nil),
        Case("stratum+tcp://stratum.slushpool.com:3333", "stratum+tcp://stratum.slushpool.com:3333",
             host: "stratum.slushpool.com", port: 3333, implied: false, pool: "braiins"),
        Case("stratum+tcp://us-central01.miningrigrentals.com:50194",
             "stratum+tcp://us-central01.miningrigrentals.com:50194", host: "us-central01.miningrigrentals.com",
             port: 50194, implied: false, pool: nil),
        Case("stratum+tcp://us-ckb.2miners.com:6464", "stratum+tcp://us-ckb.2miners.com:6464",
             host: "us-ckb.2miners.com", port: 6464, implied: false, pool: nil),
        Case("stratum+tcp://us-east.stratum.slushpool.com:3333", "stratum+tcp://us-east.stratum.slushpool.com:3333",
             host: "us-east.stratum.slushpool.com", port: 3333, implied: false, pool: "braiins"),
        Case("stratum+tcp://us.litecoinpool.org:3333", "stratum+tcp://us.litecoinpool.org:3333",
             host: "us.litecoinpool.org", port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://us1.ethpool.org:3333", "stratum+tcp://us1.ethpool.org:3333", host: "us1.ethpool.org",
             port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://us1.zhash.pro:8059", "stratum+tcp://us1.zhash.pro:8059", host: "us1.zhash.pro",
             port: 8059, implied: false, pool: nil),
        Case("stratum+tcp://xxx:25", "stratum+tcp://xxx:25", host: "xxx", port: 25, implied: false, pool: nil),
        Case("stratum+tcp://xxx:3333", "stratum+tcp://xxx:3333", host: "xxx", port: 3333, implied: false, pool: nil),
        Case("stratum+tcp://xxx:443", "stratum+tcp://xxx:443", host: "xxx", port: 443, implied: false, pool: nil),
        Case("stratum+tcp://xxxxxx:3333", "stratum+tcp://xxxxxx:3333", host: "xxxxxx", port: 3333, implied: false,
             pool: nil),
        Case("stratum+tcp://zcl.suprnova.cc:4042", "stratum+tcp://zcl.suprnova.cc:4042", host: "zcl.suprnova.cc",
             port: 4042, implied: false, pool: nil),
        Case("stratum+tcp://zcl.suprnova.cc:4043", "stratum+tcp://zcl.suprnova.cc:4043", host: "zcl.suprnova.cc",
             port: 4043, implied: false, pool: nil),
        Case("stratum-ltc.antpool.com:443", "stratum+tcp://stratum-ltc.antpool.com:443",
             host: "stratum-ltc.antpool.com", port: 443, implied: true, pool: "antpool"),
        Case("stratum-ltc.antpool.com:8888", "stratum+tcp://stratum-ltc.antpool.com:8888",
             host: "stratum-ltc.antpool.com", port: 8888, implied: true, pool: "antpool"),
        Case("stratum.antpool.com", "stratum+tcp://stratum.antpool.com", host: "stratum.antpool.com", port: nil,
             implied: true, pool: "antpool"),
        Case("stratum.antpool.com:3333", "stratum+tcp://stratum.antpool.com:3333", host: "stratum.antpool.com",
             port: 3333, implied: true, pool: "antpool"),
        Case("stratum.braiins.com", "stratum+tcp://stratum.braiins.com", host: "stratum.braiins.com", port: nil,
             implied: true, pool: "braiins"),
        Case("stratum.f2pool.com:8888", "stratum+tcp://stratum.f2pool.com:8888", host: "stratum.f2pool.com",
             port: 8888, implied: true, pool: "f2pool"),
        Case("stratum.pool.io", "stratum+tcp://stratum.pool.io", host: "stratum.pool.io", port: nil, implied: true,
             pool: nil),
        Case("stratum.slushpool.com", "stratum+tcp://stratum.slushpool.com", host: "stratum.slushpool.com",
             port: nil, implied: true, pool: "braiins"),
        Case("stratum.slushpool.com:3333", "stratum+tcp://stratum.slushpool.com:3333", host: "stratum.slushpool.com",
             port: 3333, implied: true, pool: "braiins"),
        Case("us-east.stratum.slushpool.com", "stratum+tcp://us-east.stratum.slushpool.com",
             host: "us-east.stratum.slushpool.com", port: nil, implied: true, pool: "braiins"),
        Case("us.litecoinpool.org", "stratum+tcp://us.litecoinpool.org", host: "us.litecoinpool.org", port: nil,
             implied: true, pool: nil),
        Case("us1.ethpool.org", "stratum+tcp://us1.ethpool.org", host: "us1.ethpool.org", port: nil, implied: true,
             pool: nil),
        Case("xxxxxx", "stratum+tcp://xxxxxx", host: "xxxxxx", port: nil, implied: true, pool: nil),
    ]

    /// Forms not in the fixtures: other schemes, Stratum V2 keys, case and white space,
    /// region prefixes, the registry's hosts as their setup pages give them.
    static let otherURLs: [Case] = [
        Case("stratum+ssl://btcssl.f2pool.com:1300", "stratum+ssl://btcssl.f2pool.com:1300", host: "btcssl.f2pool.com",
             port: 1300, implied: false, pool: "f2pool"),
        Case("stratum+tls://eu.stratum.braiins.com:3333", "stratum+tls://eu.stratum.braiins.com:3333",
             host: "eu.stratum.braiins.com", port: 3333, implied: false, pool: "braiins"),
        Case("tcp://solo.ckpool.org:3333", "tcp://solo.ckpool.org:3333", host: "solo.ckpool.org", port: 3333,
             implied: false, pool: "ckpool-solo"),
        Case("stratum2+tcp://v2.stratum.braiins.com/u95GEReVMjK6k5YqiSFNqqTnKU4ypU2Wm8awa6tmbmDmk1bWt",
             "stratum2+tcp://v2.stratum.braiins.com/u95GEReVMjK6k5YqiSFNqqTnKU4ypU2Wm8awa6tmbmDmk1bWt",
             host: "v2.stratum.braiins.com", port: nil, key: "u95GEReVMjK6k5YqiSFNqqTnKU4ypU2Wm8awa6tmbmDmk1bWt",
             implied: false, pool: "braiins"),
        Case("stratum2+tcp://v2.stratum.braiins.com:3336/9awtMD5KQgvRUh2yFbjVeT7b6hjipWcAsQHd6wEhgtDT9soosna/",
             "stratum2+tcp://v2.stratum.braiins.com:3336/9awtMD5KQgvRUh2yFbjVeT7b6hjipWcAsQHd6wEhgtDT9soosna",
             host: "v2.stratum.braiins.com", port: 3336, key: "9awtMD5KQgvRUh2yFbjVeT7b6hjipWcAsQHd6wEhgtDT9soosna",
             implied: false, pool: "braiins"),
        // pyasic shows V2 pools without their key.
        Case("stratum2+tcp://v2.stratum.braiins.com:3336", "stratum2+tcp://v2.stratum.braiins.com:3336",
             host: "v2.stratum.braiins.com", port: 3336, implied: false, pool: "braiins"),
        Case("stratum2+tcp://75.119.150.111:3333", "stratum2+tcp://75.119.150.111:3333", host: "75.119.150.111",
             port: 3333, implied: false, pool: nil),
        Case("STRATUM+TCP://Solo.CKPool.ORG:3333", "stratum+tcp://solo.ckpool.org:3333", host: "solo.ckpool.org",
             port: 3333, implied: false, pool: "ckpool-solo"),
        Case("  stratum+tcp://solo.ckpool.org:3333/ \t", "stratum+tcp://solo.ckpool.org:3333", host: "solo.ckpool.org",
             port: 3333, implied: false, pool: "ckpool-solo"),
        Case("solo.ckpool.org:3333//", "stratum+tcp://solo.ckpool.org:3333", host: "solo.ckpool.org", port: 3333,
             implied: true, pool: "ckpool-solo"),
        Case("stratum+tcp://Parasite.wtf:42069", "stratum+tcp://parasite.wtf:42069", host: "parasite.wtf",
             port: 42069, implied: false, pool: "parasite"),
        Case("pool.example.com.:3333", "stratum+tcp://pool.example.com:3333", host: "pool.example.com", port: 3333,
             implied: true, pool: nil),
        Case("[::1]:3333", "stratum+tcp://[::1]:3333", host: "::1", port: 3333, implied: true, pool: nil),
        Case("stratum+tcp://[FE80::1]", "stratum+tcp://[fe80::1]", host: "fe80::1", port: nil, implied: false,
             pool: nil),
        Case("eusolo.ckpool.org:3333", "stratum+tcp://eusolo.ckpool.org:3333", host: "eusolo.ckpool.org", port: 3333,
             implied: true, pool: "ckpool-solo"),
        Case("solo.stratum.braiins.com:3333", "stratum+tcp://solo.stratum.braiins.com:3333",
             host: "solo.stratum.braiins.com", port: 3333, implied: true, pool: "braiins-solo"),
        Case("public-pool.io:21496", "stratum+tcp://public-pool.io:21496", host: "public-pool.io", port: 21496,
             implied: true, pool: "public-pool"),
        Case("pool.nerdminers.org:3333", "stratum+tcp://pool.nerdminers.org:3333", host: "pool.nerdminers.org",
             port: 3333, implied: true, pool: "nerdminers"),
        Case("pool.solomining.de:3333", "stratum+tcp://pool.solomining.de:3333", host: "pool.solomining.de",
             port: 3333, implied: true, pool: "solomining-de"),
        Case("pool.sethforprivacy.com:3333", "stratum+tcp://pool.sethforprivacy.com:3333",
             host: "pool.sethforprivacy.com", port: 3333, implied: true, pool: "sethforprivacy"),
        Case("pool.noderunners.network:1337", "stratum+tcp://pool.noderunners.network:1337",
             host: "pool.noderunners.network", port: 1337, implied: true, pool: "noderunners"),
        Case("stratum+tcp://btc.foundryusapool.com:3333", "stratum+tcp://btc.foundryusapool.com:3333",
             host: "btc.foundryusapool.com", port: 3333, implied: false, pool: "foundry"),
        Case("stratum+tcp://btc.secpool.com:3333", "stratum+tcp://btc.secpool.com:3333", host: "btc.secpool.com",
             port: 3333, implied: false, pool: "secpool"),
        Case("stratum+tcp://gate.emcd.io:3333", "stratum+tcp://gate.emcd.io:3333", host: "gate.emcd.io", port: 3333,
             implied: false, pool: "emcd"),
        Case("stratum+tcp://bs.poolbinance.com:3333", "stratum+tcp://bs.poolbinance.com:3333",
             host: "bs.poolbinance.com", port: 3333, implied: false, pool: "binance"),
        Case("stratum+tcp://btc.ss.poolin.me:443", "stratum+tcp://btc.ss.poolin.me:443", host: "btc.ss.poolin.me",
             port: 443, implied: false, pool: "poolin"),
        Case("stratum+tcp://btc-us.spiderpool.com:2309", "stratum+tcp://btc-us.spiderpool.com:2309",
             host: "btc-us.spiderpool.com", port: 2309, implied: false, pool: "spiderpool"),
        Case("stratum+tcp://sg.kano.is:3333", "stratum+tcp://sg.kano.is:3333", host: "sg.kano.is", port: 3333,
             implied: false, pool: "kano"),
        Case("stratum+tcp://stratum.sbicrypto.com:3333", "stratum+tcp://stratum.sbicrypto.com:3333",
             host: "stratum.sbicrypto.com", port: 3333, implied: false, pool: "sbicrypto"),
        // Look-alike hosts must not match on a partial label.
        Case("notf2pool.com:3333", "stratum+tcp://notf2pool.com:3333", host: "notf2pool.com", port: 3333,
             implied: true, pool: nil),
        Case("f2pool.com.evil.example:3333", "stratum+tcp://f2pool.com.evil.example:3333",
             host: "f2pool.com.evil.example", port: 3333, implied: true, pool: nil),
        Case("btc.com:3333", "stratum+tcp://btc.com:3333", host: "btc.com", port: 3333, implied: true, pool: nil),
    ]

    @Test(arguments: fixtureURLs + otherURLs)
    func parses(_ testCase: Case) throws {
        let url = try PoolURL.parse(testCase.input)
        #expect(url.normalized == testCase.normalized)
        #expect(url.host == testCase.host)
        #expect(url.port == testCase.port)
        #expect(url.authorityKey == testCase.key)
        #expect(url.schemeWasImplied == testCase.implied)
        #expect(url.extranonceSubscribe == testCase.xnsub)
        #expect(KnownPools.pool(for: url)?.id == testCase.pool)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let input: String
        let error: PoolURLError
        var testDescription: String { "'\(input)'" }
    }

    static let refusals: [Refusal] = [
        Refusal(input: "", error: .empty),
        Refusal(input: "  \t", error: .empty),
        Refusal(input: "DevFee", error: .placeholder("DevFee")),
        Refusal(input: "devfee", error: .placeholder("devfee")),
        Refusal(input: "*", error: .placeholder("*")),
        Refusal(input: "http://pool.example.com:80", error: .unsupportedScheme("http")),
        Refusal(input: "stratum+udp://pool.example.com:3333", error: .unsupportedScheme("stratum+udp")),
        Refusal(input: "stratum+tcp://", error: .invalidHost("")),
        Refusal(input: "stratum+tcp://:3333", error: .invalidHost("")),
        Refusal(input: "pool.example.com:", error: .invalidPort("")),
        Refusal(input: "pool.example.com:0", error: .invalidPort("0")),
        Refusal(input: "pool.example.com:65536", error: .invalidPort("65536")),
        Refusal(input: "pool.example.com:123456", error: .invalidPort("123456")),
        Refusal(input: "pool.example.com:-1", error: .invalidPort("-1")),
        Refusal(input: "pool.example.com:33a3", error: .invalidPort("33a3")),
        Refusal(input: "stratum+tcp://pool.example.com:3333/extra", error: .unexpectedPath("extra")),
        Refusal(input: "stratum2+tcp://v2.stratum.braiins.com/not-a-key", error: .invalidAuthorityKey("not-a-key")),
        Refusal(input: "stratum2+tcp://v2.stratum.braiins.com/0OIl", error: .invalidAuthorityKey("0OIl")),
        Refusal(input: "stratum+tcp://user:pass@pool.example.com:3333", error: .unexpectedUserInfo),
        Refusal(input: "stratum+tcp://pool.example.com:3333#foo", error: .unexpectedFragment("foo")),
        Refusal(input: "bad_host.example.com:3333", error: .invalidHost("bad_host.example.com")),
        Refusal(input: "-bad.example.com", error: .invalidHost("-bad.example.com")),
        Refusal(input: "a..b:3333", error: .invalidHost("a..b")),
        Refusal(input: "300.1.1.1:3333", error: .invalidHost("300.1.1.1")),
        Refusal(input: "fe80::1:3333", error: .invalidHost("fe80::1:3333")),
        Refusal(input: "[fe80::1", error: .invalidHost("[fe80::1")),
        Refusal(input: "[]:3333", error: .invalidHost("[]:3333")),
        Refusal(input: "Yop yop", error: .invalidHost("Yop yop")),
        // A JSON value read without decoding its escapes: the scheme is not recognised.
        Refusal(input: #"stratum+tcp:\/\/stratum.antpool.com:443"#, error: .invalidHost("stratum+tcp")),
    ]

    @Test(arguments: refusals)
    func refuses(_ refusal: Refusal) {
        #expect(throws: refusal.error) { try PoolURL.parse(refusal.input) }
        #expect(PoolURL(refusal.input) == nil)
    }

    struct SplitPort: Sendable, CustomTestStringConvertible {
        let host: String
        let port: Int?
        let normalized: String
        var testDescription: String { "\(host) + \(port.map(String.init) ?? "nil")" }
    }

    /// AxeOS reports `stratumURL` (host) and `stratumPort` separately.
    static let splitPorts: [SplitPort] = [
        SplitPort(host: "172.17.1.6", port: 2018, normalized: "stratum+tcp://172.17.1.6:2018"),
        SplitPort(host: "solo.ckpool.org", port: 3333, normalized: "stratum+tcp://solo.ckpool.org:3333"),
        SplitPort(host: "btc.example.pool", port: 3333, normalized: "stratum+tcp://btc.example.pool:3333"),
        SplitPort(host: "btc.example.pool:4444", port: 3333, normalized: "stratum+tcp://btc.example.pool:4444"),
        SplitPort(host: "stratum+tcp://public-pool.io", port: 21496, normalized: "stratum+tcp://public-pool.io:21496"),
        SplitPort(host: "solo.ckpool.org", port: 0, normalized: "stratum+tcp://solo.ckpool.org"),
        SplitPort(host: "solo.ckpool.org", port: nil, normalized: "stratum+tcp://solo.ckpool.org"),
    ]

    @Test(arguments: splitPorts)
    func hostWithSeparatePort(_ split: SplitPort) throws {
        #expect(try PoolURL.parse(split.host, port: split.port).normalized == split.normalized)
    }

    @Test func separatePortOutOfRange() {
        #expect(throws: PoolURLError.invalidPort("70000")) { try PoolURL.parse("solo.ckpool.org", port: 70000) }
    }

    @Test func schemesAndAddresses() throws {
        #expect(try PoolURL.parse("stratum+ssl://a.example:1").scheme.isEncrypted)
        #expect(try PoolURL.parse("stratum2+tcp://a.example:1").scheme == .stratumV2)
        #expect(try !PoolURL.parse("a.example:1").scheme.isEncrypted)
        #expect(try PoolURL.parse("172.17.1.6").hostIsIPAddress)
        #expect(try PoolURL.parse("[::1]").hostIsIPAddress)
        #expect(try !PoolURL.parse("solo.ckpool.org").hostIsIPAddress)
    }

    @Test func errorMessages() {
        #expect(PoolURLError.placeholder("DevFee").description == "'DevFee' is a firmware pseudo-pool, not an address")
        #expect(PoolURLError.invalidPort("0").description == "invalid port '0'")
        #expect(PoolURLError.unsupportedScheme("http").description == "unsupported scheme 'http'")
    }
}
