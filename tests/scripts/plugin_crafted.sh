#!/bin/bash
# plugin_crafted.sh — the Wireshark plugin on small CRAFTED captures built here with
# text2pcap around tests/vectors/micromdm/PKCSReq.der (micromdm's own PKCSReq): the ways a
# request reaches a server (POST with the wrong content type, GET with the base64 message
# escaped or raw, cut short like a device log), an unknown operation, and traffic that must
# stay plain HTTP (another web application's "operation" parameter, a browser fetching a CA
# certificate for AIA). These captures are crafted, not recorded from a peer.
# Expected values come from `openssl cms -cmsout -print -inform DER -in PKCSReq.der`:
#   messageType 19, transactionID A13090761A30F66664F85D37433D2065E1112BA1,
#   senderNonce ae7fe8816cc6bedd.
# usage: bash plugin_crafted.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
command -v text2pcap >/dev/null || { echo "text2pcap not installed: skipped"; exit 77; }
VECTORS=$SRC/tests/vectors/micromdm
DER=$VECTORS/PKCSReq.der
TID=A13090761A30F66664F85D37433D2065E1112BA1
NONCE=ae7fe8816cc6bedd
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect() { # LABEL EXPECTED GOT
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# craft NAME DIRECTION FILE [DIRECTION FILE]...: one TCP packet per HTTP message (O client to
# server port 8080, I back), written to $PLUGIN_TMP/crafted-NAME.pcap.
craft() {
    local name=$1 hex=$PLUGIN_TMP/crafted-$1.txt
    shift
    : >"$hex"
    while [ $# -gt 0 ]; do
        echo "$1" >>"$hex"
        od -Ax -tx1 -v "$2" >>"$hex"
        shift 2
    done
    text2pcap -q -D -T 40000,8080 "$hex" "$PLUGIN_TMP/crafted-$name.pcap" >/dev/null 2>&1 ||
        { echo "text2pcap failed on $name"; exit 1; }
    chmod a+r "$PLUGIN_TMP/crafted-$name.pcap"
    echo "$PLUGIN_TMP/crafted-$name.pcap"
}
http_request() { # METHOD TARGET CONTENT-TYPE BODY-FILE OUT  (CONTENT-TYPE "" and BODY "" for none)
    {
        printf '%s %s HTTP/1.1\r\nHost: ca.example.com\r\n' "$1" "$2"
        if [ -n "$4" ]; then
            printf 'Content-Type: %s\r\nContent-Length: %d\r\n\r\n' "$3" "$(wc -c <"$4")"
            cat "$4"
        else
            printf '\r\n'
        fi
    } >"$5"
}
http_response() { # CONTENT-TYPE BODY-FILE OUT
    {
        printf 'HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n' "$1" "$(wc -c <"$2")"
        cat "$2"
    } >"$3"
}
fields() { # PCAP FIELD... -> the fields of every SCEP message, tab separated
    local pcap=$1
    shift
    local args=()
    for f in "$@"; do args+=(-e "$f"); done
    scep_tshark -r "$pcap" -2 -Y scep -T fields "${args[@]}" 2>/dev/null
}
no_bugs() { # LABEL PCAP: no dissector bug, no exception
    local out
    out=$(scep_tshark -r "$1" -2 -V -x 2>&1)
    grep -q "Dissector bug\|Unhandled exception\|Malformed Packet" <<<"$out" &&
        fail "$2: exception or dissector bug: $(grep -m1 "Dissector bug\|Unhandled exception\|Malformed Packet" <<<"$out")"
}

T=$PLUGIN_TMP
base64 -w0 "$DER" >"$T/b64"
escaped=$(sed 's/+/%2B/g; s/\//%2F/g; s/=/%3D/g' "$T/b64")
raw=$(cat "$T/b64")
expected="19	$TID	$NONCE"

# 1. POST with the DER body as application/octet-stream (micromdm's client does this).
http_request POST "/cgi-bin/pkiclient.exe?operation=PKIOperation" application/octet-stream "$DER" "$T/post"
pcap=$(craft post-octet-stream O "$T/post")
expect "POST octet-stream: fields" "PKIOperation	$expected" \
    "$(fields "$pcap" scep.operation scep.message_type scep.transaction_id scep.sender_nonce)"
expect "POST octet-stream: Info" "SCEP PKCSReq tid=$TID" \
    "$(scep_columns -r "$pcap" 2>/dev/null | cut -f3)"
expect "POST octet-stream: filter scep.message_type == 19" "1" \
    "$(scep_tshark -r "$pcap" -Y 'scep.message_type == 19' -T fields -e frame.number 2>/dev/null)"
expect "POST octet-stream: filter on transaction_id" "1" \
    "$(scep_tshark -r "$pcap" -Y "scep.transaction_id == \"$TID\"" -T fields -e frame.number 2>/dev/null)"
expect "POST octet-stream: filter on sender_nonce bytes" "1" \
    "$(scep_tshark -r "$pcap" -Y "scep.sender_nonce == ae:7f:e8:81:6c:c6:be:dd" -T fields -e frame.number 2>/dev/null)"
no_bugs "$pcap" "POST octet-stream"

# 2. The same message by GET, base64 percent-escaped, and raw (+ and / as is, as iOS sends).
http_request GET "/scep?operation=PKIOperation&message=$escaped" "" "" "$T/get-escaped"
pcap=$(craft get-escaped O "$T/get-escaped")
expect "GET escaped: fields" "PKIOperation	$expected	0x00000001" \
    "$(fields "$pcap" scep.operation scep.message_type scep.transaction_id scep.sender_nonce scep.message_forms)"
tabs=$(scep_tshark -r "$pcap" -x 2>/dev/null | grep -o "^Decoded PKIOperation message ([0-9]* bytes)")
expect "GET escaped: data source" "Decoded PKIOperation message ($(wc -c <"$DER") bytes)" "$tabs"
no_bugs "$pcap" "GET escaped"

http_request GET "/certsrv/mscep/mscep.dll?operation=PKIOperation&message=$raw" "" "" "$T/get-raw"
pcap=$(craft get-raw O "$T/get-raw")
expect "GET raw: fields" "$expected" "$(fields "$pcap" scep.message_type scep.transaction_id scep.sender_nonce)"
no_bugs "$pcap" "GET raw"

# 3. A GET cut short, as device logs cut URLs: decoded as far as it goes, flagged, no exception.
http_request GET "/scep?operation=PKIOperation&message=${raw:0:1500}" "" "" "$T/get-cut"
pcap=$(craft get-cut O "$T/get-cut")
expect "GET cut: truncated flag" "1" "$(fields "$pcap" scep.truncated | bool_field | cut -d, -f1)"
scep_columns -r "$pcap" 2>/dev/null | cut -f3 | grep -q "\[truncated\]" ||
    fail "GET cut: Info does not say [truncated]"
expect "GET cut: error expert" "1" \
    "$(scep_tshark -r "$pcap" -Y 'scep.truncated.expert' -T fields -e frame.number 2>/dev/null)"
no_bugs "$pcap" "GET cut"

# 4. A request with application/x-pki-message and no operation parameter is still SCEP.
http_request POST "/enroll" application/x-pki-message "$DER" "$T/post-typed"
pcap=$(craft post-typed O "$T/post-typed")
expect "POST x-pki-message without operation: fields" "$expected" \
    "$(fields "$pcap" scep.message_type scep.transaction_id scep.sender_nonce)"

# 4b. The pkiMessage POSTed as base64 text (64-column lines) behind Expect: 100-continue: the
#     body is decoded into its own tab, and the interim 100 Continue stays plain HTTP.
base64 -w64 "$DER" | sed 's/$/\r/' >"$T/b64-lines"
http_request POST "/cgi-bin/pkiclient.exe?operation=PKIOperation" application/x-www-form-urlencoded \
    "$T/b64-lines" "$T/post-b64"
printf 'HTTP/1.1 100 Continue\r\n\r\n' >"$T/continue"
pcap=$(craft post-base64 O "$T/post-b64" I "$T/continue")
expect "POST base64 body: fields" "1	$expected" \
    "$(fields "$pcap" frame.number scep.message_type scep.transaction_id scep.sender_nonce)"
expect "POST base64 body: data source" "Decoded base64 body ($(wc -c <"$DER") bytes)" \
    "$(scep_tshark -r "$pcap" -x 2>/dev/null | grep -o "^Decoded base64 body ([0-9]* bytes)")"
no_bugs "$pcap" "POST base64 body"

# 5. An operation the decoder does not know, on a SCEP path: shown and flagged, not dropped.
http_request GET "/certsrv/mscep/mscep.dll?operation=GetCACertChain&message=CA" "" "" "$T/get-unknown"
pcap=$(craft unknown-operation O "$T/get-unknown")
expect "unknown operation: scep.operation" "GetCACertChain" "$(fields "$pcap" scep.operation)"
expect "unknown operation: expert" "1" \
    "$(scep_tshark -r "$pcap" -Y 'scep.operation.unknown' -T fields -e frame.number 2>/dev/null)"

# 6. Not SCEP: another application's operation parameter, and a browser's AIA fetch of a CA
#    certificate (application/x-x509-ca-cert) — identical with and without the plugin.
http_request GET "/search?operation=find&q=scepless" "" "" "$T/web"
sed -n '/BEGIN/,/END/p' "$VECTORS/ca.crt" | grep -v -- '-----' | base64 -d >"$T/ca.der"
http_request GET "/pki/issuing-ca.crt" "" "" "$T/aia-request"
http_response application/x-x509-ca-cert "$T/ca.der" "$T/aia-response"
pcap=$(craft not-scep O "$T/web" O "$T/aia-request" I "$T/aia-response")
expect "not SCEP: scep frames" "" "$(scep_tshark -r "$pcap" -2 -Y scep -T fields -e frame.number 2>/dev/null)"
expect "not SCEP: summaries unchanged" \
    "$(stock_columns -r "$pcap" -2 2>/dev/null)" \
    "$(scep_columns -r "$pcap" -2 2>/dev/null)"

# 7. GetCACaps and GetCACert by text2pcap: Info lines and the CA certificate's names.
printf 'POSTPKIOperation\r\nSHA-256\r\nAES\r\nSCEPStandard\r\n' >"$T/caps"
http_request GET "/scep?operation=GetCACaps" "" "" "$T/caps-request"
http_response text/plain "$T/caps" "$T/caps-response"
http_request GET "/scep?operation=GetCACert&message=MyCA" "" "" "$T/cacert-request"
http_response application/x-x509-ca-cert "$T/ca.der" "$T/cacert-response"
pcap=$(craft caps-cacert O "$T/caps-request" I "$T/caps-response" O "$T/cacert-request" I "$T/cacert-response")
expect "GetCACaps/GetCACert: Info" "SCEP GetCACaps
SCEP GetCACaps: POSTPKIOperation, SHA-256, AES, SCEPStandard
SCEP GetCACert
SCEP GetCACert response: 1 certificate" \
    "$(scep_columns -r "$pcap" 2>/dev/null | cut -f3)"
expect "GetCACaps: capabilities" "POSTPKIOperation,SHA-256,AES,SCEPStandard" \
    "$(scep_tshark -r "$pcap" -Y 'frame.number == 2' -T fields -e scep.capability 2>/dev/null)"
expect "GetCACert: CA identifier" "MyCA" "$(scep_tshark -r "$pcap" -Y 'frame.number == 3' -T fields -e scep.ca_ident 2>/dev/null)"
subject=$(openssl x509 -in "$VECTORS/ca.crt" -noout -subject -nameopt RFC2253 2>/dev/null | sed 's/^subject=//')
if [ -n "$subject" ]; then
    expect "GetCACert: certificate subject (openssl)" "$subject" \
        "$(scep_tshark -r "$pcap" -Y 'frame.number == 4' -T fields -e scep.certificate.subject 2>/dev/null)"
fi
expect "GetCACert/GetCACaps: links" "2	1
4	3" "$(scep_tshark -r "$pcap" -2 -Y scep.response_to -T fields -e frame.number -e scep.response_to 2>/dev/null)"
no_bugs "$pcap" "GetCACaps/GetCACert"

# 8. Peers that disagree, made with tests/crafted/scep-craft and the TEST-ONLY CA of
#    captures/keys/crafted (skipped without a C compiler and OpenSSL headers): a CertRep
#    answering the micromdm PKCSReq with another transactionID and a recipientNonce that is
#    not the request's senderNonce, and a request with a messageType SCEP does not have.
KEYS=$SRC/captures/keys/crafted
if command -v cc >/dev/null && [ -f "$SRC/tests/crafted/scep-craft.c" ] && [ -f "$KEYS/ca.pem" ] &&
    cc -O1 -o "$T/scep-craft" "$SRC/tests/crafted/scep-craft.c" -lcrypto 2>/dev/null; then
    "$T/scep-craft" pkimsg --signer-cert "$KEYS/ca.pem" --signer-key "$KEYS/ca.key" --type 3 \
        --status 2 --failinfo 2 --tid OTHER-TID --snonce 00112233445566778899aabbccddeeff \
        --rnonce ffeeddccbbaa99887766554433221100 --out "$T/certrep.der" >/dev/null 2>&1
    "$T/scep-craft" pkimsg --signer-cert "$KEYS/ft.selfsigned.pem" --signer-key "$KEYS/ft.key" \
        --type 42 --tid T42 --snonce 0102030405060708 --out "$T/type42.der" >/dev/null 2>&1
    if [ -s "$T/certrep.der" ] && [ -s "$T/type42.der" ]; then
        http_request POST "/scep?operation=PKIOperation" application/x-pki-message "$DER" "$T/req"
        http_response application/x-pki-message "$T/certrep.der" "$T/rep"
        http_request POST "/scep?operation=PKIOperation" application/x-pki-message "$T/type42.der" "$T/req42"
        pcap=$(craft disagreeing-peers O "$T/req" I "$T/rep" O "$T/req42")
        expect "mismatched CertRep: linked by HTTP" "1" \
            "$(scep_tshark -r "$pcap" -2 -Y 'frame.number == 2' -T fields -e scep.response_to 2>/dev/null)"
        expect "mismatched CertRep: recipientNonce expert" "2" \
            "$(scep_tshark -r "$pcap" -2 -Y 'scep.recipient_nonce.mismatch' -T fields -e frame.number 2>/dev/null)"
        expect "mismatched CertRep: transactionID expert" "2" \
            "$(scep_tshark -r "$pcap" -2 -Y 'scep.transaction_id.mismatch' -T fields -e frame.number 2>/dev/null)"
        expect "mismatched CertRep: FAILURE expert" "2" \
            "$(scep_tshark -r "$pcap" -2 -Y 'scep.failure' -T fields -e frame.number 2>/dev/null)"
        expect "messageType 42: value and expert" "3	42" \
            "$(scep_tshark -r "$pcap" -2 -Y 'scep.message_type.unknown' -T fields -e frame.number -e scep.message_type 2>/dev/null)"
        expect "messageType 42: Info" "SCEP messageType 42 tid=T42" \
            "$(scep_columns -r "$pcap" -Y "frame.number == 3" 2>/dev/null | cut -f3)"
        no_bugs "$pcap" "disagreeing peers"
    else
        fail "scep-craft did not produce its messages"
    fi
else
    echo "note: no C compiler, OpenSSL headers or crafted keys: disagreeing-peer checks skipped"
fi

[ "$failures" -eq 0 ] && echo "plugin_crafted: all checks passed"
[ "$failures" -eq 0 ]
