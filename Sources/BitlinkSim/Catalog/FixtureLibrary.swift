import Glibc

/// The captured replies of one model, loaded once and shared by every miner of that model.
final class ModelFixtures: Sendable {
    /// One captured CGMiner API reply.
    struct Capture: Sendable {
        /// Bytes as stored in the fixture.
        let bytes: [UInt8]
        /// Stored in the cgminer text form (`STATUS=S,...|`).
        let isText: Bool
        /// Exact wire bytes (`*.wire.txt`): already framed with the NUL, sent verbatim.
        let isWire: Bool
        /// The capture is known to be incomplete; it is served as is and never converted.
        let isPartial: Bool
    }

    let model: SimModel
    /// CGMiner API replies by command (`version`, `summary`, `pools+summary+stats`...).
    let commands: [String: Capture]
    /// HTTP bodies by path.
    let httpBodies: [String: [UInt8]]
    /// Whatsminer API v3 replies by command.
    let v3: [String: [UInt8]]

    /// Whether any capture carries a MAC address (which the simulator rewrites per miner).
    let reportsMAC: Bool

    /// These fixtures with the sleeping variant's captures taking precedence.
    func overlaid(by sleeping: ModelFixtures) -> ModelFixtures {
        ModelFixtures(model: model, commands: commands.merging(sleeping.commands) { $1 },
                      httpBodies: httpBodies.merging(sleeping.httpBodies) { $1 }, v3: v3.merging(sleeping.v3) { $1 })
    }

    init(model: SimModel, commands: [String: Capture], httpBodies: [String: [UInt8]], v3: [String: [UInt8]]) {
        self.model = model
        self.commands = commands
        self.httpBodies = httpBodies
        self.v3 = v3
        let all = commands.values.map(\.bytes) + Array(httpBodies.values) + Array(v3.values)
        reportsMAC = all.contains { bytes in
            ["\"MAC\"", "\"mac\"", "\"macAddr\"", "\"macaddr\"", "MAC="].contains { bytes.firstRange(of: Array($0.utf8)) != nil }
        }
    }
}

/// Finds `Tests/Fixtures` and loads model fixtures from it.
public struct FixtureLibrary: Sendable {
    /// Absolute path of the fixtures directory.
    public let root: String

    /// Uses `root` when given, else `$BITLINK_SIM_FIXTURES`, else the first
    /// `Tests/Fixtures` found walking up from the current directory and from the
    /// executable's directory.
    public init(root: String? = nil) throws {
        self.root = try Self.locate(root)
    }

    private static func locate(_ root: String?) throws -> String {
        if let root {
            guard FixtureFiles.exists(root + "/SOURCES.md") else {
                throw SimError.fixtures("\(root) is not a fixtures directory (no SOURCES.md)")
            }
            return root
        }
        if let env = getenv("BITLINK_SIM_FIXTURES").map({ String(cString: $0) }), !env.isEmpty {
            return try locate(env)
        }
        for start in [FixtureFiles.currentDirectory(), FixtureFiles.executableDirectory()].compactMap({ $0 }) {
            var directory: String? = start
            while let current = directory {
                let candidate = (current == "/" ? "" : current) + "/Tests/Fixtures"
                if FixtureFiles.exists(candidate + "/SOURCES.md") { return candidate }
                directory = FixtureFiles.parent(current)
            }
        }
        throw SimError.fixtures("Tests/Fixtures not found; run from the bitlink checkout or set BITLINK_SIM_FIXTURES")
    }

    /// The file name's command: `devdetails_ERROR-access-denied.json` -> `devdetails`,
    /// `stats_TRUNCATED.txt` -> `stats`. Nil for files the simulator does not serve.
    static func classify(_ file: String) -> (command: String, kind: FileKind)? {
        var stem = file
        var kind = FileKind.json
        if stem.hasSuffix(".wire.txt") {
            stem.removeLast(".wire.txt".count)
            kind = .wire
        } else if stem.hasSuffix(".json") {
            stem.removeLast(".json".count)
        } else if stem.hasSuffix(".txt") {
            stem.removeLast(".txt".count)
            kind = .text
        } else {
            return nil
        }
        // Second captures of the same command (`__2`) are alternatives; the first one is served.
        if stem.contains("__") { return nil }
        // Other interfaces than the ones simulated: web CGI, GraphQL, REST, web config.
        for prefix in ["http_", "gql_", "rest_", "web_"] where stem.hasPrefix(prefix) { return nil }
        var partial = false
        for marker in ["_ERROR-", "_TRUNCATED", "_email-wrapped", "_with-errors"] {
            if let range = stem.firstRange(of: marker) {
                if marker == "_with-errors" { return nil }
                // Only a truncated capture is incomplete; the e-mail-wrapped one is whole once unwrapped.
                if marker == "_TRUNCATED" { partial = true }
                stem = String(stem[..<range.lowerBound])
            }
        }
        // Replies to writing commands (ascset_help, ascset_softoff...) are never served:
        // those commands get Code 45.
        if stem.hasPrefix("ascset") { return nil }
        if partial, kind == .text { kind = .partialText }
        return (stem, kind)
    }

    enum FileKind { case json, text, partialText, wire }

    func load(_ model: SimModel) throws -> ModelFixtures {
        let directory = root + "/" + model.fixtureDirectory
        var files: [(command: String, kind: FileKind, path: String)] = []
        for file in try FixtureFiles.list(directory) {
            guard let (command, kind) = Self.classify(file) else { continue }
            files.append((command, kind, directory + "/" + file))
        }
        for (command, relative) in model.extraFiles.sorted(by: { $0.key < $1.key }) {
            files.removeAll { $0.command == command }
            files.append((command, relative.hasSuffix(".txt") ? .text : .json, root + "/" + relative))
        }

        var commands: [String: ModelFixtures.Capture] = [:]
        var http: [String: [UInt8]] = [:]
        var v3: [String: [UInt8]] = [:]
        for file in files {
            var bytes = try FixtureFiles.read(file.path)
            if file.path.hasSuffix("_email-wrapped.txt") {
                // The mail client broke the one-line reply at word boundaries; SOURCES.md says
                // joining the lines with one space gives back the device's line.
                bytes = bytes.map { $0 == 0x0A ? 0x20 : $0 }
                while bytes.last == 0x20 { bytes.removeLast() }
            }
            switch (model.http, file.command) {
            case (.axeos, "api_system_info"), (.nmminer, "api_system_info"):
                http["/api/system/info"] = bytes
                continue
            case (.axeos, "api_system_asic"):
                http["/api/system/asic"] = bytes
                continue
            case (.nmminer, "probe"), (.nmminer, "alive"):
                http["/" + file.command] = bytes
                continue
            default: break
            }
            if model.hasWhatsminerV3, file.command.contains(".") {
                v3[file.command] = bytes
                continue
            }
            guard model.hasAPI else { continue }
            // A wire capture wins over the JSON of the same command.
            if commands[file.command]?.isWire == true { continue }
            commands[file.command] = ModelFixtures.Capture(
                bytes: bytes,
                isText: file.kind == .text || file.kind == .partialText,
                isWire: file.kind == .wire,
                isPartial: file.kind == .partialText)
        }
        return ModelFixtures(model: model, commands: commands, httpBodies: http, v3: v3)
    }
}
