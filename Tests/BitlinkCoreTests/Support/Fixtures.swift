import BitlinkCore
import Foundation

/// Loads captured replies from `Tests/Fixtures` (located from this file's path, so tests
/// run from any working directory). Fixture files are never modified.
enum Fixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // BitlinkCoreTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    /// The bytes of one fixture, e.g. `bytes("antminer/S19_foreman/stats.json")`.
    static func bytes(_ path: String) -> [UInt8] {
        let url = root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("missing fixture \(path)")
        }
        return [UInt8](data)
    }

    /// The text of one fixture.
    static func text(_ path: String) -> String {
        String(decoding: bytes(path), as: UTF8.self)
    }

    /// Every fixture file under a folder (recursively), as paths relative to `root`, sorted.
    static func files(under folder: String = "", extensions: Set<String> = ["json", "txt"]) -> [String] {
        let base = folder.isEmpty ? root : root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var paths: [String] = []
        while let item = enumerator.nextObject() as? String {
            let url = base.appendingPathComponent(item)
            guard extensions.contains(url.pathExtension) else { continue }
            paths.append(folder.isEmpty ? item : folder + "/" + item)
        }
        return paths.filter { !$0.hasSuffix("SOURCES.md") }.sorted()
    }

    /// The fixture directories of a family (`antminer/S19_foreman`...), sorted.
    static func directories(of family: String) -> [String] {
        let base = root.appendingPathComponent(family)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.map { family + "/" + $0 }.sorted()
    }

    /// The replies a directory holds, keyed by the request that produced each capture:
    /// `version.json` -> CGMiner `version`; `pools+summary+stats.json` -> that multi-command;
    /// `http_cgi-bin_stats.cgi.json` -> `GET /cgi-bin/stats.cgi`; `api_system_info.json` ->
    /// `GET /api/system/info`; `get.device.info.json` -> Whatsminer v3 `get.device.info`;
    /// `*.txt` CGMiner captures -> the command in text form. Second captures (`__2`) and
    /// files named in `skip` are left out; `transform` may adjust bytes (e-mail wrapping).
    static func replies(
        _ directory: String,
        skip: Set<String> = [],
        transform: ([UInt8]) -> [UInt8] = { $0 }
    ) -> Replies {
        var replies = Replies()
        for path in files(under: directory) {
            let name = (path as NSString).lastPathComponent
            guard !skip.contains(name), !name.contains("__2") else { continue }
            guard let request = request(forFile: name) else { continue }
            let body = transform(bytes(path))
            switch request.kind {
            case .httpGet:
                replies[request] = .success(.http(HTTPResponse(status: 200, reason: "OK", body: body)))
            default:
                replies[request] = .success(.bytes(body))
            }
        }
        return replies
    }

    /// Maps a fixture file name to the request it answers; nil for files that are not replies.
    static func request(forFile name: String) -> Request? {
        let stem = (name as NSString).deletingPathExtension
        if stem.hasSuffix(".wire") { return nil }
        if stem.hasPrefix("http_"), stem.hasSuffix(".cgi"), !stem.contains("cgi-bin") {
            return .http("/" + stem.dropFirst("http_".count))  // `/get_minerinfo.cgi`
        }
        if stem.hasPrefix("http_") {
            var path = String(stem.dropFirst("http_".count))
            path = "/" + path.replacingOccurrences(of: "_", with: "/")
            // `cgi-bin/get/system/info.cgi` -> keep underscores inside CGI names.
            if let range = path.range(of: "/cgi-bin/") {
                let cgi = path[range.upperBound...].replacingOccurrences(of: "/", with: "_")
                if cgi.hasPrefix("luci") {
                    path = "/cgi-bin/" + cgi.replacingOccurrences(of: "_", with: "/")
                } else {
                    path = "/cgi-bin/" + cgi
                }
            }
            return .http(path)
        }
        switch stem {
        case "api_system_info": return .http("/api/system/info")
        case "api_system_asic": return .http("/api/system/asic")
        case "probe": return .http("/probe")
        case "alive": return .http("/alive")
        case "get.device.info", "get.device.info_with-errors": return .whatsminerV3("get.device.info")
        default: break
        }
        if stem.hasPrefix("gql_") || stem.hasPrefix("rest_") || stem.hasPrefix("web_") || stem.hasPrefix("ascset") {
            return nil
        }
        // Handshakes, encrypted replies and Sealminer web CGIs are not CGMiner API reads.
        if ["enc", "get_token", "get_system_info", "miner_psu_status"].contains(stem) { return nil }
        // `stats_TRUNCATED`, `devdetails_ERROR-access-denied`, `stats_email-wrapped`.
        let command = stem.split(separator: "_").first.map(String.init) ?? stem
        if stem.hasPrefix("get_") || stem.hasPrefix("miner_") { return .cgminer(stem) }
        return .cgminer(command)
    }
}

/// A small deterministic generator (SplitMix64) for reproducible "random" cuts.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Replies {
    /// Adds a CGMiner reply given as text.
    mutating func add(_ request: Request, _ text: String) {
        self[request] = .success(.bytes(Array(text.utf8)))
    }
}
