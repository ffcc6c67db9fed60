import BitlinkCore

/// `bitlink wallets add ADDRESS`: tracks a wallet (a Bitcoin address or a pool account).
enum WalletsAddCommand {
    static let spec = CommandSpec(
        path: ["wallets", "add"],
        summary: "Track a wallet",
        discussion: "ADDRESS is a Bitcoin address (checked: P2PKH, P2SH, bech32, bech32m) or the account name of a pool that pays per account (F2Pool, AntPool, ViaBTC, Luxor, Braiins). Scans link each miner whose pool user names a tracked wallet to it. With --pool the link is made only when the miner mines on that pool.",
        examples: [
            Example("bitlink wallets add bc1qexample... --label solo", "Track a solo-mining address."),
            Example("bitlink wallets add acme --pool f2pool --label farm", "Track an F2Pool account."),
        ],
        options: [
            OptionSpec("label", value: "LABEL", help: "A label to recognise the wallet by."),
            OptionSpec("pool", value: "POOL", help: "Only link miners mining on this known pool (for example ocean, f2pool)."),
        ],
        positionals: [PositionalSpec("ADDRESS", help: "A Bitcoin address or a pool account name.")],
        database: .create,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let address = try WalletInput.validateAddress(invocation.positionals[0], invocation: invocation)
        let pool = try WalletInput.validatePool(invocation.string("pool"), invocation: invocation)
        let wallet = Wallet(address: address, label: try invocation.string("label"), pool: pool, createdAt: context.now())
        let store = try context.store()
        let added = try store.write { try store.insertWallet(wallet) }
        if context.globals.json {
            try RecordOutput.writeJSON(RecordOutput.json(added), context: context)
        } else if context.stdoutIsTTY {
            try context.stdout.line("tracking wallet \(added.address) (id \(added.id))")
        } else {
            try context.stdout.write(RecordOutput.walletTable([added]).tsv())
        }
        return .ok
    }
}
