#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 UTC timestamps (`2026-11-23T23:45:00Z`), the only time format bitlink prints
/// for machines.
public enum RFC3339 {
    /// Appends the 20 bytes of the timestamp, without quotes. Lists write two per row, so
    /// the digits go into a stack buffer and the output grows once.
    public static func append(_ unix: Int64, to out: inout [UInt8]) {
        var time = time_t(unix)
        var parts = tm()
        gmtime_r(&time, &parts)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            func two(_ value: Int32, at offset: Int) {
                buffer[offset] = UInt8(48 + value / 10 % 10)
                buffer[offset + 1] = UInt8(48 + value % 10)
            }
            let year = parts.tm_year + 1900
            two(year / 100, at: 0)
            two(year % 100, at: 2)
            buffer[4] = UInt8(ascii: "-")
            two(parts.tm_mon + 1, at: 5)
            buffer[7] = UInt8(ascii: "-")
            two(parts.tm_mday, at: 8)
            buffer[10] = UInt8(ascii: "T")
            two(parts.tm_hour, at: 11)
            buffer[13] = UInt8(ascii: ":")
            two(parts.tm_min, at: 14)
            buffer[16] = UInt8(ascii: ":")
            two(parts.tm_sec, at: 17)
            buffer[19] = UInt8(ascii: "Z")
            out.append(contentsOf: UnsafeBufferPointer(buffer))
        }
    }

    public static func format(_ unix: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        append(unix, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
