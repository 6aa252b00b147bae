#!/bin/bash
# plugin_load.sh — the Wireshark plugin scep.so loads into tshark and registers what
# plugin/README.md promises: the protocol, every stable field with its type, the
# tap/statistics trees and the preference.
# usage: bash plugin_load.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

plugins=$(scep_tshark -G plugins 2>&1)
if ! grep -q "^scep\.so" <<<"$plugins"; then
    fail "tshark -G plugins does not list scep.so (a plugin that fails to load prints nothing)"
    echo "$plugins" | head -n 20
fi
grep -q "^scep\.so.*dissector" <<<"$plugins" || fail "scep.so is not listed as a dissector plugin"

protocols=$(scep_tshark -G protocols 2>/dev/null)
grep -q "^Simple Certificate Enrollment Protocol	SCEP	scep" <<<"$protocols" ||
    fail "protocol scep not registered"

# The stable filter fields (plugin/README.md, "Fields"): name and Wireshark type.
fields=$(scep_tshark -G fields 2>/dev/null | awk -F'\t' '$1 == "F" && $5 == "scep" { print $3 "\t" $4 }')
while read -r name type; do
    got=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' <<<"$fields")
    [ "$got" = "$type" ] || fail "field $name: expected $type, got '${got:-missing}'"
done <<'CONTRACT'
scep.operation FT_STRING
scep.ca_ident FT_STRING
scep.message_type FT_UINT32
scep.pki_status FT_UINT32
scep.fail_info FT_UINT32
scep.fail_info_text FT_STRING
scep.transaction_id FT_STRING
scep.sender_nonce FT_BYTES
scep.recipient_nonce FT_BYTES
scep.signing_time FT_ABSOLUTE_TIME
scep.digest_algorithm FT_OID
scep.signature_algorithm FT_OID
scep.content_encryption_algorithm FT_OID
scep.signer.issuer FT_STRING
scep.signer.serial FT_BYTES
scep.recipient.issuer FT_STRING
scep.recipient.serial FT_BYTES
scep.certificate.subject FT_STRING
scep.certificate.issuer FT_STRING
scep.certificate.serial FT_BYTES
scep.capability FT_STRING
scep.response_in FT_FRAMENUM
scep.response_to FT_FRAMENUM
scep.response_time FT_RELATIVE_TIME
scep.diagnosis FT_STRING
CONTRACT

# Named numbers come from the library's tables: -G values lists them.
values=$(scep_tshark -G values 2>/dev/null)
for pair in "scep.message_type	19	PKCSReq" "scep.message_type	3	CertRep" \
            "scep.message_type	20	CertPoll" "scep.pki_status	2	FAILURE" \
            "scep.pki_status	3	PENDING" "scep.fail_info	2	badRequest"; do
    grep -q "^V	$pair\$" <<<"$values" || fail "value string missing: $pair"
done

zhelp=$(scep_tshark -z help 2>&1)
for stat in scep,tree scep,enrollments scep_enrollments,tree; do
    grep -q "^     $stat\$" <<<"$zhelp" || fail "-z $stat is not registered"
done
scep_tshark -G defaultprefs 2>/dev/null | grep -q "scep.cms_subtree: TRUE" ||
    fail "preference scep.cms_subtree (default TRUE) missing"
scep_tshark -G 2>&1 >/dev/null | grep -i "scep" && fail "tshark complains about scep at start-up"

# What every start of a Wireshark tool pays for: scep.so opens libcrypto only when a check or
# a decryption first needs it (plugin/scep-openssl.c), and exports only the plugin's entry
# points (libscepdec's functions bind inside it).
needed=$(readelf -d "$SCEP_SO" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf shows no NEEDED entries of scep.so"
grep -q '^libcrypto' <<<"$needed" && fail "scep.so depends on libcrypto at load time"
exported=$(nm -D --defined-only "$SCEP_SO" 2>/dev/null | awk '{ print $3 }')
grep -q '^plugin_register$' <<<"$exported" || fail "scep.so does not export plugin_register"
others=$(grep -v -E '^(plugin|wireshark_plugin)_' <<<"$exported" | head -n 5 | tr '\n' ' ')
[ -z "$others" ] || fail "scep.so exports more than the plugin's entry points: $others"
[ "$failures" -eq 0 ] && echo "plugin_load: all checks passed (Wireshark $WS_VERSION)"
[ "$failures" -eq 0 ]
