# fish completion for bitlink(1).
#
# Install as bitlink.fish in the directory printed by
#     pkg-config --variable completionsdir fish
# or in ~/.config/fish/completions.
#
# Hand-written. Tests/BitlinkCLITests/Docs checks it against bitlink's command
# table: each option is completed on a line whose condition names its command
# with __fish_seen_subcommand_from.
#
# Miner names, wallet addresses and miner types come from the binary itself
# ('bitlink __complete miners|wallets|types'), which never creates a database
# and prints nothing on error. A --db given on the line is passed on.

# The --db given on the command line, if any.
function __bitlink_db
    set -l tokens (commandline -opc)
    set -l db
    for i in (seq 2 (count $tokens))
        switch $tokens[$i]
            case --db
                set -l next (math $i + 1)
                if test $next -le (count $tokens)
                    set db $tokens[$next]
                end
            case '--db=*'
                set db (string replace -- --db= '' $tokens[$i])
        end
    end
    string replace -r -- '^~/' "$HOME/" $db
end

# __bitlink_query WHAT: the values of 'bitlink __complete WHAT', one per line.
function __bitlink_query --argument-names what
    set -l db (__bitlink_db)
    if test -n "$db"
        command bitlink --db $db __complete $what 2>/dev/null
    else
        command bitlink __complete $what 2>/dev/null
    end
end

# True while no command word is on the line: global options and their values
# are skipped, so 'bitlink --db PATH <TAB>' still offers the commands.
function __bitlink_needs_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for token in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $token
            case --db --timeout --color
                set skip 1
            case '-*'
            case '*'
                return 1
        end
    end
    return 0
end

# True when a group is on the line but none of its verbs yet.
function __bitlink_needs_verb --argument-names group
    __fish_seen_subcommand_from $group; or return 1
    switch $group
        case miners
            not __fish_seen_subcommand_from list ls add rm remove show set configs
        case shares
            not __fish_seen_subcommand_from log list ls stats
        case wallets
            not __fish_seen_subcommand_from add list ls rm remove
    end
end

# No file names unless an option asks for them.
complete -c bitlink -f

# Global options, accepted before and after the command.
complete -c bitlink -l db -r -F -d 'The database file'
complete -c bitlink -l json -d 'Machine output: JSON, or NDJSON for scan and watch'
complete -c bitlink -l timeout -x -d 'Network deadline per operation (500ms, 3s)'
complete -c bitlink -s q -l quiet -d 'No progress, summaries or hints on stderr'
complete -c bitlink -s v -l verbose -d 'Extra diagnostics on stderr'
complete -c bitlink -l color -x -a 'auto always never' -d 'Colour on terminals'
complete -c bitlink -s h -l help -d 'Show help and exit'
complete -c bitlink -l version -d 'Print the version and exit'

# Commands.
complete -c bitlink -n __bitlink_needs_command -a scan -d 'Discover, identify and store the miners on a network'
complete -c bitlink -n __bitlink_needs_command -a miners -d 'List, add, remove and change stored miners'
complete -c bitlink -n __bitlink_needs_command -a info -d "Read one miner's live status"
complete -c bitlink -n __bitlink_needs_command -a link-wallet -d 'Link a miner to a wallet, by hand or from its pool user'
complete -c bitlink -n __bitlink_needs_command -a shares -d 'Record and report share submissions'
complete -c bitlink -n __bitlink_needs_command -a watch -d 'Poll miners continuously and report their health'
complete -c bitlink -n __bitlink_needs_command -a history -d "Show a miner's recorded samples"
complete -c bitlink -n __bitlink_needs_command -a wallets -d 'Track the wallets your miners mine for'
complete -c bitlink -n __bitlink_needs_command -a miner-types -d 'List the supported miner families'
complete -c bitlink -n __bitlink_needs_command -a help -d 'Show the help of a command'

# help COMMAND
complete -c bitlink -n '__fish_seen_subcommand_from help; and not __fish_seen_subcommand_from scan miners info link-wallet shares watch history wallets miner-types' -a 'scan miners info link-wallet shares watch history wallets miner-types'

# scan [TARGET...]
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l exclude -x -d 'Skip these addresses (repeatable)'
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l allow-public -d 'Allow public (non-RFC 1918) addresses'
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l max-hosts -x -d 'Refuse to scan more than N addresses (default 65536)'
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l concurrency -x -d 'Connections in flight at once'
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l rate -x -d 'At most N new connections per second'
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l port -x -d 'CGMiner API port to probe (default 4028)'
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l http-port -x -d 'HTTP port to probe (default 80)'
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l v3-port -x -d 'Whatsminer API v3 port (default 4433)'
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l no-save -d 'Read and report, but store nothing'
complete -c bitlink -n '__fish_seen_subcommand_from scan' -l explain -d 'Say why each miner was linked to a wallet or not'

# miners list|ls|add|rm|remove|show|set|configs
complete -c bitlink -n '__bitlink_needs_verb miners' -a list -d 'List stored miners'
complete -c bitlink -n '__bitlink_needs_verb miners' -a ls -d 'List stored miners'
complete -c bitlink -n '__bitlink_needs_verb miners' -a add -d 'Add a miner by address'
complete -c bitlink -n '__bitlink_needs_verb miners' -a rm -d 'Remove stored miners'
complete -c bitlink -n '__bitlink_needs_verb miners' -a remove -d 'Remove stored miners'
complete -c bitlink -n '__bitlink_needs_verb miners' -a show -d 'Show one stored miner'
complete -c bitlink -n '__bitlink_needs_verb miners' -a set -d 'Change a stored miner'
complete -c bitlink -n '__bitlink_needs_verb miners' -a configs -d "Show a miner's pool configurations and wallet links"

complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from list ls' -l type -x -a '(__bitlink_query types)' -d 'Only miners of this family'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from list ls' -l status -x -a 'unknown active warning dead' -d 'Only miners in this state'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from list ls' -l enabled -d 'Only enabled miners'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from list ls' -l disabled -d 'Only disabled miners'

complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from add' -l name -x -d 'A unique name (default: the address)'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from add' -l type -x -a '(__bitlink_query types)' -d 'The miner family'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from add' -l port -x -d 'CGMiner API port (default 4028)'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from add' -l http-port -x -d 'HTTP port (default 80)'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from add' -l v3-port -x -d 'Whatsminer API v3 port (default 4433)'

complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from set' -l name -x -d 'A new unique name'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from set' -l type -x -a '(__bitlink_query types)' -d 'The miner family'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from set' -l port -x -d 'CGMiner API port'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from set' -l http-port -x -d 'HTTP port'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from set' -l v3-port -x -d 'Whatsminer API v3 port'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from set' -l enable -d 'Watch this miner again'
complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from set' -l disable -d 'Skip this miner in watch'

complete -c bitlink -n '__fish_seen_subcommand_from miners; and __fish_seen_subcommand_from rm remove show set configs' -a '(__bitlink_query miners)' -d 'Stored miner'

# info MINER
complete -c bitlink -n '__fish_seen_subcommand_from info' -l type -x -a '(__bitlink_query types)' -d 'Read it as this family'
complete -c bitlink -n '__fish_seen_subcommand_from info' -l port -x -d 'CGMiner API port'
complete -c bitlink -n '__fish_seen_subcommand_from info' -l http-port -x -d 'HTTP port'
complete -c bitlink -n '__fish_seen_subcommand_from info' -l v3-port -x -d 'Whatsminer API v3 port'
complete -c bitlink -n '__fish_seen_subcommand_from info' -a '(__bitlink_query miners)' -d 'Stored miner'

# link-wallet MINER WALLET | link-wallet --auto [MINER...]
complete -c bitlink -n '__fish_seen_subcommand_from link-wallet' -l auto -d 'Match from the stored pool users'
complete -c bitlink -n '__fish_seen_subcommand_from link-wallet' -l explain -d 'Say why each miner was linked or not'
complete -c bitlink -n '__fish_seen_subcommand_from link-wallet' -a '(__bitlink_query miners)' -d 'Stored miner'
complete -c bitlink -n '__fish_seen_subcommand_from link-wallet; and not __fish_contains_opt auto' -a '(__bitlink_query wallets)' -d 'Tracked wallet'

# shares log|list|ls|stats
complete -c bitlink -n '__bitlink_needs_verb shares' -a log -d 'Record share submissions by hand'
complete -c bitlink -n '__bitlink_needs_verb shares' -a list -d 'List recorded shares'
complete -c bitlink -n '__bitlink_needs_verb shares' -a ls -d 'List recorded shares'
complete -c bitlink -n '__bitlink_needs_verb shares' -a stats -d 'Share totals per wallet, miner or worker'

complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from log' -l wallet -x -a '(__bitlink_query wallets)' -d 'The wallet'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from log' -l miner -x -a '(__bitlink_query miners)' -d 'The miner'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from log' -l pool -x -d 'The pool name or URL'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from log' -l worker -x -d 'The worker name'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from log' -l difficulty -x -d 'The share difficulty'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from log' -l rejected -d 'The pool rejected the share'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from log' -l shares -x -d 'Count N identical shares in one record'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from log' -l time -x -d 'When (RFC 3339 or Unix seconds)'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from log' -a - -d 'Read NDJSON records from standard input'

complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from list ls' -l wallet -x -a '(__bitlink_query wallets)' -d 'Only shares for this wallet'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from list ls' -l miner -x -a '(__bitlink_query miners)' -d 'Only shares from this miner'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from list ls' -l worker -x -d 'Only shares from this worker name'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from list ls' -l since -x -d 'Only shares since a time or a duration back (24h, 7d)'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from list ls' -l limit -x -d 'At most N rows'

complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from stats' -l by -x -a 'wallet miner worker' -d 'Group by wallet, miner or worker'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from stats' -l wallet -x -a '(__bitlink_query wallets)' -d 'Only shares for this wallet'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from stats' -l miner -x -a '(__bitlink_query miners)' -d 'Only shares from this miner'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from stats' -l worker -x -d 'Only shares from this worker name'
complete -c bitlink -n '__fish_seen_subcommand_from shares; and __fish_seen_subcommand_from stats' -l since -x -d 'Only shares since a time or a duration back (24h, 7d)'

# watch [MINER...]
complete -c bitlink -n '__fish_seen_subcommand_from watch' -l interval -x -d 'Time between rounds (default 30s)'
complete -c bitlink -n '__fish_seen_subcommand_from watch; and not __fish_contains_opt once' -l count -x -d 'Stop after N rounds'
complete -c bitlink -n '__fish_seen_subcommand_from watch; and not __fish_contains_opt count' -l once -d 'One round; exit 1 if any miner is dead'
complete -c bitlink -n '__fish_seen_subcommand_from watch' -l exec -r -F -d 'Run a command on each state change'
complete -c bitlink -n '__fish_seen_subcommand_from watch' -l exec-limit -x -d 'At most one --exec run per miner per duration (default 5m)'
complete -c bitlink -n '__fish_seen_subcommand_from watch' -l max-temp -x -d 'Chip temperature that makes a warning (default 85)'
complete -c bitlink -n '__fish_seen_subcommand_from watch' -l min-hashrate -x -d 'Warn below this percent of the expected hashrate (default 80)'
complete -c bitlink -n '__fish_seen_subcommand_from watch' -l share-silence -x -d 'Warn when no share was accepted for this long (default 30m)'
complete -c bitlink -n '__fish_seen_subcommand_from watch' -l dead-after -x -d 'Failed polls in a row before a miner is dead (default 2)'
complete -c bitlink -n '__fish_seen_subcommand_from watch' -l retain -x -d 'Delete samples older than this (default 30d)'
complete -c bitlink -n '__fish_seen_subcommand_from watch' -a '(__bitlink_query miners)' -d 'Stored miner'

# history MINER
complete -c bitlink -n '__fish_seen_subcommand_from history' -l since -x -d 'Samples since a duration back or a time (default 24h)'
complete -c bitlink -n '__fish_seen_subcommand_from history' -l field -x -a 'hashrate temp power' -d 'What the chart shows'
complete -c bitlink -n '__fish_seen_subcommand_from history' -a '(__bitlink_query miners)' -d 'Stored miner'

# wallets add|list|ls|rm|remove
complete -c bitlink -n '__bitlink_needs_verb wallets' -a add -d 'Track a wallet'
complete -c bitlink -n '__bitlink_needs_verb wallets' -a list -d 'List tracked wallets'
complete -c bitlink -n '__bitlink_needs_verb wallets' -a ls -d 'List tracked wallets'
complete -c bitlink -n '__bitlink_needs_verb wallets' -a rm -d 'Stop tracking a wallet'
complete -c bitlink -n '__bitlink_needs_verb wallets' -a remove -d 'Stop tracking a wallet'

complete -c bitlink -n '__fish_seen_subcommand_from wallets; and __fish_seen_subcommand_from add' -l label -x -d 'A label to recognise the wallet by'
complete -c bitlink -n '__fish_seen_subcommand_from wallets; and __fish_seen_subcommand_from add' -l pool -x -d 'Only link miners mining on this known pool'

complete -c bitlink -n '__fish_seen_subcommand_from wallets; and __fish_seen_subcommand_from rm remove' -a '(__bitlink_query wallets)' -d 'Tracked wallet'

# miner-types takes no options of its own.
