import BitlinkCore

/// Checks on wallet arguments, shared by the wallet, link and share commands.
enum WalletInput {
    /// A Bitcoin address (checksum verified) or a pool account name, in canonical form.
    static func validateAddress(_ text: String, invocation: Invocation) throws(UsageError) -> String {
        do {
            return try WalletIdentity.parse(text).description
        } catch {
            throw invocation.usageError("invalid wallet '\(text.trimmingASCIISpaces())': \(error)")
        }
    }

    /// A known-pool id (see 'bitlink wallets add --help').
    static func validatePool(_ pool: String?, invocation: Invocation) throws(UsageError) -> String? {
        guard let pool else { return nil }
        let id = pool.lowercased()
        guard KnownPools.pool(id: id) != nil else {
            let ids = KnownPools.all.map(\.id)
            throw invocation.usageError(
                "unknown pool '\(pool)': expected one of \(ids.joined(separator: ", "))",
                suggestion: Suggestions.closest(to: id, in: ids).first.map { "Did you mean '\($0)'?" })
        }
        return id
    }

    /// Resolves a WALLET argument (id, address or label) or fails with exit 66.
    static func resolve(_ reference: String, in store: Store) throws -> Wallet {
        guard let wallet = try store.wallet(matching: reference) else {
            throw BitlinkError(.notFound, "no wallet matches '\(reference)'", hint: "list tracked wallets with 'bitlink wallets list'")
        }
        return wallet
    }
}
