#if canImport(Glibc)
import Glibc
#endif

/// Raised when stdout's reader went away (EPIPE): the command stops quietly with exit 0,
/// as `| head -1` expects.
public struct OutputClosed: Error {}

/// Raised when writing stdout failed otherwise (disk full...): exit 74.
public struct OutputFailed: Error {
    public var errno: Int32
}

/// A buffered writer over a file descriptor, or over memory for tests.
///
/// Writes are buffered and flushed when the buffer fills, on `flush()`, and at exit;
/// streaming commands flush after every record so a pipe sees each line at once.
public final class OutputStream {
    private let descriptor: Int32?
    private var buffer: [UInt8] = []
    /// Everything written, when the stream is in memory.
    public private(set) var captured: [UInt8] = []
    private var failure: Error?

    /// A stream over a file descriptor (1 or 2).
    public init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    /// An in-memory stream for tests.
    public init() {
        descriptor = nil
    }

    public var capturedText: String { String(decoding: captured, as: UTF8.self) }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes a line (a newline is appended).
    public func line(_ text: String) throws {
        try write(text)
        try write("\n")
    }

    public func flush() throws {
        if let failure { throw failure }
        guard !buffer.isEmpty else { return }
        guard let descriptor else {
            captured.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let error: Error = errno == EPIPE ? OutputClosed() : OutputFailed(errno: errno)
                failure = error
                buffer.removeAll()
                throw error
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
