import BitlinkCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads scan targets: words from the command line, `@FILE` and `-` (one per line,
/// `#` comments allowed).
enum TargetInput {
    /// Bad lines of a file or of stdin are bad input data (exit 65, naming the line);
    /// bad words on the command line stay usage errors (64), reported by `spec`.
    static func words(_ arguments: [String], invocation: Invocation) throws -> [String] {
        var words: [String] = []
        for argument in arguments {
            if argument == "-" {
                words.append(contentsOf: try checked(StandardInput.lines(), source: "stdin"))
            } else if argument.hasPrefix("@") {
                let path = String(argument.dropFirst())
                guard let text = StandardInput.file(path) else {
                    throw BitlinkError(.notFound, "cannot read target file \(path): \(String(cString: strerror(errno)))")
                }
                words.append(contentsOf: try checked(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), source: path))
            } else {
                words.append(argument)
            }
        }
        return words
    }

    /// The targets of each line (`#` starts a comment), each one checked.
    static func checked(_ lines: [String], source: String) throws -> [String] {
        var words: [String] = []
        for (number, line) in lines.enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            for token in content.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
                do {
                    _ = try TargetSpec.parseToken(String(token))
                } catch {
                    throw BitlinkError(.invalidInput, "\(source) line \(number + 1): \(error)")
                }
                words.append(String(token))
            }
        }
        return words
    }

    /// Parses words into a spec, reporting bad ones as usage errors.
    static func spec(_ words: [String], option: String?, invocation: Invocation) throws(UsageError) -> TargetSpec {
        do {
            return try TargetSpec.parse(words)
        } catch {
            throw invocation.usageError(option.map { "--\($0): \(error)" } ?? "\(error)")
        }
    }
}
