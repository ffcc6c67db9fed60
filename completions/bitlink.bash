# bash completion for bitlink(1)                           -*- shell-script -*-
#
# Install as "bitlink" in the directory printed by
#     pkg-config --variable=completionsdir bash-completion
# where it is loaded the first time bitlink is completed, or source it from
# ~/.bashrc.
#
# Hand-written. Tests/BitlinkCLITests/Docs checks it against bitlink's command
# table: each command's options are one arm of __bitlink_command_options, each
# group's verbs one arm of __bitlink_group_verbs, and __bitlink_valued_options
# lists every option that takes a value.
#
# Miner names, wallet addresses and miner types come from the binary itself
# ('bitlink __complete miners|wallets|types'), which never creates a database
# and prints nothing on error. A --db given earlier on the line is passed on.

__bitlink_commands="scan miners info link-wallet shares watch history wallets miner-types help"
__bitlink_global_options="--db --json --timeout --quiet -q --verbose -v --color --help -h --version"
__bitlink_valued_options="--db --timeout --color --exclude --max-hosts --concurrency --rate --port --http-port --v3-port --type --status --name --wallet --miner --pool --worker --difficulty --shares --time --since --limit --by --interval --count --exec --exec-limit --max-temp --min-hashrate --share-silence --dead-after --retain --field --label"

# __bitlink_group_verbs GROUP: the verbs of a command group, aliases included.
__bitlink_group_verbs()
{
    case $1 in
    miners) echo "list ls add rm remove show set configs" ;;
    shares) echo "log list ls stats" ;;
    wallets) echo "add list ls rm remove" ;;
    esac
}

# __bitlink_command_options COMMAND: the options of one command (its words
# joined by a space, aliases resolved), global options not included.
__bitlink_command_options()
{
    case $1 in
    scan)
        echo "--exclude --allow-public --max-hosts --concurrency --rate"
        echo "--port --http-port --v3-port --no-save --explain" ;;
    "miners list")
        echo "--type --status --enabled --disabled" ;;
    "miners add")
        echo "--name --type --port --http-port --v3-port" ;;
    "miners set")
        echo "--name --type --port --http-port --v3-port --enable --disable" ;;
    info)
        echo "--type --port --http-port --v3-port" ;;
    link-wallet)
        echo "--auto --explain" ;;
    "shares log")
        echo "--wallet --miner --pool --worker --difficulty --rejected --shares --time" ;;
    "shares list")
        echo "--wallet --miner --worker --since --limit" ;;
    "shares stats")
        echo "--by --wallet --miner --worker --since" ;;
    watch)
        echo "--interval --count --once --exec --exec-limit --max-temp"
        echo "--min-hashrate --share-silence --dead-after --retain" ;;
    history)
        echo "--since --field" ;;
    "wallets add")
        echo "--label --pool" ;;
    esac
}

# __bitlink_query WHAT DB: the values 'bitlink __complete WHAT' prints, one per
# line, from the database DB when it is not empty.
__bitlink_query()
{
    local what=$1 db=$2
    # The word as typed: drop one level of quotes and expand a leading ~/.
    db=${db#[\"\']}
    db=${db%[\"\']}
    if [[ $db == \~/* ]]; then
        db=$HOME/${db#\~/}
    fi
    if [[ -n $db ]]; then
        command bitlink --db "$db" __complete "$what" 2>/dev/null
    else
        command bitlink __complete "$what" 2>/dev/null
    fi
}

# __bitlink_reply WORDS...: sets COMPREPLY to the words that start with $cur.
__bitlink_reply()
{
    local IFS=$' \t\n'
    mapfile -t COMPREPLY < <(compgen -W "$*" -- "$cur")
}

# __bitlink_reply_lines: sets COMPREPLY to the lines of stdin that start with $cur.
__bitlink_reply_lines()
{
    local line
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -n $line && $line == "$cur"* ]] && COMPREPLY+=("$line")
    done
}

__bitlink_reply_files()
{
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

_bitlink()
{
    local cur prev cword
    local -a words
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${words[cword]}
    prev=${words[cword-1]}
    COMPREPLY=()

    # bash splits "--name=value" at "=" (see COMP_WORDBREAKS): the words are
    # "--name", "=" and "value", and only "value" is replaced.
    if [[ $cur == "=" ]]; then
        cur=""
    elif [[ $prev == "=" && $cword -ge 2 ]]; then
        prev=${words[cword-2]}
    fi

    # Find the command, its verb and its operands; skip options and their values.
    local i=1 word command="" verb="" db="" auto="" options_ended=""
    local -a operands=()
    while ((i < cword)); do
        word=${words[i]}
        if [[ -z $options_ended && $word == -* ]]; then
            if [[ $word == "--" ]]; then
                options_ended=1
            elif [[ " $__bitlink_valued_options " == *" $word "* ]]; then
                # The value is the next word, or the one after an "=".
                local value_index=$((i + 1))
                [[ ${words[i + 1]} == "=" ]] && value_index=$((i + 2))
                if ((value_index < cword)) && [[ $word == "--db" ]]; then
                    db=${words[value_index]}
                fi
                i=$((value_index + 1))
                continue
            elif [[ $word == "--auto" ]]; then
                auto=1
            fi
        elif [[ -z $command ]]; then
            command=$word
        elif [[ -z $verb && ( $command == miners || $command == shares || $command == wallets ) ]]; then
            case $word in
            ls) verb="list" ;;
            remove) verb="rm" ;;
            *) verb=$word ;;
            esac
        else
            operands+=("$word")
        fi
        i=$((i + 1))
    done

    local path=$command
    [[ -n $verb ]] && path="$command $verb"

    # The value of an option.
    case $prev in
    --db)
        __bitlink_reply_files
        return ;;
    --color)
        __bitlink_reply auto always never
        return ;;
    --type)
        __bitlink_reply_lines < <(__bitlink_query types "$db")
        return ;;
    --status)
        __bitlink_reply unknown active warning dead
        return ;;
    --by)
        __bitlink_reply wallet miner worker
        return ;;
    --field)
        __bitlink_reply hashrate temp power
        return ;;
    --miner)
        __bitlink_reply_lines < <(__bitlink_query miners "$db")
        return ;;
    --wallet)
        __bitlink_reply_lines < <(__bitlink_query wallets "$db")
        return ;;
    --exec)
        __bitlink_reply_files
        return ;;
    esac
    if [[ " $__bitlink_valued_options " == *" $prev "* && $prev == -* ]]; then
        # A value bitlink cannot guess: a name, a number, a duration.
        return
    fi

    if [[ -z $options_ended && $cur == -* ]]; then
        __bitlink_reply "$__bitlink_global_options" "$(__bitlink_command_options "$path")"
        return
    fi

    if [[ -z $command ]]; then
        __bitlink_reply "$__bitlink_commands"
        return
    fi

    case $command in
    miners | shares | wallets)
        if [[ -z $verb ]]; then
            __bitlink_reply "$(__bitlink_group_verbs "$command")"
            return
        fi ;;
    help)
        if ((${#operands[@]} == 0)); then
            __bitlink_reply "${__bitlink_commands% help}"
        elif ((${#operands[@]} == 1)); then
            __bitlink_reply "$(__bitlink_group_verbs "${operands[0]}")"
        fi
        return ;;
    esac

    # Operands.
    case $path in
    "miners rm" | watch)
        __bitlink_reply_lines < <(__bitlink_query miners "$db") ;;
    "miners show" | "miners set" | "miners configs" | info | history)
        if ((${#operands[@]} == 0)); then
            __bitlink_reply_lines < <(__bitlink_query miners "$db")
        fi ;;
    link-wallet)
        if [[ -n $auto ]] || ((${#operands[@]} == 0)); then
            __bitlink_reply_lines < <(__bitlink_query miners "$db")
        elif ((${#operands[@]} == 1)); then
            __bitlink_reply_lines < <(__bitlink_query wallets "$db")
        fi ;;
    "wallets rm")
        if ((${#operands[@]} == 0)); then
            __bitlink_reply_lines < <(__bitlink_query wallets "$db")
        fi ;;
    "shares log")
        if ((${#operands[@]} == 0)); then
            __bitlink_reply -
        fi ;;
    scan)
        # @FILE reads the targets from a file.
        if [[ $cur == @* ]]; then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -P @ -- "${cur#@}")
        fi ;;
    esac
}

complete -F _bitlink bitlink
