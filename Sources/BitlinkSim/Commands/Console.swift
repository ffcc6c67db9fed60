import Glibc

/// Writing to the standard streams without touching C's global FILE pointers
/// (which Swift 6 treats as shared mutable state).
enum Console {
    /// Writes to stderr, unbuffered.
    static func error(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Flushes Swift's buffered stdout (before a child process writes to the same stream).
    static func flush() { fflush(nil) }
}
