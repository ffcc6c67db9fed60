/// Reads and writes the `wallets` table.
extension Store {
    static func wallet(from row: Row) -> Wallet {
        Wallet(id: row.int64(0) ?? 0, address: row.string(1) ?? "", label: row.string(2), pool: row.string(3), createdAt: row.int64(4) ?? 0)
    }

    public func wallets() throws -> [Wallet] {
        try read {
            try connection.query("SELECT id, address, label, pool, created_at FROM wallets ORDER BY id", [], Store.wallet(from:))
        }
    }

    /// Finds a wallet by id, address, or label (in that order of precedence).
    public func wallet(matching reference: String) throws -> Wallet? {
        try read {
            if let id = Int64(reference),
                let found = try connection.query(
                    "SELECT id, address, label, pool, created_at FROM wallets WHERE id = ?", [.integer(id)], Store.wallet(from:)
                ).first
            {
                return found
            }
            if let found = try connection.query(
                "SELECT id, address, label, pool, created_at FROM wallets WHERE address = ?", [.text(reference)], Store.wallet(from:)
            ).first {
                return found
            }
            // Bech32 addresses are case-insensitive; pool accounts compare as typed.
            if reference.lowercased().hasPrefix("bc1") || reference.lowercased().hasPrefix("tb1") {
                if let found = try connection.query(
                    "SELECT id, address, label, pool, created_at FROM wallets WHERE lower(address) = lower(?)", [.text(reference)],
                    Store.wallet(from:)
                ).first {
                    return found
                }
            }
            let byLabel = try connection.query(
                "SELECT id, address, label, pool, created_at FROM wallets WHERE label = ?", [.text(reference)], Store.wallet(from:))
            return byLabel.count == 1 ? byLabel[0] : nil
        }
    }

    /// Inserts a wallet. Call inside `write`.
    /// - Throws: `.alreadyExists` when the address is tracked already.
    @discardableResult
    public func insertWallet(_ new: Wallet) throws -> Wallet {
        if let existing = try wallet(matching: new.address), existing.address.lowercased() == new.address.lowercased() {
            throw BitlinkError(.alreadyExists, "wallet \(existing.address) is already tracked (id \(existing.id))")
        }
        try connection.execute(
            "INSERT INTO wallets (address, label, pool, created_at) VALUES (?, ?, ?, ?)",
            [.text(new.address), SQLValue(new.label), SQLValue(new.pool), .integer(new.createdAt)]
        )
        var inserted = new
        inserted.id = connection.lastInsertRowID
        return inserted
    }

    /// Deletes a wallet; links to it are cleared, share rows keep a null wallet.
    public func deleteWallet(id: Int64) throws {
        try connection.execute("UPDATE miner_configs SET linked_by = NULL WHERE wallet_id = ?", [.integer(id)])
        try connection.execute("DELETE FROM wallets WHERE id = ?", [.integer(id)])
    }
}
