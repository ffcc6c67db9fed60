import BitlinkCore

/// `bitlink link-wallet`: link miners to wallets, by hand or from their pool users.
enum LinkWalletCommand {
    static let spec = CommandSpec(
        path: ["link-wallet"],
        summary: "Link a miner to a wallet, by hand or from its pool user",
        discussion: "With MINER and WALLET, links the miner's active pool configuration to the wallet by hand; a manual link is never overwritten by automatic matching. With --auto, matches the stored pool configurations of the named miners (default: all) to the tracked wallets again: the active pool user (address.worker or account.worker) must name the wallet, and a wallet tied to a pool only matches on that pool. Dev-fee pools are skipped.",
        examples: [
            Example("bitlink link-wallet nerd1 solo", "Link a NerdMiner (which has no API) to the wallet labelled solo."),
            Example("bitlink link-wallet --auto --explain", "Re-run matching for every miner and say why each was linked or not."),
        ],
        options: [
            OptionSpec("auto", help: "Match from the stored pool users instead of linking by hand."),
            OptionSpec("explain", help: "Say why each miner was linked or not (stderr; in the JSON with --json)."),
        ],
        positionals: [
            PositionalSpec("MINER", help: "Id, name or address of a stored miner (with --auto: any number).", optional: true, variadic: true, completion: .miners),
            PositionalSpec("WALLET", help: "Id, address or label of a tracked wallet (without --auto).", optional: true, completion: .wallets),
        ],
        database: .read,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        throw BitlinkError(.internal, "link-wallet is not built yet")
    }
}
