import BitlinkCore
import Glibc

/// The manifest file: what a test or a person needs to know about each simulated miner.
enum FleetManifest {
    static func json(config: FleetConfig, miners: [SimulatedMiner]) -> JSONValue {
        func port(_ miner: SimulatedMiner, _ service: ServicePort) -> JSONValue {
            miner.ports[service].map { .int(Int64($0)) } ?? .null
        }
        let entries: [JSONValue] = miners.map { miner in
            .object(JSONObject([
                .init(key: "index", value: .int(Int64(miner.index))),
                .init(key: "address", value: .string(miner.address.description)),
                .init(key: "ports", value: .object(JSONObject([
                    .init(key: "api", value: port(miner, .api)),
                    .init(key: "http", value: port(miner, .http)),
                    .init(key: "whatsminer_v3", value: port(miner, .whatsminerV3)),
                ]))),
                .init(key: "family", value: .string(miner.family.rawValue)),
                .init(key: "model", value: .string(miner.model.model)),
                .init(key: "model_name", value: .string(miner.model.name)),
                .init(key: "firmware", value: .string(miner.model.firmware)),
                .init(key: "fixture_dir", value: .string(miner.model.fixtureDirectory)),
                .init(key: "faults", value: .array(miner.faults.sorted().map { .string($0.rawValue) })),
                .init(key: "mac", value: .string(miner.mac.description)),
                .init(key: "expected_mac", value: miner.expectedMAC.map { .string($0.description) } ?? .null),
                .init(key: "pool_user", value: JSONValue(miner.poolUser)),
                .init(key: "sleeping_capture", value: .bool(miner.model.sleepingCapture)),
            ]))
        }
        return .object(JSONObject([
            .init(key: "seed", value: .int(Int64(bitPattern: config.seed))),
            .init(key: "subnet", value: .string(config.subnet.description)),
            .init(key: "layout", value: .string(config.layout.rawValue)),
            .init(key: "count", value: .int(Int64(miners.count))),
            .init(key: "ports", value: .object(JSONObject([
                .init(key: "api", value: .int(Int64(config.ports.api))),
                .init(key: "http", value: .int(Int64(config.ports.http))),
                .init(key: "whatsminer_v3", value: .int(Int64(config.ports.whatsminerV3))),
            ]))),
            .init(key: "miners", value: .array(entries)),
        ]))
    }

    static func write(_ manifest: JSONValue, to path: String) throws {
        guard let file = fopen(path, "w") else {
            throw SimError.invalidValue(what: "manifest file", value: path, why: SimError.errnoText(errno))
        }
        defer { fclose(file) }
        fputs(manifest.encoded(pretty: true) + "\n", file)
    }
}
