# bash completion for civrules (installed as
# <datadir>/bash-completion/completions/civrules). Verbs and options are read
# from `civrules --help` and `civrules VERB --help`, so they never go stale.
_civrules()
{
    local cur prev cword
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cword=$COMP_CWORD
    local cmd=${COMP_WORDS[0]}
    local verbs
    verbs=$("$cmd" --help 2>/dev/null | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$verbs --help --version" -- "$cur"))
        return
    fi
    local verb=${COMP_WORDS[1]}
    # "--opt" "=" "value" when COMP_WORDBREAKS holds '=': complete the value
    if [[ $prev == "=" && $cword -ge 3 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    case $cur in --*=*) prev=${cur%%=*}; cur=${cur#*=} ;; esac
    case $prev in
        -p|--policy|--needs)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -f|--format)
            COMPREPLY=($(compgen -W "json text" -- "$cur")); return ;;
        -l|--lang)
            COMPREPLY=($(compgen -W "zh en" -- "$cur")); return ;;
        -d|--date|--from|--until)
            COMPREPLY=($(compgen -W "$(date +%Y-%m-%d)" -- "$cur")); return ;;
        --html|--records)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        local opts
        opts=$("$cmd" "$verb" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*=\?' | sort -u)
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
