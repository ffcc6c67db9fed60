import BitlinkCore

/// Checks on wallet arguments, shared by the wallet, link and share commands.
enum WalletInput {
    /// A Bitcoin address or a pool account name, trimmed.
    static func validateAddress(_ text: String, invocation: Invocation) throws(UsageError) -> String {
        let trimmed = text.trimmingASCIISpaces()
        guard !trimmed.isEmpty else { throw invocation.usageError("empty wallet address") }
        let base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        let lower = trimmed.lowercased()
        if lower.hasPrefix("bc1") || lower.hasPrefix("tb1") {
            let charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
            guard trimmed == lower || trimmed == trimmed.uppercased(), lower.count >= 14, lower.count <= 90,
                lower.dropFirst(3).allSatisfy({ charset.contains($0) })
            else { throw invocation.usageError("invalid Bitcoin address '\(trimmed)': not valid bech32") }
            return lower
        }
        if let first = trimmed.first, "13mn2".contains(first), trimmed.count >= 26, trimmed.count <= 35,
            trimmed.allSatisfy({ base58.contains($0) })
        {
            return trimmed
        }
        let accountCharacters = trimmed.utf8.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95 || byte == 45
        }
        guard accountCharacters, trimmed.count <= 64 else {
            throw invocation.usageError("invalid wallet '\(trimmed)': not a Bitcoin address, nor a pool account name (letters, digits, '_', '-')")
        }
        return trimmed
    }

    static func validatePool(_ pool: String?, invocation: Invocation) throws(UsageError) -> String? {
        pool?.lowercased()
    }

    /// Resolves a WALLET argument (id, address or label) or fails with exit 66.
    static func resolve(_ reference: String, in store: Store) throws -> Wallet {
        guard let wallet = try store.wallet(matching: reference) else {
            throw BitlinkError(.notFound, "no wallet matches '\(reference)'", hint: "list tracked wallets with 'bitlink wallets list'")
        }
        return wallet
    }
}
