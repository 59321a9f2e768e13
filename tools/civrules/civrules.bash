# bash completion for civrules (installed as
# <datadir>/bash-completion/completions/civrules). Everything is read from the
# program's own help, which it prints from its table of verbs: the verbs from
# `civrules --help`, each verb's options and what their values are from
# `civrules VERB --help` ("-p, --policy=DIR": a folder; FILE: a file; DATE:
# today; MONTH: this month). tests/cli/test_cli.py checks the help against
# the option tables in tools/civrules/main.c, so the two cannot drift.
_civrules()
{
    local cur prev cword
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cword=$COMP_CWORD
    local cmd=${COMP_WORDS[0]}
    local verbs
    # the list of verbs: from the third line of `civrules --help` to the first blank one
    verbs=$("$cmd" --help 2>/dev/null | sed -n '3,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$verbs --help --version" -- "$cur"))
        return
    fi
    local verb=${COMP_WORDS[1]}
    # the verb's options as its help lists them, one line each: "-p, --policy=DIR",
    # "--from=MONTH, --to=MONTH" (the description after them left out)
    local specs
    specs=$("$cmd" "$verb" --help 2>/dev/null |
            sed -nE 's/^ +((-[a-zA-Z], )?--[a-z][a-z-]*(=[A-Z]+)?(, --[a-z][a-z-]*(=[A-Z]+)?)?).*/\1/p')
    # "--opt" "=" "value" when COMP_WORDBREAKS holds '=': complete the value
    if [[ $prev == "=" && $cword -ge 3 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    case $cur in --*=*) prev=${cur%%=*}; cur=${cur#*=} ;; esac
    if [[ $prev == -* ]]; then
        # the option's value, by the name the help gives it ("--date=DATE")
        local spec meta=
        while read -r spec; do
            case "$spec" in
                "$prev="*|"$prev, "*|*" $prev="*) meta=${spec##*=}; break ;;
            esac
        done < <(grep -oE -- '(-[a-zA-Z], )?--[a-z][a-z-]*=[A-Z]+' <<<"$specs")
        case $prev in
            -f|--format) COMPREPLY=($(compgen -W "json text" -- "$cur")); return ;;
            -l|--lang) COMPREPLY=($(compgen -W "zh en" -- "$cur")); return ;;
        esac
        case $meta in
            DIR) COMPREPLY=($(compgen -d -- "$cur")); return ;;
            FILE) COMPREPLY=($(compgen -f -- "$cur")); return ;;
            DATE) COMPREPLY=($(compgen -W "$(date +%Y-%m-%d)" -- "$cur")); return ;;
            MONTH) COMPREPLY=($(compgen -W "$(date +%Y-%m)" -- "$cur")); return ;;
            ?*) COMPREPLY=(); return ;; # a number or a word: nothing to offer
        esac
    fi
    if [[ $cur == -* ]]; then
        local opts
        opts=$(grep -oE -- '--[a-z][a-z-]*=?' <<<"$specs" | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
        return
    fi
    case $verb in
        check) COMPREPLY=($(compgen -d -- "$cur")) ;;
        help) COMPREPLY=($(compgen -W "$verbs" -- "$cur")) ;;
        version) ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -o filenames -F _civrules civrules
