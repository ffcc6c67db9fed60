import BitlinkCore
import Testing

/// FIPS 180-4 / NIST example vectors, plus lengths around the padding boundary
/// (55, 56, 63, 64 bytes), where an off-by-one in the length block would show.
@Suite("SHA-256")
struct SHA256Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let message: String
        let repeatCount: Int
        let digest: String
        var testDescription: String { "\(repeatCount == 1 ? "" : "\(repeatCount)x ")\"\(message.prefix(20))\"" }
    }

    static let vectors: [Vector] = [
        Vector(message: "", repeatCount: 1,
               digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector(message: "abc", repeatCount: 1,
               digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Vector(message: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", repeatCount: 1,
               digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        Vector(message: "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
               repeatCount: 1,
               digest: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        Vector(message: "The quick brown fox jumps over the lazy dog", repeatCount: 1,
               digest: "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
        Vector(message: "a", repeatCount: 55,
               digest: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        Vector(message: "a", repeatCount: 56,
               digest: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        Vector(message: "a", repeatCount: 63,
               digest: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        Vector(message: "a", repeatCount: 64,
               digest: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    ]

    @Test(arguments: vectors)
    func digest(_ vector: Vector) {
        let bytes = Array(String(repeating: vector.message, count: vector.repeatCount).utf8)
        #expect(SHA256.hex(SHA256.hash(bytes)) == vector.digest)
    }

    @Test("one million 'a' (NIST long message)")
    func millionA() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(SHA256.hash(bytes)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("double SHA-256 of \"hello\" (Bitcoin wiki example)")
    func doubleHash() {
        #expect(SHA256.hex(SHA256.doubleHash(Array("hello".utf8)))
            == "9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50")
    }

    @Test func digestIs32Bytes() {
        #expect(SHA256.hash([UInt8]()).count == 32)
    }
}
