#if canImport(Glibc)
import Glibc
#endif

/// Reading files and stdin whole, without Foundation.
enum StandardInput {
    /// Every line of stdin (a last line without a newline included).
    static func lines() -> [String] {
        lines(of: readAll(0) ?? [])
    }

    /// The text of a file, or nil (with `errno` set) when it cannot be read.
    static func file(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Everything readable from a descriptor until EOF; nil on a read error.
    static func readAll(_ fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    static func lines(of bytes: [UInt8]) -> [String] {
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
