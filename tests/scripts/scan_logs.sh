#!/bin/bash
# scan_logs.sh — `scepdec --scan` on logs: the Intune guidance's own Android and iOS lines
# (tests/vectors/intune-doc), and IIS W3C, jscep and macOS logs built here from the messages
# of real captures (captures/). Expected values come from independent tools, never from
# scepdec: line numbers from grep -n, HTTP statuses and request targets from tshark's HTTP
# fields, SCEP attributes from `openssl cms -cmsout -print`, the cut iOS message's recipient
# from `openssl asn1parse` of its decodable prefix.
# usage: bash scan_logs.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
SCEPDEC=$BUILD/scepdec
[ -x "$SCEPDEC" ] || { echo "no $SCEPDEC: skipped"; exit 77; }
for tool in openssl tshark jq iconv; do
    command -v $tool >/dev/null || { echo "$tool not installed: skipped"; exit 77; }
done
TMP=$(mktemp -d)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
CAP=$SRC/captures
VEC=$SRC/tests/vectors/intune-doc
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect() { # NAME WANT GOT
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}
# tshark_fields CAPTURE ARGS...: stock tshark's fields (no plugin of ours is loaded as root).
tshark_fields() {
    local f=$1
    shift
    tshark -r "$f" "$@" 2>/dev/null
}
# attr DER OID: the value openssl prints for the signed attribute OID of pkiMessage DER.
attr() {
    openssl cms -cmsout -print -inform DER -in "$1" | awk -v oid="($2)" '
        index($0, oid) { found = 1; next }
        found && /PRINTABLESTRING:/ { sub(/.*PRINTABLESTRING:/, ""); print; exit }
        found && /OCTET STRING:/ { hex = 1; next }
        hex && /^ *[0-9a-f][0-9a-f][0-9a-f][0-9a-f] - / {
            # the hex bytes end where three blanks start the ASCII column, which may hold
            # hex-looking characters and start before column 48 on a short dump line
            sub(/^ *[0-9a-f][0-9a-f][0-9a-f][0-9a-f] - /, ""); s = $0; sub(/   .*$/, "", s)
            gsub(/[^0-9a-f]/, "", s); out = out s; next }
        hex { print out; exit }'
}
# message_der URI OUT: the pkiMessage in a request target's message parameter, decoded by
# coreutils (percent escapes undone by printf, url-safe alphabet mapped back).
message_der() {
    local m=${1#*message=}
    m=${m%%&*}
    printf '%b' "${m//%/\\x}" | tr -- '-_' '+/' | base64 -d >"$2" 2>/dev/null
}

# ---- 1. The guidance's Android OMA-DM log (jscep) ----
"$SCEPDEC" --scan --json "$VEC/android-omadm.log" >"$TMP/android.json"
expect "android exit status" 0 $?
expect "android records" 3 "$(wc -l <"$TMP/android.json")"
for op in GetCACert GetCACaps; do
    want_line=$(grep -n "Sending $op(ca) to " "$VEC/android-omadm.log" | cut -d: -f1)
    got=$(jq -r "select(.operation == \"$op\") | \"\(.line) \(.http_status) \(.source) \(.time)\"" "$TMP/android.json")
    want_time=$(sed -n "${want_line}p" "$VEC/android-omadm.log" | cut -d' ' -f1)
    want_status=$(grep "Received '[0-9]* [A-Z]*' when sending $op(ca)" "$VEC/android-omadm.log" | sed "s/.*Received '\([0-9]*\) .*/\1/")
    expect "android $op" "$want_line $want_status jscep $want_time" "$got"
done
expect "android GetCACert ca_ident" ca "$(jq -r 'select(.operation == "GetCACert") | .ca_ident' "$TMP/android.json")"
want_line=$(grep -n 'CertRep@' "$VEC/android-omadm.log" | cut -d: -f1)
expect "android CertRep" "$want_line PKIOperation 3 CertRep 0 SUCCESS TRANSID false" \
    "$(jq -r 'select(.message_type) | "\(.line) \(.operation) \(.message_type) \(.message_type_name) \(.pki_status) \(.pki_status_name) \(.transaction_id) \(has("fail_info"))"' "$TMP/android.json")"

# ---- 2. The guidance's iOS profiled log: the PKIOperation line is cut by the log ----
"$SCEPDEC" --scan --json "$VEC/ios-profiled.log" >"$TMP/ios.json"
expect "ios exit status (a cut message)" 1 $?
expect "ios operations" "1 GetCACert 2 GetCACaps 3 PKIOperation" \
    "$(jq -r '"\(.line) \(.operation)"' "$TMP/ios.json" | tr '\n' ' ' | sed 's/ $//')"
expect "ios GetCACert ca_ident" "SCEP Authority" "$(jq -r 'select(.line == 1) | .ca_ident' "$TMP/ios.json")"
expect "ios time" "18:30:55.487908 -0500" "$(jq -r 'select(.line == 3) | .time' "$TMP/ios.json")"
# The decodable prefix, by coreutils, and what openssl asn1parse reads in it.
b64=$(grep -o 'message=MIAG[^ \\]*' "$VEC/ios-profiled.log" | cut -d= -f2)
printf '%s' "${b64:0:$((${#b64} / 4 * 4))}" | base64 -d >"$TMP/ios.der"
openssl asn1parse -inform DER -in "$TMP/ios.der" -i >"$TMP/outer.txt" 2>/dev/null
want_digest=$(sed -n 's/.*OBJECT *:\(sha[0-9]*\)$/\1/p' "$TMP/outer.txt" | head -1)
# The envelope starts inside the first chunk of the constructed OCTET STRING (24 80 04 82 ..).
# hdr_len OFFSET: the header length of the BER element at OFFSET of ios.der (X.690 8.1.3).
hdr_len() {
    local b=$((16#$(od -An -tx1 -j $(($1 + 1)) -N1 "$TMP/ios.der" | tr -d ' ')))
    echo $((b < 128 || b == 128 ? 2 : 2 + (b & 127)))
}
chunk=$(awk '/cons: *OCTET STRING/ { split($1, a, ":"); print a[1] + 2; exit }' "$TMP/outer.txt")
env=$((chunk + $(hdr_len "$chunk")))
# EnvelopedData: ... version INTEGER, then recipientInfos SET, KTRI SEQUENCE, version INTEGER.
int_at=$(openssl asn1parse -inform DER -in "$TMP/ios.der" -offset "$env" 2>/dev/null | awk '/d=3 .*INTEGER/ { split($1, a, ":"); print a[1]; exit }')
set_at=$((env + int_at + 3))
ktri_at=$((set_at + $(hdr_len $set_at)))
ias=$((ktri_at + $(hdr_len $ktri_at) + 3))
openssl asn1parse -inform DER -in "$TMP/ios.der" -offset "$ias" >"$TMP/ias.txt" 2>/dev/null
want_issuer=$(awk -F: '/OBJECT/ { t = $NF; gsub(/ /, "", t); next }
    /STRING/ { v = $NF; n = t == "commonName" ? "CN" : t == "domainComponent" ? "DC" : t
               dn = n "=" v (dn == "" ? "" : "," dn) } END { print dn }' "$TMP/ias.txt")
want_serial=$(awk -F: '/INTEGER/ { print tolower($NF); exit }' "$TMP/ias.txt")
expect "ios recipient (openssl asn1parse)" "CN=FourthCoffee CA,DC=fourthcoffee,DC=local 68000000099a9de56310f95c4f000000000009" "$want_issuer $want_serial"
expect "ios recipient" "$want_issuer $want_serial rsaEncryption true" \
    "$(jq -r 'select(.line == 3) | "\(.recipients[0].issuer) \(.recipients[0].serial) \(.recipients[0].key_encryption_algorithm_name) \(.truncated)"' "$TMP/ios.json")"
# sha512 is 2.16.840.1.101.3.4.2.3 (RFC 5754, section 2.4).
expect "ios digestAlgorithms" "sha512 2.16.840.1.101.3.4.2.3" \
    "$(jq -r 'select(.line == 3) | "\(.digest_algorithms[0].algorithm_name) \(.digest_algorithms[0].algorithm)"' "$TMP/ios.json")"
expect "ios digest from openssl" sha512 "$want_digest"
"$SCEPDEC" --scan "$VEC/ios-profiled.log" >"$TMP/ios.txt"
grep -qF "ios-profiled.log:3  18:30:55.487908 -0500  -  PKIOperation  " "$TMP/ios.txt" ||
    fail "ios text: no line 3 with its time and operation"
grep -qF "digest $want_digest  recipient $want_issuer serial $want_serial  cut" "$TMP/ios.txt" ||
    fail "ios text: line 3 does not show the digest and recipient before the cut"

# ---- 3. An NDES-style IIS W3C log of the captures' requests, with tshark's statuses ----
iis=$TMP/u_ex261129.log
{
    echo "#Software: Microsoft Internet Information Services 10.0"
    echo "#Version: 1.0"
    echo "#Date: 2026-11-29 00:00:00"
    echo "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"
} >"$iis"
: >"$TMP/iis.expected"
for c in crafted-ndes-ra-aes256 certmonger-enroll scepclient-get-relay strongswan-enroll-des3-sha256; do
    tshark_fields "$CAP/$c.pcapng" -Y http -T fields -E separator='|' -e frame.number -e frame.time_epoch \
        -e ip.src -e http.request.method -e http.request.uri -e http.response.code -e http.request_in -e tcp.dstport >"$TMP/fields.txt"
    while IFS='|' read -r frame epoch src method uri code request_in port; do
        [ -n "$code" ] || continue
        req=$(awk -F'|' -v f="$request_in" '$1 == f' "$TMP/fields.txt")
        IFS='|' read -r _ repoch rsrc rmethod ruri _ _ rport <<<"$req"
        when=$(date -u -d "@${repoch%.*}" '+%F %T')
        stem=${ruri%%\?*}
        query=${ruri#*\?}
        echo "$when 127.0.0.1 $rmethod $stem $query $rport - $rsrc Mozilla/5.0 - $code 0 0 5" >>"$iis"
        line=$(wc -l <"$iis")
        op=$(tr '&' '\n' <<<"$query" | sed -n 's/^operation=//p')
        tid=- type=-
        if [ "$op" = PKIOperation ] && message_der "$ruri" "$TMP/m.der"; then
            tid=$(attr "$TMP/m.der" 2.16.840.1.113733.1.9.7)
            type=$(attr "$TMP/m.der" 2.16.840.1.113733.1.9.2)
        fi
        echo "$line $when $rsrc $rmethod $op $code 0 $type $tid" >>"$TMP/iis.expected"
    done <"$TMP/fields.txt"
done
# Crafted (no capture has one): NDES refusing a query string too long for IIS (404.15).
echo "2026-11-29 10:00:00 127.0.0.1 GET /certsrv/mscep/mscep.dll operation=PKIOperation&message=MIIJ 443 - 192.0.2.7 iPhone - 404 15 0 1" >>"$iis"
echo "$(wc -l <"$iis") 2026-11-29 10:00:00 192.0.2.7 GET PKIOperation 404 15 - -" >>"$TMP/iis.expected"
"$SCEPDEC" --scan --json "$iis" >"$TMP/iis.json"
jq -r '"\(.line) \(.time) \(.client) \(.source) \(.operation) \(.http_status) \(.http_substatus) \(.message_type // "-") \(.transaction_id // "-")"' \
    "$TMP/iis.json" | sed 's/ iis / /' >"$TMP/iis.got"
# method: not a JSON key; compare the rest.
cut -d' ' -f1-4,6- "$TMP/iis.expected" >"$TMP/iis.want"
if ! diff "$TMP/iis.want" "$TMP/iis.got" >"$TMP/iis.diff"; then
    fail "IIS log: records differ from tshark/openssl (< expected, > got)"
    cat "$TMP/iis.diff"
fi
expect "IIS requests" "$(($(wc -l <"$iis") - 4))" "$(wc -l <"$TMP/iis.json")"
grep -q '404.15 (query string too long)' <("$SCEPDEC" --scan "$iis") || fail "IIS text: 404.15 not explained"
# The same log as Windows exports it: UTF-16LE with a BOM, CRLF.
{ printf '\xff\xfe'; sed 's/$/\r/' "$iis" | iconv -f UTF-8 -t UTF-16LE; } >"$TMP/utf16.log"
"$SCEPDEC" --scan --json "$TMP/utf16.log" | jq -c 'del(.file)' >"$TMP/utf16.got"
jq -c 'del(.file)' "$TMP/iis.json" >"$TMP/utf8.got"
cmp -s "$TMP/utf8.got" "$TMP/utf16.got" || fail "UTF-16LE/CRLF IIS log gives other records than UTF-8/LF"

# ---- 4. An Android jscep log of real exchanges: transport lines and CertRep toString ----
jscep=$TMP/omadm.log
: >"$jscep"
: >"$TMP/jscep.expected"
n=0
for c in scepclient-enroll-post scepclient-wrong-challenge; do
    rm -rf "$TMP/objects"
    mkdir -p "$TMP/objects" && chmod 777 "$TMP/objects"
    tshark_fields "$CAP/$c.pcapng" --export-objects "http,$TMP/objects" -q >/dev/null
    tshark_fields "$CAP/$c.pcapng" -Y 'http.response' -T fields -E separator='|' -e http.response.code \
        -e http.response_for.uri -e http.content_type >"$TMP/fields.txt"
    while IFS='|' read -r code uri ctype; do
        n=$((n + 1))
        op=$(tr '&?' '\n\n' <<<"$uri" | sed -n 's/^operation=//p')
        if [ "$ctype" = application/x-pki-message ]; then
            body=
            for f in "$TMP/objects"/*PKIOperation*; do # the response: messageType 3
                [ "$(attr "$f" 2.16.840.1.113733.1.9.2 2>/dev/null)" = 3 ] && body=$f
            done
            cp "$body" "$TMP/certrep.der" 2>/dev/null
            openssl cms -cmsout -print -inform DER -in "$body" >/dev/null 2>&1 || { fail "jscep: no CertRep body in $c"; continue; }
            st=$(attr "$body" 2.16.840.1.113733.1.9.3)
            fi_=$(attr "$body" 2.16.840.1.113733.1.9.4)
            tid=$(attr "$body" 2.16.840.1.113733.1.9.7)
            sn=$(attr "$body" 2.16.840.1.113733.1.9.5)
            rn=$(attr "$body" 2.16.840.1.113733.1.9.6)
            name=$([ "$st" = 0 ] && echo SUCCESS || ([ "$st" = 2 ] && echo FAILURE || echo PENDING))
            fname=$([ "$fi_" = 2 ] && echo badRequest || echo "<null>")
            printf '2026-11-29T10:00:%02d.0000000    VERB    Event     org.jscep.transaction.EnrollmentTransaction    18327       10    Response: org.jscep.message.CertRep@3150777b[failInfo=%s,pkiStatus=%s,recipientNonce=Nonce [%s],messageData=org.spongycastle.cms.CMSSignedData@27cc8998,messageType=CERT_REP,senderNonce=Nonce [%s],transId=%s]\n' \
                "$n" "$fname" "$name" "$rn" "$sn" "$tid" >>"$jscep"
            echo "$(wc -l <"$jscep") PKIOperation 3 $st ${fi_:--} $tid $sn $rn -" >>"$TMP/jscep.expected"
        else
            url="http://127.0.0.1:2016$uri"
            printf '2026-11-29T10:00:%02d.0000000    VERB    Event     org.jscep.transport.UrlConnectionGetTransport    18327       10    Sending %s(ca) to %s\n' "$n" "$op" "$url" >>"$jscep"
            echo "$(wc -l <"$jscep") $op - - - - - - - $code" >>"$TMP/jscep.expected"
            printf '2026-11-29T10:00:%02d.5000000    VERB    Event     org.jscep.transport.UrlConnectionGetTransport    18327       10    Received '\''%s OK'\'' when sending %s(ca) to %s\n' "$n" "$code" "$op" "$url" >>"$jscep"
        fi
    done <"$TMP/fields.txt"
done
"$SCEPDEC" --scan --json "$jscep" >"$TMP/jscep.json"
jq -r '"\(.line) \(.operation) \(.message_type // "-") \(.pki_status // "-") \(.fail_info // "-") \(.transaction_id // "-") \(.sender_nonce // "-") \(.recipient_nonce // "-") \(.http_status // "-")"' \
    "$TMP/jscep.json" | sed 's/^\([0-9]* [A-Za-z]*\) 3 \(.*\) -$/\1 3 \2 -/' >"$TMP/jscep.got"
# GET lines: the request's http_status (from its Received line) is the last column; CertRep: "-".
awk '{ if ($2 == "PKIOperation") print; else print $1, $2, "-", "-", "-", "-", "-", "-", $10 }' "$TMP/jscep.expected" >"$TMP/jscep.want"
if ! diff "$TMP/jscep.want" "$TMP/jscep.got" >"$TMP/jscep.diff"; then
    fail "jscep log: records differ from tshark/openssl (< expected, > got)"
    cat "$TMP/jscep.diff"
fi

# ---- 5. A macOS profile log line, and a CertRep pasted as PEM and as base64 ----
uri=$(tshark_fields "$CAP/crafted-ios-ber-get.pcapng" -Y 'http.request.method == "GET" && http.request.uri contains "PKIOperation"' -T fields -e http.request.uri | head -1)
port=$(tshark_fields "$CAP/crafted-ios-ber-get.pcapng" -Y 'http.request.method == "GET" && http.request.uri contains "PKIOperation"' -T fields -e tcp.dstport | head -1)
message_der "$uri" "$TMP/ios-ber.der"
body=$TMP/certrep.der # the last jscep capture's CertRep
mac=$TMP/mac.log
{
    echo "2026-11-29 10:15:02.123456+0100 0x5b1c     Default     0x0                  412    0    profiled: [com.apple.ManagedConfiguration:MC] Performing synchronous URL request: https://127.0.0.1:$port$uri, timeout: 60"
    echo "2026-11-29 10:15:03.000001+0100 0x5b1c     Default     0x0                  412    0    profiled: CertRep body:"
    openssl cms -cmsout -inform DER -in "$body" -outform PEM | sed 's/^/        /'
    printf 'debug: response "%s"\n' "$(base64 -w0 "$body")"
} >"$mac"
"$SCEPDEC" --scan --json "$mac" >"$TMP/mac.json"
expect "macOS URL" "1 2026-11-29 10:15:02.123456+0100 url $(attr "$TMP/ios-ber.der" 2.16.840.1.113733.1.9.2) $(attr "$TMP/ios-ber.der" 2.16.840.1.113733.1.9.7) true false 0" \
    "$(jq -r 'select(.line == 1) | "\(.line) \(.time) \(.source) \(.message_type) \(.transaction_id) \(.indefinite_lengths) \(.truncated) \(.errors | length)"' "$TMP/mac.json")"
# The timeline pairs that request with its CertRep (the capture's response body, pasted 1.5 s
# later in this log) under the transactionID openssl reads in both.
rm -rf "$TMP/objects" && mkdir -p "$TMP/objects"
tshark_fields "$CAP/crafted-ios-ber-get.pcapng" --export-objects "http,$TMP/objects" -q >/dev/null
for f in "$TMP/objects"/*; do
    [ "$(attr "$f" 2.16.840.1.113733.1.9.2 2>/dev/null)" = 3 ] && cp "$f" "$TMP/ios-rep.der"
done
tid=$(attr "$TMP/ios-ber.der" 2.16.840.1.113733.1.9.7)
expect "iOS CertRep answers the request" "$tid" "$(attr "$TMP/ios-rep.der" 2.16.840.1.113733.1.9.7)"
{
    head -1 "$mac"
    echo "2026-11-29 10:15:03.623456+0100 0x5b1c     Default     0x0                  412    0    profiled: response: $(base64 -w0 "$TMP/ios-rep.der")"
} >"$TMP/pair.log"
"$SCEPDEC" --scan "$TMP/pair.log" >"$TMP/pair.txt"
expect "timeline" "$tid|PKCSReq|CertRep SUCCESS  +1.500 s" \
    "$(sed -n '/^# timeline/,$p' "$TMP/pair.txt" | sed -n '2p;3s/.*  \(PKCSReq\)$/\1/p;4s/.*  \(CertRep .*\)$/\1/p' | paste -sd'|')"
pem_line=$(grep -n 'BEGIN' "$mac" | cut -d: -f1)
b64_line=$(grep -n '^debug: response' "$mac" | cut -d: -f1)
want="$(attr "$body" 2.16.840.1.113733.1.9.2) $(attr "$body" 2.16.840.1.113733.1.9.3) $(attr "$body" 2.16.840.1.113733.1.9.7)"
expect "PEM CertRep" "$pem_line pem $want" "$(jq -r 'select(.source == "pem") | "\(.line) \(.source) \(.message_type) \(.pki_status) \(.transaction_id)"' "$TMP/mac.json")"
expect "base64 CertRep" "$b64_line base64 $want" "$(jq -r 'select(.source == "base64") | "\(.line) \(.source) \(.message_type) \(.pki_status) \(.transaction_id)"' "$TMP/mac.json")"

# ---- 6. Hostile input: a 10 MB line, NUL bytes, binary; line numbers stay right ----
{
    echo "first line"
    head -c 10000000 /dev/zero | tr '\0' 'x'
    printf ' then https://ndes/certsrv/mscep/mscep.dll?operation=GetCACaps&message=CA\n'
    printf 'nul\0bytes\0 /scep?operation=GetCACert&message=after-nul\n'
    head -c 200000 "$SCEPDEC"
    printf '\nlast https://ndes/scep?operation=GetCACaps\n'
} >"$TMP/hostile.log"
"$SCEPDEC" --scan --json "$TMP/hostile.log" >"$TMP/hostile.json"
rc=$?
[ $rc -le 2 ] || fail "hostile log: exit status $rc"
expect "10 MB line is line 2" "2 GetCACaps CA" "$(jq -r 'select(.message == "CA") | "\(.line) \(.operation) \(.message)"' "$TMP/hostile.json")"
expect "after NUL bytes" "3 after-nul" "$(jq -r 'select(.ca_ident == "after-nul") | "\(.line) \(.ca_ident)"' "$TMP/hostile.json")"
want_last=$(grep -an 'operation=GetCACaps$' "$TMP/hostile.log" | tail -1 | cut -d: -f1)
expect "last line after binary" "$want_last" "$(jq -r 'select(.message == null and .operation == "GetCACaps") | .line' "$TMP/hostile.json" | tail -1)"

# A URL longer than the 1 MiB window: decoded as far as the window goes, the line's next URL
# still found; and standard input.
{
    printf 'GET https://ndes/scep?operation=PKIOperation&message=MII'
    head -c 3000000 /dev/zero | tr '\0' 'A'
    printf ' next /scep?operation=GetCACert&message=next\n'
} >"$TMP/long-url.log"
"$SCEPDEC" --scan --json - <"$TMP/long-url.log" >"$TMP/long-url.json"
expect "URL over the window, then the next" "stdin 1 PKIOperation null|stdin 1 GetCACert next" \
    "$(jq -r '"\(.file) \(.line) \(.operation) \(.ca_ident)"' "$TMP/long-url.json" | paste -sd'|')"
len=$(jq -r 'select(.operation == "PKIOperation") | .message_length' "$TMP/long-url.json")
[ "$len" -gt 700000 ] && [ "$len" -le 786432 ] || fail "URL over the window: $len bytes decoded, expected the window's worth (3/4 of 1 MiB)"

echo "scan_logs: $failures failures"
[ $failures -eq 0 ]
