import Foundation
import Testing

/// `miners` and `wallets` end to end: stdout, stderr and exit status, piped, on a
/// terminal, and as JSON.
struct MinersCommandTests {
    @Test func addThenListPipedTTYAndJSON() throws {
        let sandbox = Sandbox()
        let added = try sandbox.bitlink(["miners", "add", "10.0.0.5", "--name", "rig1", "--type", "antminer", "--port", "4029"])
        #expect(added.status == 0)
        #expect(added.stdout == "1\trig1\tantminer\t10.0.0.5\tunknown\t\t\t\n")
        #expect(added.stderr.isEmpty)

        try sandbox.bitlink(["miners", "add", "bitaxe.lan", "--type", "axeos"])

        let piped = try sandbox.bitlink(["miners", "list"])
        #expect(piped.status == 0)
        #expect(piped.stdout == "1\trig1\tantminer\t10.0.0.5\tunknown\t\t\t\n2\tbitaxe.lan\taxeos\tbitaxe.lan\tunknown\t\t\t\n")

        let tty = try sandbox.bitlink(["miners", "list"], tty: true)
        #expect(tty.lines.first == "ID  NAME        TYPE      ADDRESS     STATUS   MODEL  FIRMWARE  LAST SEEN")
        #expect(tty.lines.count == 3)
        #expect(!tty.stdout.contains(" \n"), "no trailing spaces")

        let json = try sandbox.bitlink(["miners", "list", "--json"])
        let array = try #require(try json.json() as? [[String: Any]])
        #expect(array.count == 2)
        #expect(array[0]["name"] as? String == "rig1")
        #expect(array[0]["api_port"] as? Int == 4029)
        #expect(array[0]["last_seen"] is NSNull)
        let keys = Set(array[0].keys)
        #expect(keys == ["id", "name", "miner_type", "model", "firmware", "ip_address", "mac_address", "hostname", "serial", "api_port",
            "http_port", "v3_port", "status", "status_reasons", "enabled", "auto_discovered", "created_at", "last_seen"])
        // Keys are sorted and the document is one line when piped.
        #expect(json.stdout.hasPrefix("[{\"api_port\":4029,\"auto_discovered\":false,"))
        #expect(json.lines.count == 1)
    }

    @Test func listFilters() throws {
        let sandbox = Sandbox()
        try sandbox.bitlink(["miners", "add", "10.0.0.5", "--type", "antminer"])
        try sandbox.bitlink(["miners", "add", "10.0.0.6", "--type", "axeos"])
        try sandbox.bitlink(["miners", "set", "10.0.0.6", "--disable"])
        #expect(try sandbox.bitlink(["miners", "list", "--type", "axeos"]).lines.map { $0.split(separator: "\t")[1] } == ["10.0.0.6"])
        #expect(try sandbox.bitlink(["miners", "list", "--enabled"]).lines.map { $0.split(separator: "\t")[1] } == ["10.0.0.5"])
        #expect(try sandbox.bitlink(["miners", "list", "--disabled"]).lines.map { $0.split(separator: "\t")[1] } == ["10.0.0.6"])
        #expect(try sandbox.bitlink(["miners", "list", "--status", "dead"]).stdout.isEmpty)
        let bad = try sandbox.bitlink(["miners", "list", "--status", "deed"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("Did you mean 'dead'?"))
    }

    @Test func emptyListIsSuccessWithNothingOnAPipe() throws {
        let sandbox = Sandbox()
        try sandbox.bitlink(["wallets", "add", "acme"])  // creates the database
        let piped = try sandbox.bitlink(["miners", "list"])
        #expect(piped.status == 0)
        #expect(piped.stdout.isEmpty)
        #expect(piped.stderr.isEmpty)
        let json = try sandbox.bitlink(["miners", "list", "--json"])
        #expect(json.stdout == "[]\n")
        let tty = try sandbox.bitlink(["miners", "list"], tty: true)
        #expect(tty.stdout.isEmpty)
        #expect(tty.stderr.contains("no miners"))
    }

    @Test(arguments: [
        (["miners", "add"], "missing argument HOST"),
        (["miners", "add", "999.1.1.1"], "invalid address: '999.1.1.1' is not a valid IPv4 address"),
        (["miners", "add", "10.0.0"], "invalid address: '10.0.0' is not a valid IPv4 address"),
        (["miners", "add", "bad_host!"], "invalid address: 'bad_host!' is neither an IPv4 address nor a valid host name"),
        (["miners", "add", "10.0.0.5", "--type", "antmner"], "invalid miner type 'antmner' for '--type'"),
        (["miners", "add", "10.0.0.5", "--port", "70000"], "invalid value '70000' for '--port'"),
        (["miners", "add", "10.0.0.5", "--name", "42"], "a name cannot be all digits"),
        (["miners", "set", "x"], "nothing to change"),
    ])
    func badInputExits64(_ arguments: [String], _ message: String) throws {
        let sandbox = Sandbox()
        let result = try sandbox.bitlink(arguments)
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.contains("usage: bitlink"))
    }

    @Test func duplicatesAreRefusedWithExit1() throws {
        let sandbox = Sandbox()
        try sandbox.bitlink(["miners", "add", "10.0.0.5", "--name", "rig1"])
        let sameAddress = try sandbox.bitlink(["miners", "add", "10.0.0.5", "--name", "rig2"])
        #expect(sameAddress.status == 1)
        #expect(sameAddress.stderr == "bitlink: miner 'rig1' already has address 10.0.0.5\n")
        let sameName = try sandbox.bitlink(["miners", "add", "10.0.0.6", "--name", "rig1"])
        #expect(sameName.status == 1)
        #expect(sameName.stderr.hasPrefix("bitlink: a miner named 'rig1' already exists\n"))
        #expect(try sandbox.bitlink(["miners", "list"]).lines.count == 1)
    }

    @Test func removeSeveralReportsUnknownOnesAndExits1() throws {
        let sandbox = Sandbox()
        try sandbox.bitlink(["miners", "add", "10.0.0.5", "--name", "a"])
        try sandbox.bitlink(["miners", "add", "10.0.0.6", "--name", "b"])
        try sandbox.bitlink(["miners", "add", "10.0.0.7", "--name", "c"])
        let result = try sandbox.bitlink(["miners", "rm", "a", "nope", "10.0.0.7"])
        #expect(result.status == 1)
        #expect(result.stderr == "bitlink: no miner matches 'nope'\n")
        #expect(result.lines.map { $0.split(separator: "\t")[1] } == ["a", "c"])
        #expect(try sandbox.bitlink(["miners", "list"]).lines.map { $0.split(separator: "\t")[1] } == ["b"])
        let byID = try sandbox.bitlink(["miners", "rm", "2", "--json"])
        #expect(byID.status == 0)
        let removed = try #require(try byID.json() as? [[String: Any]])
        #expect(removed.map { $0["name"] as? String } == ["b"])
    }

    @Test func showAndSet() throws {
        let sandbox = Sandbox()
        try sandbox.bitlink(["miners", "add", "10.0.0.5", "--name", "rig1"])
        let updated = try sandbox.bitlink(["miners", "set", "rig1", "--name", "rig9", "--type", "whatsminer", "--http-port", "8080", "--json"])
        #expect(updated.status == 0)
        let object = try #require(try updated.json() as? [String: Any])
        #expect(object["name"] as? String == "rig9")
        #expect(object["miner_type"] as? String == "whatsminer")
        #expect(object["http_port"] as? Int == 8080)
        let shown = try sandbox.bitlink(["miners", "show", "10.0.0.5"], tty: true)
        #expect(shown.stdout.contains("name:       rig9"))
        #expect(shown.stdout.contains("http port:  8080"))
        let piped = try sandbox.bitlink(["miners", "show", "rig9"])
        #expect(piped.stdout == "1\trig9\twhatsminer\t10.0.0.5\tunknown\t\t\t\n")
        let missing = try sandbox.bitlink(["miners", "show", "nope"])
        #expect(missing.status == 66)
        #expect(missing.stderr.hasPrefix("bitlink: no miner matches 'nope'\n"))
        let clash = try sandbox.bitlink(["miners", "add", "10.0.0.6", "--name", "other"])
        #expect(clash.status == 0)
        let rename = try sandbox.bitlink(["miners", "set", "other", "--name", "rig9"])
        #expect(rename.status == 1)
        let conflicting = try sandbox.bitlink(["miners", "set", "rig9", "--enable", "--disable"])
        #expect(conflicting.status == 64)
    }

    @Test func walletsAddListRemove() throws {
        let sandbox = Sandbox()
        let address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
        let added = try sandbox.bitlink(["wallets", "add", address, "--label", "solo", "--pool", "ckpool-solo"])
        #expect(added.status == 0, "\(added)")
        #expect(added.stdout.hasPrefix("1\t\(address)\tsolo\tckpool-solo\t"))
        let duplicate = try sandbox.bitlink(["wallets", "add", address.uppercased()])
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("already tracked"))
        try sandbox.bitlink(["wallets", "add", "acme", "--label", "farm"])
        let listed = try sandbox.bitlink(["wallets", "list", "--json"])
        let wallets = try #require(try listed.json() as? [[String: Any]])
        #expect(wallets.map { $0["address"] as? String } == [address, "acme"])
        #expect(Set(wallets[0].keys) == ["id", "address", "label", "pool", "created_at"])
        let removed = try sandbox.bitlink(["wallets", "rm", "farm"])
        #expect(removed.status == 0)
        #expect(try sandbox.bitlink(["wallets", "list"]).lines.count == 1)
        let unknown = try sandbox.bitlink(["wallets", "rm", "nobody"])
        #expect(unknown.status == 66)
    }

    @Test(arguments: ["bc1qnotvalid!", "1BoatSLRHtKNngkdXEeobR76b53LETtpyX", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdX", "acme corp", ""])
    func invalidWalletsExit64(_ address: String) throws {
        let result = try Sandbox().bitlink(["wallets", "add", address])
        #expect(result.status == 64, "\(address): \(result)")
        #expect(result.stderr.contains("bitlink: "))
    }
}
