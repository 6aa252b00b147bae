#!/bin/bash
# plugin_decrypt.sh — the Wireshark plugin opens pkcsPKIEnvelopes with the keys named in the
# scep.private_keys preference (captures/keys: TEST-ONLY keys of the capture corpus), and
# checks messageDigest and signature:
#   scepclient-enroll-post: the CA key opens the PKCSReq (CSR subject as openssl reads
#   csr.pem), the client key opens the CertRep (the issued certificate's serial as openssl
#   reads client.pem); without keys nothing is tried, with a wrong key it says so;
#   crafted-pending-certpoll: CertPoll's IssuerAndSubject; every capture's messages verify.
# usage: bash plugin_decrypt.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
command -v openssl >/dev/null || { echo "openssl not installed: skipped"; exit 77; }
KEYS=$SRC/captures/keys
[ -d "$KEYS" ] || { echo "no captures/keys: skipped"; exit 77; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect() { [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"; }

post=$SRC/captures/scepclient-enroll-post.pcapng
if [ -f "$post" ] && [ -f "$KEYS/micromdm-ca/ca.unencrypted.key" ]; then
    pcap=$(stage "$post")
    ca_key=$(stage "$KEYS/micromdm-ca/ca.unencrypted.key")
    client_key=$(stage "$KEYS/scepclient-enroll-post/client.key")
    wrong_key=$(stage "$KEYS/crafted/ca.key")
    keys=(-o "scep.private_keys:$ca_key;$client_key")
    csr_subject=$(openssl req -in "$KEYS/scepclient-enroll-post/csr.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
    expect "PKCSReq: CSR subject" "$csr_subject" \
        "$(scep_tshark -r "$pcap" "${keys[@]}" -Y 'scep.message_type == 19' -T fields -e scep.csr.subject 2>/dev/null)"
    length=$(scep_tshark -r "$pcap" "${keys[@]}" -Y 'scep.message_type == 19' -T fields -e scep.csr.challenge_password_length 2>/dev/null)
    [ -n "$length" ] && [ "$length" -gt 0 ] || fail "PKCSReq: no challenge password length ('$length')"
    expect "PKCSReq: challenge hidden by default" "" \
        "$(scep_tshark -r "$pcap" "${keys[@]}" -Y 'scep.message_type == 19' -T fields -e scep.csr.challenge_password 2>/dev/null)"
    shown=$(scep_tshark -r "$pcap" "${keys[@]}" -o scep.show_challenge:TRUE -Y 'scep.message_type == 19' \
            -T fields -e scep.csr.challenge_password 2>/dev/null)
    expect "PKCSReq: challenge shown on request, length" "$length" "${#shown}"
    serial=$(openssl x509 -in "$KEYS/scepclient-enroll-post/client.pem" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f')
    [ $((${#serial} % 2)) -eq 0 ] || serial=0$serial
    issued=$(scep_tshark -r "$pcap" "${keys[@]}" -Y 'scep.message_type == 3 && scep.decrypted' -T fields \
             -e scep.certificate.serial 2>/dev/null)
    grep -q "\(^\|,\)$serial\(,\|$\)" <<<"$issued" || fail "CertRep: issued serial $serial not among '$issued'"
    expect "without keys: nothing decrypted, nothing flagged" "" \
        "$(scep_tshark -r "$pcap" -Y 'scep.decrypted || scep.not_decrypted' -T fields -e frame.number 2>/dev/null)"
    expect "wrong key: flagged on both envelopes" "10
11" "$(scep_tshark -r "$pcap" -o "scep.private_keys:$wrong_key" -Y 'scep.not_decrypted' -T fields -e frame.number 2>/dev/null)"
else
    echo "note: scepclient-enroll-post or its keys missing: decryption checks skipped"
fi

poll=$SRC/captures/crafted-pending-certpoll.pcapng
if [ -f "$poll" ]; then
    pcap=$(stage "$poll")
    crafted_keys=""
    for k in "$KEYS"/crafted/*.key; do crafted_keys="$crafted_keys$(stage "$k");"; done
    subjects=$(scep_tshark -r "$pcap" -o "scep.private_keys:$crafted_keys" -Y 'scep.message_type == 20' \
               -T fields -e scep.content.subject 2>/dev/null | sort -u)
    expect "CertPoll: IssuerAndSubject subject" "CN=pending-client" "$subjects"
fi

# Every pkiMessage of the corpus passes both checks.
for cap in "$SRC"/captures/*.pcapng; do
    pcap=$(stage "$cap")
    bad=$(scep_tshark -r "$pcap" -Y 'scep.check_failed || scep.check.message_digest == "FAILED" || scep.check.signature == "FAILED"' \
          -T fields -e frame.number -e _ws.expert.message 2>/dev/null)
    [ -z "$bad" ] || fail "$(basename "$cap"): check failed: $bad"
    ok=$(scep_tshark -r "$pcap" -Y 'scep.message_type' -T fields -e scep.check.signature 2>/dev/null | sort -u | tr '\n' ' ')
    case "$ok" in "" | "ok ") ;; *) echo "note: $(basename "$cap"): signature checks: $ok" ;; esac
done

[ "$failures" -eq 0 ] && echo "plugin_decrypt: all checks passed"
[ "$failures" -eq 0 ]
