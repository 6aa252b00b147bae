#!/usr/bin/env bash
# docs/interfaces.md cannot drift from the code:
#  - every filter field the plugin registers ("scep.x", FT_TYPE in plugin/*.c) has a row
#    there with the same type, and every expert info ("scep.x", PI_GROUP) one with its group;
#  - every scep.* row there is still registered;
#  - every key the JSON writer can write (each lowercase string literal of
#    libscepdec/src/json.c and libscepdec/cli/report_json.c, JSON's own true/false/null
#    aside) is named there in backquotes, and so are the <key>_name, _raw and _der companions.
# The code is read as text: no build needed.
set -euo pipefail
src=$2
doc=$src/docs/interfaces.md
fail=0
say() { echo "FAIL $*"; fail=1; }

# "scep.abbrev", FT_X or PI_X, wherever the registration table breaks its lines.
registered=$(find "$src/plugin" -name '*.c' -not -path '*/tests/*' -print0 | xargs -0 cat | tr '\n' ' ' |
    grep -oE '"scep\.[a-z0-9_.]+",[[:space:]]*(FT|PI)_[A-Z0-9_]+' | sed -E 's/^"//; s/",[[:space:]]*/ /' | sort -u)
[ -n "$registered" ] || say "no scep.* field found in plugin/*.c"
count=0
while read -r field type; do
    count=$((count + 1))
    row=$(grep -F "| \`$field\` |" "$doc" || true)
    if [ -z "$row" ]; then
        say "$field ($type) is registered but has no row in docs/interfaces.md"
    elif ! grep -qF "| $type |" <<<"$row"; then
        say "$field is $type in the code, the doc says: $row"
    fi
done <<<"$registered"
echo "ok   $count registered fields and expert infos checked"

# Rows in the doc that the code no longer registers.
while read -r field; do
    grep -q "^$field " <<<"$registered" || say "docs/interfaces.md lists $field, which plugin/*.c does not register"
done < <(grep -oE '^\| `scep\.[a-z0-9_.]+` \|' "$doc" | sed -E 's/^\| `//; s/` \|$//')

# JSON keys: string literals of the writer.
keys=$(cat "$src/libscepdec/src/json.c" "$src/libscepdec/cli/report_json.c" |
    grep -oE '"[a-z][a-z0-9_]*"' | tr -d '"' | sort -u | grep -vxE 'true|false|null')
count=0
for key in $keys; do
    count=$((count + 1))
    grep -qF "\`$key\`" "$doc" || say "JSON key or value \"$key\" (json.c/report_json.c) is not in docs/interfaces.md"
done
for suffix in _name _raw _der; do
    grep -qF "%s$suffix" "$src/libscepdec/src/json.c" || continue
    grep -qF "\`<key>$suffix\`" "$doc" || say "the <key>$suffix companion json.c writes is not in docs/interfaces.md"
done
echo "ok   $count JSON key literals checked"
exit $fail
