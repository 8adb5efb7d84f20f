# Reads docs/syscalls.md and writes a C header: for each object method's
# label, the error codes its documentation names (its table row, the rows it
# says it behaves "as", and the prose under its table). The fuzzer accepts
# from a method only those, the errors every invocation may give, and the
# IPC errors of the call it was made with: docs/syscalls.md is the oracle.
function names_in(text, label,    rest, tok) {
    rest = text
    while (match(rest, /`[A-Z_]+`/)) {
        tok = substr(rest, RSTART + 1, RLENGTH - 2)
        if (tok in known)
            errs[label] = errs[label] " " tok
        rest = substr(rest, RSTART + RLENGTH)
    }
}
BEGIN { section = ""; ntable = 0 }
/^## Error codes/ { section = "codes"; next }
/^## Object invocations/ { section = "methods"; next }
/^## / { section = ""; next }
section == "codes" && /^\| [0-9]+ \| `TSR_E_[A-Z_]+`/ {
    split($0, f, "|"); name = f[3]; gsub(/[ `]/, "", name); sub(/^TSR_E_/, "", name)
    known[name] = 1; next
}
section == "methods" && /^### / { ntable = 0; next }
section == "methods" && /^\| [0-9]+ \|/ {
    split($0, f, "|"); label = f[2] + 0; method = f[3]; gsub(/ /, "", method)
    table[++ntable] = label; by_name[method] = label; errs[label] = errs[label] ""
    names_in($0, label)
    if (match($0, /as [A-Z][A-Za-z]+/)) alias[label] = substr($0, RSTART + 3, RLENGTH - 3)
    next
}
section == "methods" && ntable > 0 && !/^\|/ {
    for (i = 1; i <= ntable; i++) names_in($0, table[i])
}
END {
    print "/* Generated from docs/syscalls.md by userland/fuzz/doc_errors.awk: do not edit. */"
    print "#define DOC_ERR(name) (1u << TSR_E_##name)"
    print "static const uint32_t fuzz_doc_errors[TSR_METHOD_LABEL_MAX + 1] = {"
    for (label in errs) {
        list = errs[label]
        if (label in alias && (alias[label] in by_name)) list = list " " errs[by_name[alias[label]]]
        n = split(list, e, " "); line = "0"
        delete seen
        for (i = 1; i <= n; i++) if (!(e[i] in seen)) { seen[e[i]] = 1; line = line " | DOC_ERR(" e[i] ")" }
        printf "    [%d] = %s,\n", label, line
    }
    print "};"
}
