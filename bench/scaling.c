/* scaling.c — does the time per byte stay flat from 1 KB to 1 MB? Crafted messages, built
 * here: a BER pkiMessage whose envelope grows (content chunked in 1 KB pieces, as iOS sends
 * it), and GetCACert bundles of 1 to 4000 certificates, DER and BER. OpenSSL decodes the same
 * bytes to the same facts alongside. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "bench.h"
#include "der_build.h"
#include "scepdec.h"

static const uint8_t oid_signed_data[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02};
static const uint8_t oid_data[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
static const uint8_t oid_enveloped[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03};
static const uint8_t oid_sha256[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
static const uint8_t oid_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t oid_des3[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07};
static const uint8_t oid_content_type[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03};
static const uint8_t oid_message_digest[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04};
#define SCEP_OID(last) {0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x45, 0x01, 0x09, last}
static const uint8_t oid_message_type[] = SCEP_OID(2);
static const uint8_t oid_sender_nonce[] = SCEP_OID(5);
static const uint8_t oid_transaction_id[] = SCEP_OID(7);

/* put_child appends |child| to |parent| wrapped in |tag|, and frees it. */
static void put_child(der_buf *parent, uint8_t tag, der_buf *child, int indefinite)
{
    der_wrap(child, tag, indefinite);
    der_put(parent, child->data, child->len);
    der_free(child);
}

static void put_algorithm(der_buf *b, const uint8_t *oid, size_t n, const void *iv, size_t iv_len)
{
    der_buf alg = {0};
    der_put_tlv(&alg, 0x06, oid, n);
    if (iv)
        der_put_tlv(&alg, 0x04, iv, iv_len);
    else
        der_put(&alg, "\x05\x00", 2);
    put_child(b, 0x30, &alg, 0);
}

/* IssuerAndSerialNumber: CN=scepdec bench CA, serial 0x2a. */
static void put_issuer_serial(der_buf *b)
{
    der_buf ias = {0}, cn = {0};
    static const uint8_t cn_oid[] = {0x55, 0x04, 0x03};
    der_put_tlv(&cn, 0x06, cn_oid, sizeof cn_oid);
    der_put_tlv(&cn, 0x13, "scepdec bench CA", 16);
    der_wrap(&cn, 0x30, 0);
    der_wrap(&cn, 0x31, 0);
    put_child(&ias, 0x30, &cn, 0);
    der_put(&ias, "\x02\x01\x2a", 3);
    put_child(b, 0x30, &ias, 0);
}

static void put_attribute(der_buf *b, const uint8_t *oid, size_t n, uint8_t tag,
                          const void *value, size_t value_len)
{
    der_buf attr = {0}, values = {0};
    der_put_tlv(&attr, 0x06, oid, n);
    der_put_tlv(&values, tag, value, value_len);
    put_child(&attr, 0x31, &values, 0);
    put_child(b, 0x30, &attr, 0);
}

/* The pkcsPKIEnvelope: one RSA recipient, |content_size| octets of DES-EDE3 ciphertext. */
static der_buf build_envelope(size_t content_size)
{
    static const uint8_t key[256], iv[8];
    der_buf ri = {0}, eci = {0}, env = {0}, ris = {0};
    der_put(&ri, "\x02\x01\x00", 3);
    put_issuer_serial(&ri);
    put_algorithm(&ri, oid_rsa, sizeof oid_rsa, NULL, 0);
    der_put_tlv(&ri, 0x04, key, sizeof key);
    put_child(&ris, 0x30, &ri, 0);
    der_put_tlv(&eci, 0x06, oid_data, sizeof oid_data);
    put_algorithm(&eci, oid_des3, sizeof oid_des3, iv, sizeof iv);
    uint8_t *cipher = calloc(1, content_size);
    der_put_tlv(&eci, 0x80, cipher, content_size);
    free(cipher);
    der_put(&env, "\x02\x01\x00", 3);
    put_child(&env, 0x31, &ris, 0);
    put_child(&env, 0x30, &eci, 0);
    der_wrap(&env, 0x30, 0);
    der_wrap(&env, 0xa0, 0);
    der_buf info = {0};
    der_put_tlv(&info, 0x06, oid_enveloped, sizeof oid_enveloped);
    put_child(&info, 0x30, &env, 0);
    return info;
}

static void put_signer_info(der_buf *b)
{
    static const uint8_t digest[32], nonce[16], signature[256];
    der_buf si = {0}, attrs = {0};
    der_put(&si, "\x02\x01\x01", 3);
    put_issuer_serial(&si);
    put_algorithm(&si, oid_sha256, sizeof oid_sha256, NULL, 0);
    put_attribute(&attrs, oid_content_type, sizeof oid_content_type, 0x06, oid_data, sizeof oid_data);
    put_attribute(&attrs, oid_message_digest, sizeof oid_message_digest, 0x04, digest, sizeof digest);
    put_attribute(&attrs, oid_message_type, sizeof oid_message_type, 0x13, "19", 2);
    put_attribute(&attrs, oid_transaction_id, sizeof oid_transaction_id, 0x13,
                  "2F3A4C5D6E7F8091A2B3C4D5E6F70819", 32);
    put_attribute(&attrs, oid_sender_nonce, sizeof oid_sender_nonce, 0x04, nonce, sizeof nonce);
    put_child(&si, 0xa0, &attrs, 0);
    put_algorithm(&si, oid_rsa, sizeof oid_rsa, NULL, 0);
    der_put_tlv(&si, 0x04, signature, sizeof signature);
    put_child(b, 0x30, &si, 0);
}

/* An iOS-style PKCSReq: indefinite lengths outside, the envelope as 1 KB chunks. */
static der_buf build_pki_message(size_t content_size, const bench_file *cert)
{
    der_buf envelope = build_envelope(content_size), chunks = {0}, encap = {0}, sd = {0};
    for (size_t at = 0; at < envelope.len; at += 1024) {
        size_t n = envelope.len - at < 1024 ? envelope.len - at : 1024;
        der_put_tlv(&chunks, 0x04, envelope.data + at, n);
    }
    der_free(&envelope);
    der_wrap(&chunks, 0x24, 1);
    der_put_tlv(&encap, 0x06, oid_data, sizeof oid_data);
    put_child(&encap, 0xa0, &chunks, 1);
    der_put(&sd, "\x02\x01\x01", 3);
    der_buf algs = {0};
    put_algorithm(&algs, oid_sha256, sizeof oid_sha256, NULL, 0);
    put_child(&sd, 0x31, &algs, 0);
    put_child(&sd, 0x30, &encap, 1);
    der_put_tlv(&sd, 0xa0, cert->data, cert->len);
    der_buf signers = {0};
    put_signer_info(&signers);
    put_child(&sd, 0x31, &signers, 0);
    der_wrap(&sd, 0x30, 1);
    der_buf info = {0};
    der_put_tlv(&info, 0x06, oid_signed_data, sizeof oid_signed_data);
    put_child(&info, 0xa0, &sd, 1);
    der_wrap(&info, 0x30, 1);
    return info;
}

/* A GetCACert certs-only bundle of |count| copies of |cert|, DER or BER. */
static der_buf build_bundle(size_t count, const bench_file *cert, int indefinite)
{
    der_buf certs = {0}, sd = {0}, encap = {0}, info = {0};
    for (size_t i = 0; i < count; i++)
        der_put(&certs, cert->data, cert->len);
    der_put(&sd, "\x02\x01\x01\x31\x00", 5);
    der_put_tlv(&encap, 0x06, oid_data, sizeof oid_data);
    put_child(&sd, 0x30, &encap, 0);
    put_child(&sd, 0xa0, &certs, indefinite);
    der_put(&sd, "\x31\x00", 2);
    der_wrap(&sd, 0x30, indefinite);
    der_put_tlv(&info, 0x06, oid_signed_data, sizeof oid_signed_data);
    put_child(&info, 0xa0, &sd, indefinite);
    der_wrap(&info, 0x30, indefinite);
    return info;
}

/* ------------------------------------------------------------------ the series ---- */

typedef struct {
    const char *label;
    message_kind kind;
    size_t sizes[8];  /* content octets, or certificates; 0 ends */
    size_t quick_sizes; /* how many of them --quick measures: the big ones take seconds */
    int indefinite;   /* bundles only */
} series;

static const series all_series[] = {
    {"BER pkiMessage, envelope in 1 KB chunks", MSG_PKI_MESSAGE,
     {1024, 4096, 16384, 65536, 262144, 1048576}, 4, 1},
    {"GetCACert bundle, DER, certificates", MSG_CERT_BUNDLE, {1, 4, 16, 64, 256, 1024, 4000}, 4, 0},
    {"GetCACert bundle, BER (indefinite), certificates", MSG_CERT_BUNDLE,
     {1, 4, 16, 64, 256, 1024, 4000}, 4, 1},
};
#define SERIES_COUNT (sizeof all_series / sizeof all_series[0])

/* in_run: is |size| (an entry of |s|->sizes) measured in this mode? */
static bool in_run(const bench_config *cfg, const series *s, const size_t *size)
{
    return !cfg->quick || (size_t)(size - s->sizes) < s->quick_sizes;
}

static der_buf build(const bench_config *cfg, const series *s, size_t size)
{
    bench_file cert = bench_read_file(cfg->vector_dir, "certs/ec-p256.der");
    der_buf b = s->kind == MSG_PKI_MESSAGE ? build_pki_message(size, &cert)
                                           : build_bundle(size, &cert, s->indefinite);
    free(cert.data);
    return b;
}

/* The facts OpenSSL finds, as libscepdec reports them: at most SCEP_MAX_CERTIFICATES
 * certificates (it keeps the first ones and records a capacity error for the rest). */
static bool capped_openssl_facts(const series *s, const der_buf *b, bench_facts *f)
{
    if (s->kind == MSG_PKI_MESSAGE)
        return openssl_facts(s->kind, b->data, b->len, f);
    const unsigned char *p = b->data;
    PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)b->len);
    if (p7 == NULL || !PKCS7_type_is_signed(p7)) {
        PKCS7_free(p7);
        return false;
    }
    int count = sk_X509_num(p7->d.sign->cert);
    facts_number(f, "certificates", count < SCEP_MAX_CERTIFICATES ? count : SCEP_MAX_CERTIFICATES);
    for (int i = 0; i < count && i < SCEP_MAX_CERTIFICATES; i++) {
        const ASN1_INTEGER *serial = X509_get0_serialNumber(sk_X509_value(p7->d.sign->cert, i));
        facts_bytes(f, "certificate.serial", serial->data, (size_t)serial->length);
    }
    PKCS7_free(p7);
    return true;
}

bool scaling_check(const bench_config *cfg)
{
    bool ok = true;
    for (size_t s = 0; s < SERIES_COUNT; s++) {
        for (const size_t *size = all_series[s].sizes; *size && in_run(cfg, &all_series[s], size);
             size++) {
            der_buf b = build(cfg, &all_series[s], *size);
            bench_facts ours, theirs;
            facts_clear(&ours);
            facts_clear(&theirs);
            char what[128];
            snprintf(what, sizeof what, "%s %zu", all_series[s].label, *size);
            if (!scepdec_facts(all_series[s].kind, b.data, b.len, &ours) ||
                !capped_openssl_facts(&all_series[s], &b, &theirs) || !facts_same(what, &ours, &theirs))
                ok = false;
            der_free(&b);
        }
    }
    return ok;
}

void scaling_table(const bench_config *cfg)
{
    bench_heading("Scaling: time per KB from 1 KB to 1 MB (crafted messages)",
                  "| message | content octets or certificates | size | scepdec | scepdec per KB | "
                  "OpenSSL | OpenSSL per KB | OpenSSL / scepdec |");
    for (size_t s = 0; s < SERIES_COUNT; s++) {
        for (const size_t *size = all_series[s].sizes; *size && in_run(cfg, &all_series[s], size);
             size++) {
            der_buf message = build(cfg, &all_series[s], *size);
            facts_job job = {all_series[s].kind, message.data, message.len};
            double ours = bench_time(cfg, run_scepdec_facts, &job);
            double theirs = bench_time(cfg, run_openssl_facts, &job);
            double kb = (double)message.len / 1024.0;
            char t1[32], t2[32], t3[32], t4[32];
            printf("| %s | %zu | %.1f KB | %s | %s | %s | %s | %.0f× |\n", all_series[s].label,
                   *size, kb, bench_format_time(ours, t1, sizeof t1),
                   bench_format_time(ours / kb, t2, sizeof t2),
                   bench_format_time(theirs, t3, sizeof t3),
                   bench_format_time(theirs / kb, t4, sizeof t4), theirs / ours);
            fflush(stdout);
            der_free(&message);
        }
    }
}
