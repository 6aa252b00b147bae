/* scan_jscep.c reads what jscep (the SCEP client inside Android's Intune agent) logs: its
 * transport lines, "Sending X to URL" and "Received '200 OK' when sending X to URL", and the
 * toString of a CertRep: "org.jscep.message.CertRep@3150777b[failInfo=<null>,
 * pkiStatus=SUCCESS,recipientNonce=Nonce [hex],…,messageType=CERT_REP,senderNonce=Nonce [hex],
 * transId=…]", whose values become the facts of a CertRep. */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "../src/hex.h" /* the library's one hex digit reader (header-only) */
#include "scan.h"

enum { TID_AT = 0, SENDER_AT = SCAN_KEY_MAX, RECIPIENT_AT = SCAN_KEY_MAX * 3 / 2 };

static const char *find(const char *s, size_t len, const char *needle)
{
    return memmem(s, len, needle, strlen(needle));
}

/* same_name: equal ignoring case and '_' ("CERT_REP" is "CertRep", "BAD_REQUEST" "badRequest"). */
static bool same_name(const char *a, size_t alen, const char *b)
{
    size_t i = 0, j = 0, blen = strlen(b);
    for (;;) {
        while (i < alen && a[i] == '_')
            i++;
        if (i == alen || j == blen)
            return i == alen && j == blen;
        char x = a[i], y = b[j];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
        i++, j++;
    }
}

/* number_from_name sets |attr| to the value whose name |name_of| gives as |v|/|n|. */
static void number_from_name(const char *v, size_t n, const char *(*name_of)(long),
                             const char *alias, long alias_value, scep_number_attr *attr)
{
    for (long value = 0; value < 32; value++) {
        const char *name = name_of(value);
        if ((name && same_name(v, n, name)) || (alias && value == alias_value && same_name(v, n, alias))) {
            attr->present = true;
            attr->numeric = true;
            attr->value = value;
            return;
        }
    }
}

/* nonce_value: "Nonce [0a1b…]" into |out| (at most |cap| bytes); absent unless all hex. */
static scep_span nonce_value(const char *v, size_t n, uint8_t *out, size_t at, size_t cap)
{
    scep_span span = {0};
    if (n < 8 || memcmp(v, "Nonce [", 7) != 0 || v[n - 1] != ']')
        return span;
    const char *hex = v + 7;
    size_t digits = n - 8;
    if (digits == 0 || digits % 2 || digits / 2 > cap)
        return span;
    for (size_t i = 0; i < digits / 2; i++) {
        int hi = hex_value((unsigned char)hex[2 * i]);
        int lo = hex_value((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return span;
        out[at + i] = (uint8_t)(hi << 4 | lo);
    }
    span.data = out + at;
    span.offset = at;
    span.length = digits / 2;
    return span;
}

static void certrep_value(const char *k, size_t kn, const char *v, size_t vn, scan_hit *hit)
{
    scep_signer *f = &hit->facts;
    if (kn == 8 && memcmp(k, "failInfo", 8) == 0)
        number_from_name(v, vn, scep_fail_info_name, NULL, 0, &f->fail_info);
    else if (kn == 9 && memcmp(k, "pkiStatus", 9) == 0)
        number_from_name(v, vn, scep_pki_status_name, NULL, 0, &f->pki_status);
    else if (kn == 11 && memcmp(k, "messageType", 11) == 0)
        number_from_name(v, vn, scep_message_type_name, "GetCertInitial", SCEP_MSG_CERT_POLL,
                         &f->message_type);
    else if (kn == 11 && memcmp(k, "senderNonce", 11) == 0)
        f->sender_nonce = nonce_value(v, vn, hit->facts_buf, SENDER_AT, SCAN_KEY_MAX / 2);
    else if (kn == 14 && memcmp(k, "recipientNonce", 14) == 0)
        f->recipient_nonce = nonce_value(v, vn, hit->facts_buf, RECIPIENT_AT, SCAN_KEY_MAX / 2);
    else if (kn == 7 && memcmp(k, "transId", 7) == 0 && vn > 0 && vn < SCAN_KEY_MAX &&
             !(vn == 6 && memcmp(v, "<null>", 6) == 0)) {
        memcpy(hit->facts_buf + TID_AT, v, vn);
        f->transaction_id.data = hit->facts_buf + TID_AT;
        f->transaction_id.offset = TID_AT;
        f->transaction_id.length = vn;
    }
}

bool jscep_certrep(const char *line, size_t len, scan_hit *hit)
{
    const char *at = find(line, len, "CertRep@");
    if (!at)
        return false;
    const char *end = line + len;
    const char *p = memchr(at, '[', (size_t)(end - at));
    if (!p)
        return false;
    p++;
    while (p < end && *p != ']') {
        const char *key = p, *eq = p;
        while (eq < end && *eq != '=' && *eq != ',' && *eq != ']')
            eq++;
        if (eq == end || *eq != '=') {
            p = eq < end && *eq == ',' ? eq + 1 : eq;
            continue;
        }
        const char *v = eq + 1, *ve = v;
        int depth = 0;
        while (ve < end && (depth > 0 || (*ve != ',' && *ve != ']'))) {
            depth += *ve == '[' ? 1 : *ve == ']' ? -1 : 0;
            ve++;
        }
        certrep_value(key, (size_t)(eq - key), v, (size_t)(ve - v), hit);
        p = ve < end && *ve == ',' ? ve + 1 : ve;
    }
    scep_signer *f = &hit->facts;
    hit->has_facts = f->message_type.present || f->pki_status.present;
    if (hit->has_facts && !f->message_type.present) {
        f->message_type.present = f->message_type.numeric = true; /* a CertRep, by its class */
        f->message_type.value = SCEP_MSG_CERT_REP;
    }
    return hit->has_facts;
}

/* copy_key copies s[0, n) into |key|, cut to SCAN_KEY_MAX - 1 bytes. */
static void copy_key(const char *s, size_t n, char *key)
{
    if (n >= SCAN_KEY_MAX)
        n = SCAN_KEY_MAX - 1;
    memcpy(key, s, n);
    key[n] = '\0';
}

bool jscep_sending(const char *line, size_t len, char *key)
{
    const char *p = find(line, len, "Sending ");
    if (!p)
        return false;
    p += 8;
    const char *to = find(p, (size_t)(line + len - p), " to ");
    if (!to)
        return false;
    copy_key(p, (size_t)(to - p), key);
    return true;
}

bool jscep_received(const char *line, size_t len, int *status, char *key)
{
    const char *p = find(line, len, "Received '");
    if (!p)
        return false;
    p += 10;
    const char *end = line + len;
    int value = 0, digits = 0;
    while (p < end && *p >= '0' && *p <= '9' && digits < 3) {
        value = value * 10 + (*p++ - '0');
        digits++;
    }
    if (digits != 3)
        return false;
    const char *sending = find(p, (size_t)(end - p), "' when sending ");
    if (!sending)
        return false;
    sending += 15;
    const char *to = find(sending, (size_t)(end - sending), " to ");
    if (!to)
        return false;
    *status = value;
    copy_key(sending, (size_t)(to - sending), key);
    return true;
}
