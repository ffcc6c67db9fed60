import BitlinkCore

/// `bitlink wallets rm WALLET`.
enum WalletsRemoveCommand {
    static let spec = CommandSpec(
        path: ["wallets", "rm"],
        aliases: ["remove"],
        summary: "Stop tracking a wallet",
        discussion: "Removes a wallet by id, address or label. Miner links to it are dropped; share records stay, without the wallet.",
        examples: [Example("bitlink wallets rm 3", "Stop tracking wallet 3.")],
        positionals: [PositionalSpec("WALLET", help: "Id, address or label of a tracked wallet.", completion: .wallets)],
        database: .existing,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let store = try context.store()
        let removed: Wallet = try store.write {
            let wallet = try WalletInput.resolve(invocation.positionals[0], in: store)
            try store.deleteWallet(id: wallet.id)
            return wallet
        }
        if context.globals.json {
            try RecordOutput.writeJSON(RecordOutput.json(removed), context: context)
        } else if context.stdoutIsTTY {
            try context.stdout.line("stopped tracking wallet \(removed.address) (id \(removed.id))")
        } else {
            try context.stdout.write(RecordOutput.walletTable([removed]).tsv())
        }
        return .ok
    }
}
