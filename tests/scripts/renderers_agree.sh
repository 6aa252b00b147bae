#!/bin/bash
# renderers_agree.sh — the three renderers say the same facts about the same message: the
# CLI's text report (scepdec), the CLI's JSON (scepdec --json, the library's scep_json_*) and
# the Wireshark plugin (real tshark loading the built scep.so, its packet details, -V).
#
# Each renderer's output is reduced to a list of facts, one "key=value" a line: operation,
# message type, pkiStatus, failInfo (and failInfoText), transactionID, nonces, signer and
# recipients (issuer, serial), the messageDigest and signature checks, certificates (subject,
# issuer, serial, role, key usage), bundle kind, capabilities, base64 forms and the message
# parameter of the request target. Values are compared in the words people read (libscepdec's
# naming layer, scepdec.h "Words for people"): the text report and the plugin must print them
# alike, and JSON's machine values are mapped by the rules that header documents ("" is
# SCEP_WORDS_EMPTY_NAME, "<key>_der" is SCEP_WORDS_UNREADABLE_NAME, bundle "certs-only" is
# "certs-only PKCS#7", ...).
#
#   1. Every SCEP message of every capture in captures/*.pcapng: the plugin's details against
#      the CLI given what tshark's stock HTTP dissector extracts from the same frame (the
#      request target of a GET, the body of a POST or of a 2xx response, with the operation
#      of the request the response answers). Answers outside 2xx are skipped: the plugin
#      quotes them as the server's complaint, the CLI has nothing SCEP to decode there.
#   2. Every message file in tests/vectors/ (pkiMessages, bundles, certificates): the CLI
#      reads the file; the plugin reads it wrapped into HTTP as its kind travels, in a capture
#      CRAFTED here with text2pcap (not traffic of a real peer). The log files of
#      tests/vectors/intune-doc go through --scan, whose output is neither renderer
#      (scan_logs.sh covers them).
#
# usage: bash renderers_agree.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
CLI=$BUILD/scepdec
[ -x "$CLI" ] || { echo "no $CLI: skipped"; exit 77; }
for tool in jq xxd text2pcap; do
    command -v "$tool" >/dev/null || { echo "$tool not installed: skipped"; exit 77; }
done
. "$SRC/plugin/tests/tshark-env.bash"

failures=0
compared=0
WORK=${AGREE_KEEP:-$PLUGIN_TMP/agree}
mkdir -p "$WORK"

# facts_text REPORT...: "name<TAB>fact" for each text report file (name: the file's, less .text).
facts_text() {
    awk '
    FNR == 1 { name = FILENAME; sub(/.*\//, "", name); sub(/\.text$/, "", name); sect = "" }
    function fact(s) { print name "\t" s }
    function val(   v) { v = $0; sub(/^ *[^:]*: +/, "", v); return v }
    function unquote(v) { sub(/^"/, "", v); sub(/"$/, "", v); return v }
    function party(prefix, v,   at) {
        if (v ~ /^issuer /) {
            v = substr(v, 8)
            at = match(v, /, serial [0-9a-f]*$/)
            fact(prefix ".issuer=" substr(v, 1, at - 1))
            fact(prefix ".serial=" substr(v, at + 9))
        } else if (v ~ /^subject key identifier /) {
            fact(prefix ".ski=" substr(v, 24))
        }
    }
    /^operation: /          { v = val(); sub(/ \(inferred\)$/, "", v)
                              if (v ~ /^"/) { sub(/ \(not an RFC 8894 operation\)$/, "", v); v = unquote(v) }
                              fact("operation=" v); next }
    /^message in URL: /     { v = val(); sub(/.*; forms: /, "", v)
                              if (v != "standard") fact("forms=" v); next }
    /^(CA identifier|message): / { fact("message_param=" unquote(val())); next }
    /^  messageType: /      { fact("message_type=" val()); next }
    /^  pkiStatus: /        { fact("pki_status=" val()); next }
    /^  failInfo: /         { fact("fail_info=" val()); next }
    /^  failInfoText: /     { fact("fail_info_text=" unquote(val())); next }
    /^  transactionID: /    { fact("transaction_id=" val()); next }
    /^  messageDigest: /    { fact("check.message_digest=" val()); next }
    /^  signature: /        { fact("check.signature=" val()); next }
    /^  (sender|recipient)Nonce: / { v = val(); sub(/ .*/, "", v)
                              fact(($0 ~ /senderNonce/ ? "sender_nonce=" : "recipient_nonce=") v); next }
    /^  signer: /           { party("signer", val()); next }
    /^  recipient [0-9]+: / { n = $2; sub(/:$/, "", n); party("recipient[" n "]", val()); next }
    /^certificates \(/      { sect = "cert"; next }
    /^signing certificates \(/ { sect = "signing_cert"; next }
    /^certificate bundle: / { v = $0; sub(/^certificate bundle: /, "", v); sub(/ \([^)]*\)$/, "", v)
                              fact("bundle=" v); sect = ""; next }
    /^capabilities \(/      { sect = "caps"; next }
    /^[^ ]/                 { sect = "" }
    sect == "caps" && /^  / { v = substr($0, 3); sub(/  \(unknown capability\)$/, " (unknown capability)", v)
                              fact("capability=" v); next }
    sect != "" && sect != "caps" && /^  \[[0-9]+\] / {
                              n = $1; gsub(/[\[\]]/, "", n); v = $0; sub(/^  \[[0-9]+\] /, "", v)
                              sub(/ DER [0-9a-f]*$/, "", v); fact(sect "[" n "].subject=" v); next }
    sect != "" && /^      issuer: /  { v = val(); sub(/  \(self-issued\)$/, "", v); sub(/ DER [0-9a-f]*$/, "", v)
                                       fact(sect "[" n "].issuer=" v); next }
    sect != "" && /^      serial: /  { fact(sect "[" n "].serial=" val()); next }
    sect != "" && /^      role: /    { v = val(); sub(/ \(path length [0-9]+\)$/, "", v)
                                       fact(sect "[" n "].role=" v); next }
    sect != "" && /^      key usage: / { fact(sect "[" n "].key_usage=" val()); next }
    ' "$@"
}

# facts_json JSON...: "name<TAB>fact" for each file of scepdec --json output, mapped to
# people's words by scepdec.h's rules.
facts_json() {
    jq -r '
    def name($k): if has($k) then (if .[$k] == "" then "(empty name)" else .[$k] end)
                  elif has($k + "_der") then "(unreadable name)" else empty end;
    def number($k): if has($k) then "\(.[$k + "_name"] // "unknown value") (\(.[$k]))"
                    elif has($k + "_raw") then "\"\(.[$k + "_raw"])\" (not a decimal number)"
                    else empty end;
    def party($p): (name("issuer") | "\($p).issuer=\(.)"),
                   (.serial // empty | "\($p).serial=\(.)"),
                   (.subject_key_identifier // empty | "\($p).ski=\(.)");
    def cert($p; $roles): (name("subject") | "\($p).subject=\(.)"),
                          (name("issuer") | "\($p).issuer=\(.)"),
                          (.serial // empty | "\($p).serial=\(.)"),
                          (if $roles then (.role // empty | "\($p).role=\(.)") else empty end),
                          (.key_usage // empty
                           | "\($p).key_usage=\(if length == 0 then "(none)" else join(", ") end)");
    def kind: {"certificate": "single certificate", "certs-only": "certs-only PKCS#7",
               "signed": "signed PKCS#7 over certs-only"}[.];
    (input_filename | sub(".*/"; "") | sub("\\.json$"; "")) as $name
    | (
    (.operation // empty | "operation=\(.)"),
    (.base64_forms // empty | select(length > 0) | "forms=\(join(", "))"),
    ((.ca_ident // .message) // empty | "message_param=\(.)"),
    (number("message_type") | "message_type=\(.)"),
    (number("pki_status") | "pki_status=\(.)"),
    (number("fail_info") | "fail_info=\(.)"),
    (.fail_info_text // empty | "fail_info_text=\(.)"),
    (.transaction_id // empty | "transaction_id=\(.)"),
    (.sender_nonce // empty | "sender_nonce=\(.)"),
    (.recipient_nonce // empty | "recipient_nonce=\(.)"),
    (.verification.message_digest // empty | "check.message_digest=\(.)"),
    (.verification.signature // empty | "check.signature=\(.)"),
    (.signer // empty | party("signer")),
    (.recipients // [] | to_entries[] | .key as $i | .value | party("recipient[\($i + 1)]")),
    (.bundle // empty | "bundle=\(kind)"),
    (has("bundle") as $roles | .certificates // [] | to_entries[]
     | .key as $i | .value | cert("cert[\($i + 1)]"; $roles)),
    (.signer_certificates // [] | to_entries[] | .key as $i | .value | cert("signing_cert[\($i + 1)]"; false)),
    ((.unknown_capabilities // []) as $unknown | .capabilities // [] | .[]
     | "capability=\(.)\(if IN($unknown[]) then " (unknown capability)" else "" end)")
    ) | "\($name)\t\(.)"
    ' "$@"
}

# facts_plugin CAPTURE < DETAILS: "CAPTURE-frame<TAB>fact" for every SCEP message in the
# plugin's packet details (tshark -V).
facts_plugin() {
    awk -v cap="$1" '
    function out(fact) { print cap "-" frame "\t" fact }
    /^Frame [0-9]+:/ { frame = $2; sub(/:$/, "", frame); scep = 0; next }
    /^Simple Certificate Enrollment Protocol/ { scep = 1; ctx = ""; sub_ctx = ""; next }
    /^[^ ]/ { scep = 0 }
    !scep { next }
    {
        match($0, /^ */); depth = RLENGTH; line = substr($0, depth + 1)
        if (line ~ /^\[.*\]$/) line = substr(line, 2, length(line) - 2) # generated items
        label = line; sub(/: .*/, "", label)
        value = line; if (!sub(/^[^:]*: /, "", value)) value = ""
    }
    depth == 4 {
        ctx = ""; sub_ctx = ""
        if (label == "Operation") out("operation=" value)
        else if (label == "CA identifier") out("message_param=" value)
        else if (label == "Base64 forms") { sub(/^0x[0-9a-f]+ \(/, "", value); sub(/\)$/, "", value); out("forms=" value) }
        else if (label == "Message type") out("message_type=" value)
        else if (label == "PKI status") out("pki_status=" value)
        else if (label == "Fail info") out("fail_info=" value)
        else if (label == "Fail info text") out("fail_info_text=" value)
        else if (label == "Transaction ID") out("transaction_id=" value)
        else if (label == "Sender nonce") out("sender_nonce=" value)
        else if (label == "Recipient nonce") out("recipient_nonce=" value)
        else if (label == "Bundle") out("bundle=" value)
        else if (label == "Capability") out("capability=" value)
        else if (label == "Certificates") { ctx = "cert"; n = 0 }
        else if (label == "Signer") ctx = "signer"
        else if (line ~ /^pkcsPKIEnvelope/) { ctx = "envelope"; r = 0 }
        next
    }
    function cert_field(prefix) {
        if (label == "Subject") out(prefix ".subject=" value)
        else if (label == "Issuer") out(prefix ".issuer=" value)
        else if (label == "Serial number") out(prefix ".serial=" value)
        else if (label == "Role") out(prefix ".role=" value)
        else if (label == "Key usage") {
            sub(/^0x[0-9a-f]+ /, "", value)
            if (value != "(none)") { sub(/^\(/, "", value); sub(/\)$/, "", value) }
            out(prefix ".key_usage=" value)
        }
    }
    ctx == "cert" && depth == 8 && label == "Certificate" { n++; next }
    ctx == "cert" && depth == 12 { cert_field("cert[" n "]"); next }
    ctx == "signer" && depth == 8 {
        sub_ctx = ""
        if (label == "Issuer") out("signer.issuer=" value)
        else if (label == "Serial number") out("signer.serial=" value)
        else if (label == "Subject key identifier") out("signer.ski=" value)
        else if (label ~ /^(messageDigest|Signature) check$/) {
            sub(/ \(.*\)$/, "", value) # the plugin adds why a check was not done; the text report says it apart
            out((label ~ /^m/ ? "check.message_digest=" : "check.signature=") value)
        }
        else if (label == "Signing certificates") { sub_ctx = "signing"; m = 0 }
        next
    }
    ctx == "signer" && sub_ctx == "signing" && depth == 12 && label == "Certificate" { m++; next }
    ctx == "signer" && sub_ctx == "signing" && depth == 16 { cert_field("signing_cert[" m "]"); next }
    ctx == "envelope" && depth == 8 && label == "Recipient" { r++; next }
    ctx == "envelope" && depth == 12 {
        if (label == "Issuer") out("recipient[" r "].issuer=" value)
        else if (label == "Serial number") out("recipient[" r "].serial=" value)
        else if (label == "Subject key identifier") out("recipient[" r "].ski=" value)
    }
    '
}

# compare NAME1 FILE1 NAME2 FILE2: two sorted "name<TAB>fact" lists are the same.
compare() {
    if ! cmp -s "$2" "$4"; then
        echo "FAIL: the $1 and the $3 disagree ($1 <, $3 >):"
        diff "$2" "$4" | grep '^[<>]' | head -40
        failures=$((failures + 1))
    fi
}

# run_cli NAME ARGS...: the text report and the JSON of one input, as $WORK/NAME.text/.json.
run_cli() {
    local name=$1; shift
    "$CLI" --text "$@" >"$WORK/$name.text" 2>&1
    "$CLI" --json "$@" >"$WORK/$name.json" 2>/dev/null
    names+=("$name")
}

operation_of() { sed -n 's/.*[?&]operation=\([^&]*\).*/\1/p' <<<"$1"; }

names=()
skipped=0
# 1. Captures: every SCEP message the plugin shows; the CLI gets what stock HTTP extracts.
shopt -s nullglob
captures=("$SRC"/captures/*.pcapng)
[ ${#captures[@]} -gt 0 ] || { echo "no captures/*.pcapng: skipped"; exit 77; }
: >"$WORK/plugin.facts"
for pcap in "${captures[@]}"; do
    cap=$(basename "$pcap" .pcapng)
    copy=$(stage "$pcap")
    # The plugin's details and, beside them (two tshark at once), what stock HTTP saw in each
    # frame: number, method, target, answered target, status, body in hex; fields split by US
    # (0x1f) so empty ones stay.
    scep_tshark -r "$copy" -2 -V 2>/dev/null | facts_plugin "$cap" >"$WORK/$cap.plugin" &
    stock_tshark -r "$copy" -2 -Y http -T json -x -J "frame http" 2>/dev/null | jq -r '
        .[] | ._source.layers | [.frame["frame.number"],
          ([.http | .. | objects | ."http.request.method"? // empty][0] // ""),
          ([.http | .. | objects | ."http.request.uri"? // empty][0] // ""),
          ([.http | .. | objects | ."http.response_for.uri"? // empty][0] // ""),
          ([.http | .. | objects | ."http.response.code"? // empty][0] // ""),
          ([.http | .. | objects | ."http.file_data_raw"? // empty][0][0] // "")] | join("\u001f")' \
        >"$WORK/$cap.http"
    wait
    cat "$WORK/$cap.plugin" >>"$WORK/plugin.facts"
    declare -A http=()
    while IFS= read -r row; do
        http[${row%%$'\x1f'*}]=$row
    done <"$WORK/$cap.http"
    for frame in $(grep "^$cap-[0-9]*"$'\t' "$WORK/plugin.facts" | cut -f1 | uniq | sed "s/^$cap-//"); do
        name=$cap-$frame
        IFS=$'\x1f' read -r _ method uri answered code body <<<"${http[$frame]:-}"
        if [ -n "$method" ] && [ -z "$body" ]; then
            run_cli "$name" "$uri"
        elif [ -n "$method" ]; then
            xxd -r -p <<<"$body" >"$WORK/$name.body"
            run_cli "$name" --operation "$(operation_of "$uri")" "$WORK/$name.body"
        elif [ "${code:0:1}" = 2 ] && [ -n "$body" ]; then
            xxd -r -p <<<"$body" >"$WORK/$name.body"
            run_cli "$name" --operation "$(operation_of "$answered")" "$WORK/$name.body"
        else
            skipped=$((skipped + 1))
            sed -i "/^$name"$'\t'"/d" "$WORK/plugin.facts"
        fi
    done
    unset http
done
captured=${#names[@]}

# 2. Vectors: every message file (pkiMessages, bundles, certificates; not keys, not logs).
#    For the plugin each is wrapped into HTTP, as its kind travels (a PKIOperation POST; a
#    GetCACert or GetNextCACert request and its answer), one TCP packet a message, in one
#    CRAFTED capture made here with text2pcap.
vector_hex=$WORK/vectors.txt
: >"$vector_hex"
frames=0
declare -A vector_frame=()
for vector in "$SRC"/tests/vectors/*/*.der "$SRC"/tests/vectors/*/*.pem "$SRC"/tests/vectors/*/*.crt; do
    grep -q "PRIVATE KEY" "$vector" 2>/dev/null && continue
    name=vector-$(basename "$(dirname "$vector")")-$(basename "$vector")
    der=$WORK/$name.der
    if grep -q -- "-----BEGIN" "$vector"; then sed '/-----/d' "$vector" | base64 -d >"$der"; else cp "$vector" "$der"; fi
    case $("$CLI" --json "$der" 2>/dev/null | jq -r '.bundle // "pki"') in
    signed) op=GetNextCACert type=application/x-x509-next-ca-cert ;;
    certs-only) op=GetCACert type=application/x-x509-ca-ra-cert ;;
    certificate) op=GetCACert type=application/x-x509-ca-cert ;;
    *) op=PKIOperation type=application/x-pki-message ;;
    esac
    run_cli "$name" --operation "$op" "$vector"
    if [ "$op" = PKIOperation ]; then
        printf 'POST /scep?operation=PKIOperation HTTP/1.1\r\nHost: ca.example\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n' \
            "$type" "$(wc -c <"$der")" | cat - "$der" >"$WORK/$name.http"
        echo O >>"$vector_hex"
        od -Ax -tx1 -v "$WORK/$name.http" >>"$vector_hex"
        frames=$((frames + 1))
    else
        printf 'GET /scep?operation=%s HTTP/1.1\r\nHost: ca.example\r\n\r\n' "$op" >"$WORK/$name.get"
        printf 'HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n' "$type" "$(wc -c <"$der")" |
            cat - "$der" >"$WORK/$name.http"
        { echo O; od -Ax -tx1 -v "$WORK/$name.get"; echo I; od -Ax -tx1 -v "$WORK/$name.http"; } >>"$vector_hex"
        frames=$((frames + 2))
    fi
    vector_frame[$frames]=$name
done
text2pcap -q -D -T 40000,8080 "$vector_hex" "$WORK/vectors.pcap" >/dev/null 2>&1 ||
    { echo "FAIL: text2pcap could not wrap the vectors"; exit 1; }
chmod a+r "$WORK/vectors.pcap"
scep_tshark -r "$(stage "$WORK/vectors.pcap")" -2 -V 2>/dev/null | facts_plugin vectors |
    while IFS=$'\t' read -r where fact; do
        name=${vector_frame[${where#vectors-}]:-}
        # the GET requests of the wrapping carry the operation only; the vector is the answer
        [ -n "$name" ] && printf '%s\t%s\n' "$name" "$fact"
    done >>"$WORK/plugin.facts"

LC_ALL=C
(cd "$WORK" && facts_text *.text) | sort >"$WORK/text.facts"
(cd "$WORK" && facts_json *.json) | sort >"$WORK/json.facts"
sort -o "$WORK/plugin.facts" "$WORK/plugin.facts"
# Every message gave facts (a renderer that said nothing would agree with nothing).
for name in "${names[@]}"; do
    grep -q "^$name"$'\t' "$WORK/text.facts" ||
        { echo "FAIL: $name: no facts in the text report"; failures=$((failures + 1)); }
done
compare "text report" "$WORK/text.facts" "JSON" "$WORK/json.facts"
compare "text report" "$WORK/text.facts" "plugin" "$WORK/plugin.facts"

echo "${#names[@]} messages ($captured from captures, the rest vectors), $(wc -l <"$WORK/text.facts") facts, each renderer; $skipped non-2xx or empty answers skipped; $failures failed"
[ "$failures" -eq 0 ]
