/// Turns a complete, well-formed reply into what a faulty miner puts on the wire.
enum FaultShaping {
    /// Default size of an oversized reply: far beyond any sane reply cap.
    static let defaultOversizeBytes = 64 << 20

    /// A cut reply: the first 60% of the bytes, no NUL (at least 1 byte, never all).
    static func truncated(_ reply: [UInt8]) -> [UInt8] {
        guard reply.count > 1 else { return reply }
        return Array(reply.prefix(max(1, min(reply.count - 1, reply.count * 6 / 10))))
    }

    /// Bytes that are not the reply: broken JSON then binary noise, deterministic per miner.
    static func garbage(seed: UInt64, miner: Int) -> [UInt8] {
        var out = Array("{\"STATUS\":[{\"STATUS\":\"S\"}{\"When\":,\"Code\":\u{7f}".utf8)
        for i in 0..<96 {
            out.append(UInt8(truncatingIfNeeded: SimRandom.hash(seed, UInt64(miner), 0x6A7B, UInt64(i))) | 0x80)
        }
        return out
    }

    /// The first half of the reply (sent before the reset).
    static func firstHalf(_ reply: [UInt8]) -> [UInt8] {
        Array(reply.prefix(max(1, reply.count / 2)))
    }

    /// The head of an oversized CGMiner reply; the padding that follows is streamed.
    static func oversizedAPIHead(description: String, when: Int) -> [UInt8] {
        Array("{\"STATUS\":[{\"STATUS\":\"S\",\"When\":\(when),\"Code\":70,\"Msg\":\"CGMiner stats\",\"Description\":\(BitlinkJSONString.quoted(description))}],\"STATS\":[{\"pad\":\"".utf8)
    }

    static let oversizedTail = Array("\"}],\"id\":1}".utf8)

    /// One reusable chunk of padding.
    static let paddingChunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
}
