/* facts.c — the same facts from the same bytes, two ways: libscepdec, and what a user of
 * OpenSSL writes instead (d2i_PKCS7, PKCS7_get_signed_attribute for each SCEP attribute, a
 * second d2i_PKCS7 for the envelope inside, its recipients). With a NULL |f| each only decodes
 * and reads the facts, as the timed runs do; with |f| it also renders them for the check. */
#include <stdlib.h>
#include <string.h>

#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "bench.h"
#include "scepdec.h"

/* Room for the largest message the scaling section builds (a 1 MB envelope, joined). */
#define JOIN_CAP (2u << 20)
static uint8_t joined[JOIN_CAP];
static scep_pki_message message;
static scep_cert_bundle bundle;

static void span_fact(bench_facts *f, const char *key, scep_span s)
{
    if (f && scep_span_present(s))
        facts_bytes(f, key, s.data, s.length);
    bench_sink += s.length;
}

static void number_fact(bench_facts *f, const char *key, const scep_number_attr *a)
{
    if (f && a->present && a->numeric)
        facts_number(f, key, a->value);
    bench_sink += (size_t)a->value;
}

static void certificate_facts(bench_facts *f, const scep_certificate *certs, size_t count)
{
    if (f)
        facts_number(f, "certificates", (long)count);
    for (size_t i = 0; i < count; i++)
        span_fact(f, "certificate.serial", certs[i].serial);
}

bool scepdec_facts(message_kind kind, const uint8_t *data, size_t len, bench_facts *f)
{
    if (kind == MSG_CERT_BUNDLE) {
        if (scep_decode_cert_bundle(data, len, joined, JOIN_CAP, &bundle) == SCEP_DECODE_NONE)
            return false;
        certificate_facts(f, bundle.certificates, bundle.certificate_count);
        return true;
    }
    if (scep_decode_pki_message(data, len, joined, JOIN_CAP, &message) == SCEP_DECODE_NONE)
        return false;
    const scep_signer *s = &message.signed_data.signer;
    number_fact(f, "messageType", &s->message_type);
    number_fact(f, "pkiStatus", &s->pki_status);
    number_fact(f, "failInfo", &s->fail_info);
    span_fact(f, "transactionID", s->transaction_id);
    span_fact(f, "senderNonce", s->sender_nonce);
    span_fact(f, "recipientNonce", s->recipient_nonce);
    if (message.has_envelope) {
        if (f)
            facts_number(f, "recipients", (long)message.envelope.recipient_count);
        for (size_t i = 0; i < message.envelope.recipient_count; i++)
            span_fact(f, "recipient.serial", message.envelope.recipients[i].rid.serial);
    }
    certificate_facts(f, message.signed_data.certificates, message.signed_data.certificate_count);
    return true;
}

/* ------------------------------------------------------------------ OpenSSL ---- */

static int nid_message_type, nid_pki_status, nid_fail_info, nid_sender_nonce,
    nid_recipient_nonce, nid_transaction_id;

static int scep_nid(const char *oid, const char *name)
{
    int nid = OBJ_txt2nid(oid);
    return nid != NID_undef ? nid : OBJ_create(oid, name, name);
}

void openssl_facts_init(void)
{
    nid_message_type = scep_nid("2.16.840.1.113733.1.9.2", "scepMessageType");
    nid_pki_status = scep_nid("2.16.840.1.113733.1.9.3", "scepPkiStatus");
    nid_fail_info = scep_nid("2.16.840.1.113733.1.9.4", "scepFailInfo");
    nid_sender_nonce = scep_nid("2.16.840.1.113733.1.9.5", "scepSenderNonce");
    nid_recipient_nonce = scep_nid("2.16.840.1.113733.1.9.6", "scepRecipientNonce");
    nid_transaction_id = scep_nid("2.16.840.1.113733.1.9.7", "scepTransactionID");
}

static void string_fact(bench_facts *f, const char *key, const ASN1_TYPE *t)
{
    if (t == NULL || t->type == V_ASN1_BOOLEAN || t->type == V_ASN1_NULL ||
        t->type == V_ASN1_OBJECT)
        return;
    if (f)
        facts_bytes(f, key, t->value.asn1_string->data, (size_t)t->value.asn1_string->length);
    bench_sink += (size_t)t->value.asn1_string->length;
}

/* numeric_fact reads a decimal PrintableString attribute, as a user of OpenSSL must. */
static void numeric_fact(bench_facts *f, const char *key, const ASN1_TYPE *t)
{
    if (t == NULL || t->type != V_ASN1_PRINTABLESTRING)
        return;
    const ASN1_STRING *s = t->value.printablestring;
    char text[16];
    if (s->length <= 0 || (size_t)s->length >= sizeof text)
        return;
    memcpy(text, s->data, (size_t)s->length);
    text[s->length] = '\0';
    char *end;
    long value = strtol(text, &end, 10);
    if (*end != '\0')
        return;
    if (f)
        facts_number(f, key, value);
    bench_sink += (size_t)value;
}

static void x509_facts(bench_facts *f, const STACK_OF(X509) *certs)
{
    int count = certs ? sk_X509_num(certs) : 0;
    if (f)
        facts_number(f, "certificates", count);
    for (int i = 0; i < count; i++) {
        const ASN1_INTEGER *serial = X509_get0_serialNumber(sk_X509_value(certs, i));
        if (f)
            facts_bytes(f, "certificate.serial", serial->data, (size_t)serial->length);
        bench_sink += (size_t)serial->length;
    }
}

static void envelope_facts(bench_facts *f, const PKCS7 *p7)
{
    PKCS7 *contents = p7->d.sign->contents;
    if (contents == NULL || !PKCS7_type_is_data(contents) || contents->d.data == NULL ||
        contents->d.data->length == 0)
        return;
    const unsigned char *p = contents->d.data->data;
    PKCS7 *env = d2i_PKCS7(NULL, &p, contents->d.data->length);
    if (env != NULL && PKCS7_type_is_enveloped(env)) {
        STACK_OF(PKCS7_RECIP_INFO) *ris = env->d.enveloped->recipientinfo;
        int count = sk_PKCS7_RECIP_INFO_num(ris);
        if (f)
            facts_number(f, "recipients", count);
        for (int i = 0; i < count; i++) {
            const ASN1_INTEGER *serial = sk_PKCS7_RECIP_INFO_value(ris, i)->issuer_and_serial->serial;
            if (f)
                facts_bytes(f, "recipient.serial", serial->data, (size_t)serial->length);
            bench_sink += (size_t)serial->length;
        }
    }
    PKCS7_free(env);
}

bool openssl_facts(message_kind kind, const uint8_t *data, size_t len, bench_facts *f)
{
    const unsigned char *p = data;
    PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
    if (p7 == NULL || !PKCS7_type_is_signed(p7)) {
        PKCS7_free(p7);
        return false;
    }
    if (kind == MSG_PKI_MESSAGE) {
        PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(p7), 0);
        if (si != NULL) {
            numeric_fact(f, "messageType", PKCS7_get_signed_attribute(si, nid_message_type));
            numeric_fact(f, "pkiStatus", PKCS7_get_signed_attribute(si, nid_pki_status));
            numeric_fact(f, "failInfo", PKCS7_get_signed_attribute(si, nid_fail_info));
            string_fact(f, "transactionID", PKCS7_get_signed_attribute(si, nid_transaction_id));
            string_fact(f, "senderNonce", PKCS7_get_signed_attribute(si, nid_sender_nonce));
            string_fact(f, "recipientNonce", PKCS7_get_signed_attribute(si, nid_recipient_nonce));
        }
        envelope_facts(f, p7);
    }
    x509_facts(f, p7->d.sign->cert);
    PKCS7_free(p7);
    return true;
}

void run_scepdec_facts(void *arg)
{
    const facts_job *j = arg;
    scepdec_facts(j->kind, j->data, j->len, NULL);
}

void run_openssl_facts(void *arg)
{
    const facts_job *j = arg;
    openssl_facts(j->kind, j->data, j->len, NULL);
}
