# The lesson of a step, from `diff -U0 PREV CUR` on stdin (tools/workshop).
# Variables: mode (skeleton, restore or units), step ("step06"), keep (the
# hunks to put back, for restore), prevfile, curfile. POSIX awk (mawk).
#
# skeleton: PREV with, at each hunk, a TODO comment made from the hunk's
#           added lines: what they define or call, their comments, the
#           man pages named for those calls; PREV's own lines are kept, so
#           the skeleton behaves as PREV. A hunk of comments alone (the
#           header) is taken as it is.
# restore:  the same, with the hunks in keep put back as they are in CUR.
# units:    the hunks that must be put back together to build, one group
#           a line (a hunk that calls a function needs the hunk defining it).

function trim(s) {
    sub(/^[ \t]+/, "", s)
    sub(/[ \t]+$/, "", s)
    return s
}

function is_comment_line(s) {
    return s ~ /^[ \t]*(\/\*|\*)/ || s ~ /^[ \t]*$/
}

# Reads FILE into ARR; returns the number of lines.
function slurp(file, arr,    n, line) {
    n = 0
    while ((getline line < file) > 0)
        arr[++n] = line
    close(file)
    return n
}

# incomment[i]: PREV's line i ends inside a /* comment.
function scan_comments(    i, s, inside) {
    inside = 0
    for (i = 1; i <= np; i++) {
        s = P[i]
        while (s != "") {
            if (inside) {
                if (index(s, "*/") == 0)
                    break
                s = substr(s, index(s, "*/") + 2)
                inside = 0
            } else {
                if (index(s, "/*") == 0)
                    break
                s = substr(s, index(s, "/*") + 2)
                inside = 1
            }
        }
        incomment[i] = inside
    }
}

# Adds WORD to the list L (a string of words), once.
function add(l, word) {
    if (index(" " l " ", " " word " "))
        return l
    return l == "" ? word : l " " word
}

# The man page of NAME as the steps' own text names it, "statfs(2)", or "".
function manpage(name) {
    return (name in man) ? name "(" man[name] ")" : ""
}

# Words of S wrapped at WIDTH, each line prefixed with PFX, into out[].
function wrap(s, pfx, width,    n, words, i, line) {
    n = split(s, words, " ")
    line = ""
    for (i = 1; i <= n; i++) {
        if (line != "" && length(pfx line " " words[i]) > width) {
            out[++nout] = pfx line
            line = words[i]
        } else {
            line = line == "" ? words[i] : line " " words[i]
        }
    }
    if (line != "")
        out[++nout] = pfx line
}

# What the added lines FROM..TO of hunk H (one item: a function, a table,
# a few statements) are for: sets it_what, it_why, it_reads, it_says.
function item(h, from, to,    i, s, t, what, why, calls, reads,
        incom, fn, defs, incs, fields, tables, name, c, sets, locals,
        checks, says, flag, depth) {
    what = ""
    why = ""
    calls = ""
    reads = ""
    defs = ""
    incs = ""
    fields = ""
    tables = ""
    incom = (A[h, from] ~ /^[ \t]*\*/ && A[h, from] !~ /^[ \t]*\*\//)
    depth = 0
    for (i = from; i <= to; i++) {
        s = A[h, i]
        if (s ~ /^\}/)
            depth = 0
        # Comments: the step's own why, kept word for word.
        t = s
        if (incom) {
            if (index(t, "*/")) {
                t = substr(t, 1, index(t, "*/") - 1)
                incom = 0
            }
            sub(/^[ \t]*\*?/, "", t)
            why = why " " trim(t)
            continue
        }
        if (index(t, "/*")) {
            c = substr(t, index(t, "/*") + 2)
            s = substr(t, 1, index(t, "/*") - 1)
            if (index(c, "*/"))
                c = substr(c, 1, index(c, "*/") - 1)
            else
                incom = 1
            # Each comment its own clause.
            why = trim(why)
            if (why != "" && why !~ /[.:;]$/ && trim(c) != "")
                why = why ";"
            why = why " " trim(c)
        }
        if (s ~ /^#include/) {
            t = s
            sub(/^#include[ \t]*/, "", t)
            incs = add(incs, trim(t))
            continue
        }
        if (s ~ /^#define/) {
            t = s
            sub(/^#define[ \t]*/, "", t)
            sub(/[ \t]*$/, "", t)
            sub(/[ \t]+/, " as ", t)
            defs = defs (defs == "" ? " " : ", ") t
            continue
        }
        if (s ~ /^[a-z_][a-z0-9_]*\(/) {
            t = s
            sub(/\(.*/, "", t)
            fn = add(fn, t "()")
            continue
        }
        if (s ~ /^\{/)
            depth = 1
        if (s ~ /^struct [a-z_]+ \{/) {
            t = s
            sub(/^struct /, "", t)
            sub(/ .*/, "", t)
            tables = add(tables, "struct " t)
            continue
        }
        if (s ~ /^static const .*\[\] = \{/) {
            t = s
            sub(/\[\].*/, "", t)
            sub(/.*[ *]/, "", t)
            tables = add(tables, t "[]")
            continue
        }
        if (instruct[h] && s ~ /^    [a-z].*;[ \t]*$/ && s !~ /\(/) {
            t = s
            sub(/[ \t]*;.*/, "", t)
            sub(/\[.*/, "", t)
            sub(/.*[ *]/, "", t)
            fields = add(fields, t)
            continue
        }
        # Statements: what they set, check and call, and what they say
        # when they fail (the tests read those messages).
        t = s
        if (match(t, /"([^"\\]|\\.)*"/) && t ~ /(err|errx|warn|warnx)\(/)
            says = says " \"" substr(t, RSTART + 1, RLENGTH - 2) "\""
        gsub(/"([^"\\]|\\.)*"/, "", t)
        if (match(t, /^[ \t]*[a-z_][a-z0-9_.>-]*[ \t]*\|=/))
            flag = 1
        else if (!depth && match(t, /^[ \t]*[a-z_][a-z0-9_.>-]*[ \t]*=[^=]/)) {
            name = trim(substr(t, RSTART, RLENGTH - 2))
            sub(/[ \t]*$/, "", name)
            sets = add(sets, name)
        } else if (!depth && t ~ /^    (struct [a-z_]+|int|char|size_t|pid_t|ssize_t) [^(]*;/) {
            name = t
            sub(/[ \t]*(=.*)?;.*$/, "", name)
            sub(/.*[ *]/, "", name)
            locals = add(locals, name)
        }
        if (!depth && t ~ /^[ \t]*(if|while) \(/)
            checks = 1
        while (match(t, /[a-z_][a-z0-9_]*\(/)) {
            name = substr(t, RSTART, RLENGTH - 1)
            t = substr(t, RSTART + RLENGTH)
            if (name ~ /^(if|while|for|switch|return|sizeof)$/)
                continue
            if (name in curfn)
                calls = add(calls, name "()")
            else if (manpage(name) != "")
                reads = add(reads, manpage(name))
        }
    }
    if (incs != "")
        what = what " include " incs ";"
    if (defs != "")
        what = what " define" defs ";"
    if (tables != "")
        what = what " declare " tables ";"
    if (fields != "")
        what = what " add to the struct: " fields ";"
    if (fn != "")
        what = what " write " fn ";"
    if (locals != "")
        what = what " declare " locals ";"
    if (flag)
        what = what " add one more flag for clone(2);"
    if (sets != "")
        what = what " set " sets ";"
    if (calls != "")
        what = what " call " calls ";"
    if (checks && fn == "")
        what = what " check for a failure;"
    if (what == "" && why == "")
        return 0
    if (what == "")
        what = " call what the man pages below describe;"
    sub(/;$/, "", what)
    # A comment that only names a man page is one more to read.
    if (why ~ /^( [a-z_0-9]+\([1-8]\))+$/) {
        reads = trim(why) (reads == "" ? "" : " " reads)
        why = ""
    }
    it_what = trim(what)
    it_why = trim(why)
    if (it_why != "" && it_why !~ /[.:;]$/)
        it_why = it_why "."
    it_reads = reads
    it_says = trim(says)
    return 1
}

# The TODO of the added lines FROM..TO of hunk H, indented by IND, into
# out[]; with BARE, inside a comment already: no /* */ of its own. One
# paragraph per item: the added lines, cut at their blank lines.
function todo(h, from, to, ind, bare,    i, j, n, pfx, f, t, first, d) {
    n = 0
    f = from
    d = 0
    for (i = from; i <= to + 1; i++) {
        if (i <= to) {
            t = A[h, i]
            gsub(/"([^"\\]|\\.)*"|\/\*.*|'.'/, "", t)
            d += gsub(/\{/, "", t) - gsub(/\}/, "", t)
        }
        if (i <= to && (A[h, i] !~ /^[ \t]*$/ || d > 0))
            continue
        if (i > f && item(h, f, i - 1)) {
            n++
            iw[n] = it_what
            iy[n] = it_why
            ir[n] = it_reads
            is[n] = it_says
        }
        f = i + 1
    }
    pfx = ind (bare ? "   " : " * ")
    if (!bare)
        out[++nout] = ind "/*"
    if (n == 1) {
        wrap("TODO " id[h] " (" step "): " iw[1] (iy[1] == "" ? "." : ": " iy[1]), pfx, 79)
        n1 = 1
        first = 1
    } else {
        out[++nout] = pfx "TODO " id[h] " (" step "):"
        first = 1
    }
    for (j = 1; j <= n; j++) {
        t = ""
        if (n > 1)
            t = "- " iw[j] (iy[j] == "" ? "." : ": " iy[j])
        if (ir[j] != "")
            t = t " Read: " ir[j] "."
        if (is[j] != "")
            t = t " Its messages: " is[j] "."
        if (t != "")
            wrap(trim(t), pfx (n > 1 ? "" : ""), 79)
        if (n > 1)
            indent_last(pfx)
    }
    if (!bare)
        out[++nout] = ind " */"
}

# Indents the continuation lines of the last bullet by two spaces.
function indent_last(pfx,    i) {
    for (i = nout; i > 0 && index(out[i], pfx "- ") != 1; i--)
        out[i] = pfx "  " substr(out[i], length(pfx) + 1)
}

# Emits the TODO of hunk H, its added lines FROM..TO, placed after PREV's
# line AT.
function emit_todo(h, from, to, at,    i, ind, s) {
    ind = ""
    for (i = from; i <= to; i++) {
        s = A[h, i]
        if (s ~ /^[ \t]*$/ || s ~ /^[ \t]*\*/)
            continue
        match(s, /^[ \t]*/)
        ind = substr(s, 1, RLENGTH)
        break
    }
    nout = 0
    todo(h, from, to, ind, at > 0 && incomment[at])
    for (i = 1; i <= nout; i++)
        print out[i]
    if (A[h, to] ~ /^[ \t]*$/ && to > from)
        print ""
}

BEGIN {
    np = slurp(prevfile, P)
    nc = slurp(curfile, C)
    scan_comments()
    # The man pages the steps name: "statfs(2)" anywhere in CUR.
    for (i = 1; i <= nc; i++) {
        s = C[i]
        while (match(s, /[a-z_][a-z0-9_]*\([1-8]\)/)) {
            t = substr(s, RSTART, RLENGTH)
            s = substr(s, RSTART + RLENGTH)
            name = t
            sub(/\(.*/, "", name)
            sec = substr(t, length(t) - 1, 1)
            # chroot(2) rather than chroot(1): the call, not the command.
            if (!(name in man) || sec == 2 || (sec == 3 && man[name] != 2))
                man[name] = sec
        }
        if (C[i] ~ /^[a-z_][a-z0-9_]*\(/) {
            name = C[i]
            sub(/\(.*/, "", name)
            curfn[name] = 1
        }
    }
    # The man pages of the calls a step makes, where no comment names them;
    # err(3), snprintf(3) and the like are left out: every step uses them.
    n = split("chdir:2 chroot:2 clone:2 close:2 execvp:3 fork:2 getenv:3 " \
        "kill:2 mkdir:2 mount:2 open:2 opendir:3 pipe2:2 read:2 readdir:3 " \
        "rmdir:2 sethostname:2 statfs:2 usleep:3 waitpid:2 write:2", calls, " ")
    for (i = 1; i <= n; i++) {
        split(calls[i], kv, ":")
        if (!(kv[1] in man))
            man[kv[1]] = kv[2]
    }
    # PREV's lines inside a struct: a hunk there adds fields.
    depth = 0
    for (i = 1; i <= np; i++) {
        if (P[i] ~ /^struct [a-z_]+ \{/)
            depth = 1
        else if (P[i] ~ /^\};/)
            depth = 0
        structline[i] = depth
    }
    n = split(keep, k, " ")
    for (i = 1; i <= n; i++)
        kept_id[k[i]] = 1
    nh = 0
}

/^@@ / {
    nh++
    # @@ -a[,b] +c[,d] @@
    split($2, r, ",")
    start[nh] = substr(r[1], 2) + 0
    len[nh] = (2 in r) ? r[2] + 0 : 1
    na[nh] = 0
    nd[nh] = 0
    delete r
    next
}
nh > 0 && /^\+/ { A[nh, ++na[nh]] = substr($0, 2); next }
nh > 0 && /^-/ { D[nh, ++nd[nh]] = substr($0, 2); next }

END {
    for (h = 1; h <= nh; h++) {
        # An insertion after line a: b = 0; a replacement of a..a+b-1.
        at[h] = len[h] == 0 ? start[h] : start[h] - 1
        # A block added just after a line it ends with (diff's choice) is
        # the same block moved up: keep a TODO out of PREV's comments.
        while (len[h] == 0 && at[h] > 0 && incomment[at[h]] &&
                A[h, na[h]] == P[at[h]]) {
            for (i = na[h]; i > 1; i--)
                A[h, i] = A[h, i - 1]
            A[h, 1] = P[at[h]]
            at[h]--
            start[h]--
        }
        instruct[h] = structline[at[h] + 1] && at[h] + 1 <= np && P[at[h] + 1] !~ /^\};/ ||
            structline[at[h]] && P[at[h]] !~ /^\};/
        comments_only[h] = 1
        for (i = 1; i <= na[h]; i++)
            if (!is_comment_line(A[h, i]))
                comments_only[h] = 0
        for (i = 1; i <= nd[h]; i++)
            if (!is_comment_line(D[h, i]))
                comments_only[h] = 0
        # The learner's numbers: the TODOs, 1, 2, ...
        if (!comments_only[h]) {
            id[h] = ++ntodo
            hunk_of[ntodo] = h
        }
    }
    for (i in kept_id)
        if (i in hunk_of)
            kept[hunk_of[i]] = 1
    if (mode == "units") {
        units()
        exit 0
    }
    h = 1
    for (line = 0; line <= np; line++) {
        if (line > 0 && !(line in skip))
            print P[line]
        for (; h <= nh && at[h] == line; h++) {
            if (comments_only[h] || (h in kept)) {
                for (i = 1; i <= na[h]; i++)
                    print A[h, i]
                for (i = 1; i <= len[h]; i++)
                    skip[line + i] = 1
                continue
            }
            split_todo(h, line)
        }
    }
}

# A block inserted before PREV's "};" that itself contains "};" is a field
# of the struct there, then new declarations after it: one TODO for each,
# where each goes.
function split_todo(h, line,    i, cut) {
    cut = 0
    if (len[h] == 0 && line + 1 <= np && P[line + 1] ~ /^\};?$/)
        for (i = 1; i <= na[h]; i++)
            if (A[h, i] == P[line + 1]) {
                cut = i
                break
            }
    if (cut <= 1) {
        emit_todo(h, 1, na[h], line)
        return
    }
    emit_todo(h, 1, cut - 1, line)
    # Printed after PREV's closing line: see the main loop's skip.
    print P[line + 1]
    print ""
    skip[line + 1] = 1
    instruct[h] = 0
    A[h, na[h] + 1] = P[line + 1]
    emit_todo(h, cut + 1, na[h] + 1, 0)
}

# The names each hunk defines and uses; hunks joined by a name are one
# unit. #include and #define hunks join every unit (harmless alone).
function units(    h, i, s, t, name, g, changed, x, y, members) {
    for (h = 1; h <= nh; h++) {
        group[h] = h
        for (i = 1; i <= na[h]; i++) {
            s = A[h, i]
            sub(/\/\*.*/, "", s)
            gsub(/"([^"\\]|\\.)*"/, "", s)
            if (s ~ /^[a-z_][a-z0-9_]*\(/) {
                name = s
                sub(/\(.*/, "", name)
                defines[name] = h
            } else if (s ~ /^(struct [a-z_]+ \{|static const )/ || instruct[h]) {
                t = s
                sub(/[ \t]*(=.*|\{.*|;.*)$/, "", t)
                sub(/\[.*/, "", t)
                sub(/.*[ *]/, "", t)
                if (t != "")
                    defines[t] = h
            }
        }
    }
    for (h = 1; h <= nh; h++)
        for (i = 1; i <= na[h]; i++) {
            s = A[h, i]
            sub(/\/\*.*/, "", s)
            gsub(/"([^"\\]|\\.)*"/, "", s)
            while (match(s, /[A-Za-z_][A-Za-z0-9_]*/)) {
                name = substr(s, RSTART, RLENGTH)
                s = substr(s, RSTART + RLENGTH)
                if ((name in defines) && defines[name] != h)
                    join(h, defines[name])
            }
        }
    for (h = 1; h <= nh; h++) {
        if (comments_only[h])
            continue
        if (A[h, 1] ~ /^#(include|define)/ && na[h] > 0) {
            common = common " " id[h]
            continue
        }
        g = find(h)
        members[g] = members[g] " " id[h]
    }
    for (h = 1; h <= nh; h++)
        if (h in members)
            print trim(members[h] common)
}

function find(h) {
    while (group[h] != h)
        h = group[h]
    return h
}

function join(a, b) {
    a = find(a)
    b = find(b)
    if (a < b)
        group[b] = a
    else if (b < a)
        group[a] = b
}
