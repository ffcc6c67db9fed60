import BitlinkCore

/// Rules for miner names, shared by `miners add`, `miners set` and scan.
enum MinerNames {
    /// Letters, digits, `.`, `_`, `-`; 1-64 characters; not all digits (that would read
    /// as an id).
    static func validate(_ name: String, invocation: Invocation) throws(UsageError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
                || byte == 46 || byte == 95 || byte == 45
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed else {
            throw invocation.usageError("invalid miner name '\(name)': use 1 to 64 letters, digits, '.', '_' or '-'")
        }
        guard !name.allSatisfy(\.isNumber) else {
            throw invocation.usageError("invalid miner name '\(name)': a name cannot be all digits (it would read as an id)")
        }
    }

    /// Resolves a MINER argument (id, name or address) or fails with exit 66.
    static func resolve(_ reference: String, in store: Store) throws -> Miner {
        guard let miner = try store.miner(matching: reference) else {
            throw BitlinkError(.notFound, "no miner matches '\(reference)'", hint: "list stored miners with 'bitlink miners list'")
        }
        return miner
    }
}
