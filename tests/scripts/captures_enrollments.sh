#!/usr/bin/env bash
# captures_enrollments.sh — checks captures/golden/enrollments.tsv (the expected enrollment
# table the plugin's -z scep,enrollments and scep.diagnosis are tested against) against
# evidence that owes nothing to scepdec nor to make-enrollments:
#   1. stock tshark's HTTP fields (frame.number, ip.src, ip.dst, http.request.method,
#      http.request.uri, http.response.code, http.request_in): every request:response pair
#      is a request and the response tshark links to it, client/server are its addresses,
#      an outcome "HTTP N" is the last response's status, a CertRep outcome comes with 200,
#      server-error sits exactly on the responses >= 400;
#   2. the peers' own logs kept by captures/regenerate (captures/logs/): the transactionID
#      scepserver, pki and certmonger logged, and the outcome scepserver, scepclient and pki
#      report; recipient-not-published, challenge and certificate-expired exactly where
#      the logs say so;
#   3. every capture has rows, and clock-skew is on the faketime captures only.
# usage: bash captures_enrollments.sh BUILD_DIR SOURCE_DIR
set -u
SRC=${2:?source dir}
CAP=$SRC/captures
TABLE=$CAP/golden/enrollments.tsv
command -v tshark >/dev/null || { echo "tshark not installed: skipped"; exit 77; }
[ -f "$TABLE" ] || { echo "no $TABLE: skipped"; exit 77; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
codes() { tr ' ' '\n' <<<"$1" | sed -n 's/@.*//p'; }    # diagnosis codes of a cell
has_code() { codes "$1" | grep -qx "$2"; }

declare -A HTTP
for pcap in "$CAP"/*.pcapng; do
    name=$(basename "$pcap" .pcapng)
    grep -q "^$name	" "$TABLE" || fail "$name: no row in enrollments.tsv"
    # stock tshark, no decode-as: the corpus uses ports no dissector claims
    HTTP[$name]=$(tshark -r "$pcap" -Y http -T fields -E separator=/t -e frame.number -e ip.src \
        -e ip.dst -e http.request.method -e http.request.uri -e http.response.code \
        -e http.request_in 2>/dev/null)
done

rows=0
while IFS=$'\t' read -r name tid client server requests outcome frames diag diagk; do
    [ "$name" = capture ] && continue
    rows=$((rows + 1))
    http=${HTTP[$name]:-}
    field() { awk -F'\t' -v f="$1" -v c="$2" '$1 == f { print $c; exit }' <<<"$http"; }
    label="$name ${tid:0:16}"
    last_code=
    for pair in $frames; do
        q=${pair%%:*} r=${pair#*:}
        [ -n "$(field "$q" 4)" ] || fail "$label: frame $q is not an HTTP request"
        [ "$(field "$q" 2)" = "$client" ] || fail "$label: frame $q not from $client"
        [ "$(field "$q" 3)" = "${server%:*}" ] || fail "$label: frame $q not to ${server%:*}"
        grep -q 'operation=' <<<"$(field "$q" 5)" || fail "$label: frame $q is not a SCEP request"
        if [ "$r" = - ]; then last_code=none; continue; fi
        [ "$(field "$r" 7)" = "$q" ] || fail "$label: tshark does not link response $r to $q"
        last_code=$(field "$r" 6)
        if [ "${last_code:-0}" -ge 400 ]; then
            grep -qx "server-error@$r" <<<"$(tr ' ' '\n' <<<"$diag")" ||
                fail "$label: HTTP $last_code in $r without server-error@$r"
        fi
    done
    case $outcome in
        "HTTP "*) [ "$last_code" = "${outcome#HTTP }" ] || fail "$label: outcome $outcome, tshark says $last_code" ;;
        "no response") [ "$last_code" = none ] || fail "$label: outcome no response, tshark says $last_code" ;;
        *) [ "$last_code" = 200 ] || fail "$label: outcome $outcome with HTTP $last_code" ;;
    esac
    n_err=$(codes "$diag" | grep -cx server-error)
    n_http=0
    for pair in $frames; do r=${pair#*:}; [ "$r" != - ] && [ "$(field "$r" 6)" -ge 400 ] && n_http=$((n_http + 1)); done
    [ "$n_err" = "$n_http" ] || fail "$label: $n_err server-error codes for $n_http HTTP errors"

    # the peers' logs
    srv=$CAP/logs/$name.scepserver.log
    if [ "$tid" != - ]; then
        for log in "$CAP/logs/$name".*.log; do
            [ -f "$log" ] || continue
            case $log in
                *.scepserver.log) # logged once parsed; a request refused earlier (base64,
                    # pkcs7) only has its err=
                    grep -q 'parsed scep pkiMessage' "$log" || continue
                    re="transaction_id=\"\\?$tid\"\\?\$" ;;
                *.pki.log) re="^transaction ID: $tid\$" ;;
                *.certmonger.log) re="Setting transaction ID \"$tid\"" ;;
                *) continue ;;
            esac
            grep -q -- "$re" "$log" || fail "$label: transactionID not in $(basename "$log")"
        done
        if [ -f "$srv" ]; then
            if grep -q 'method=PKIOperation err="\|component=http err=' "$srv"; then want="HTTP 500"
            elif grep -q 'failed to sign CSR' "$srv"; then want="FAILURE badRequest"
            else want=SUCCESS; fi
            [ "$outcome" = "$want" ] || fail "$label: outcome $outcome, scepserver's log says $want"
            if grep -q 'no enveloped recipient' "$srv"; then
                has_code "$diag" recipient-not-published || fail "$label: no recipient-not-published"
            else
                has_code "$diag" recipient-not-published && fail "$label: recipient-not-published without evidence"
            fi
            if grep -q 'err="invalid challenge"\|failed to sign CSR' "$srv"; then
                has_code "$diag" challenge || fail "$label: no challenge code"
            fi
        fi
        sc=$CAP/logs/$name.scepclient.log
        if [ -f "$sc" ]; then
            if grep -q 'failInfo: badRequest' "$sc"; then want="FAILURE badRequest"
            elif grep -q 'server returned a certificate' "$sc"; then want=SUCCESS
            else want="HTTP 500"; fi
            [ "$outcome" = "$want" ] || fail "$label: outcome $outcome, scepclient's log says $want"
        fi
        pk=$CAP/logs/$name.pki.log
        if [ -f "$pk" ] && grep -q 'did not receive a valid SCEP response: HTTP 500' "$pk"; then
            [ "$outcome" = "HTTP 500" ] || fail "$label: outcome $outcome, pki says HTTP 500"
        fi
    fi
    # certificate-expired where pki itself says the CA certificate is invalid
    pk=$CAP/logs/$name.pki.log
    if [ "$tid" = - ] && [ -f "$pk" ] && grep -q 'invalid since' "$pk"; then
        has_code "$diag" certificate-expired || fail "$label: pki says the CA expired, no certificate-expired"
    fi
    # clock-skew: only the captures made with faketime, on their PKIOperation
    case $name in
        *-clock-behind) [ "$tid" = - ] || has_code "$diag" clock-skew || fail "$label: no clock-skew" ;;
        *) has_code "$diag" clock-skew && fail "$label: clock-skew outside the faketime captures" ;;
    esac
done <"$TABLE"

[ "$rows" -gt 0 ] || fail "enrollments.tsv has no rows"
# the expired certificate scepserver issued with -crtvalid -1 (openssl reads scepclient's copy)
crt=$CAP/keys/scepclient-issued-expired/client.pem
if [ -f "$crt" ] && ! openssl x509 -in "$crt" -noout -checkend 0 >/dev/null 2>&1; then
    grep -q '^scepclient-issued-expired	[^-].*certificate-expired@' "$TABLE" ||
        fail "scepclient-issued-expired: issued certificate expired, no certificate-expired"
fi
[ "$failures" = 0 ] && { echo "captures_enrollments: $rows rows checked, all passed"; exit 0; }
echo "captures_enrollments: $failures failure(s)"
exit 1
