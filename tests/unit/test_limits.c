/* test_limits: libscepdec under attack. Inputs built to hit every documented limit — nesting
 * depth, certificates, CRLs, recipients, attributes, chunks of a constructed string, error
 * list, capabilities — and 1 MB and 10 MB adversarial inputs. Each case asserts the error the
 * library must report, that results stay within their capacities, and that decoding finishes.
 *
 * Linear time is checked by counting, not timing: each large case is decoded at 1 MB and at
 * 10 MB and the times are printed for a human to compare (ratio ~10 is linear); nothing asserts
 * on a time, since CI machines and sanitizer builds vary too much. docs/limits.md lists the
 * limits and what happens at each. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "check.h"
#include "scepdec.h"

/* ---- a small DER writer ---- */

typedef struct {
    uint8_t *p;
    size_t len, cap;
} buf;

static void put(buf *b, const void *data, size_t n)
{
    if (n == 0)
        return; /* an empty buf has no data pointer: memcpy must not see it */
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p)
            exit(2);
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void put_byte(buf *b, uint8_t v) { put(b, &v, 1); }

/* put_header writes a tag and a definite DER length. */
static void put_header(buf *b, uint8_t tag, size_t len)
{
    put_byte(b, tag);
    if (len < 0x80) {
        put_byte(b, (uint8_t)len);
        return;
    }
    uint8_t digits[8];
    size_t n = 0;
    for (size_t v = len; v; v >>= 8)
        digits[n++] = (uint8_t)v;
    put_byte(b, (uint8_t)(0x80 | n));
    while (n > 0)
        put_byte(b, digits[--n]);
}

static void put_tlv(buf *b, uint8_t tag, const buf *contents)
{
    put_header(b, tag, contents->len);
    put(b, contents->p, contents->len);
}

static void put_bytes_tlv(buf *b, uint8_t tag, const void *data, size_t n)
{
    put_header(b, tag, n);
    put(b, data, n);
}

static void reset(buf *b) { b->len = 0; }

static void release(buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

static const uint8_t OID_SIGNED_DATA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02};
static const uint8_t OID_ENVELOPED_DATA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03};
static const uint8_t OID_DATA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
static const uint8_t OID_SHA256[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
static const uint8_t OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t OID_DES3[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07};
static const uint8_t OID_TRANSACTION_ID[] = {0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x45, 0x01, 0x09, 0x07};
static const uint8_t OID_CN[] = {0x55, 0x04, 0x03};

/* put_algorithm writes AlgorithmIdentifier { oid } . */
static void put_algorithm(buf *b, const uint8_t *oid, size_t n)
{
    buf alg = {0};
    put_bytes_tlv(&alg, 0x06, oid, n);
    put_tlv(b, 0x30, &alg);
    release(&alg);
}

/* signed_data writes ContentInfo { signedData, [0] SignedData } with the given DER pieces:
 * |econtent| the whole eContent element inside [0] (none when NULL), |certs| the contents of
 * [0] certificates (none when NULL), |crls| the contents of [1] crls (none when NULL), and
 * |signers| the contents of the signerInfos SET. */
static void signed_data(buf *out, const buf *econtent, const buf *certs, const buf *crls,
                        const buf *signers)
{
    buf sd = {0}, tmp = {0}, encap = {0}, ci = {0}, wrapped = {0};
    put_bytes_tlv(&sd, 0x02, "\x01", 1);
    put_algorithm(&tmp, OID_SHA256, sizeof OID_SHA256);
    put_tlv(&sd, 0x31, &tmp);
    put_bytes_tlv(&encap, 0x06, OID_DATA, sizeof OID_DATA);
    if (econtent)
        put_tlv(&encap, 0xa0, econtent);
    put_tlv(&sd, 0x30, &encap);
    if (certs)
        put_tlv(&sd, 0xa0, certs);
    if (crls)
        put_tlv(&sd, 0xa1, crls);
    reset(&tmp);
    if (signers)
        put(&tmp, signers->p, signers->len);
    put_tlv(&sd, 0x31, &tmp);
    put_bytes_tlv(&ci, 0x06, OID_SIGNED_DATA, sizeof OID_SIGNED_DATA);
    put_tlv(&wrapped, 0x30, &sd);
    put_tlv(&ci, 0xa0, &wrapped);
    put_tlv(out, 0x30, &ci);
    release(&sd);
    release(&tmp);
    release(&encap);
    release(&ci);
    release(&wrapped);
}

/* put_name writes Name { RDN { CN=|cn| } }. */
static void put_name(buf *b, const char *cn)
{
    buf atv = {0}, rdn = {0}, name = {0};
    put_bytes_tlv(&atv, 0x06, OID_CN, sizeof OID_CN);
    put_bytes_tlv(&atv, 0x13, cn, strlen(cn));
    put_tlv(&rdn, 0x30, &atv);
    put_tlv(&name, 0x31, &rdn);
    put_tlv(b, 0x30, &name);
    release(&atv);
    release(&rdn);
    release(&name);
}

/* signer_info writes one SignerInfo with |attrs| as the contents of [0] signedAttrs. */
static void signer_info(buf *out, const buf *attrs)
{
    buf si = {0}, ias = {0};
    put_bytes_tlv(&si, 0x02, "\x01", 1);
    put_name(&ias, "Signer");
    put_bytes_tlv(&ias, 0x02, "\x01", 1);
    put_tlv(&si, 0x30, &ias);
    put_algorithm(&si, OID_SHA256, sizeof OID_SHA256);
    if (attrs)
        put_tlv(&si, 0xa0, attrs);
    put_algorithm(&si, OID_RSA, sizeof OID_RSA);
    put_bytes_tlv(&si, 0x04, "sig", 3);
    put_tlv(out, 0x30, &si);
    release(&si);
    release(&ias);
}

/* put_attribute writes Attribute { transactionID, SET { PrintableString |value| } }. */
static void put_attribute(buf *b, const char *value)
{
    buf attr = {0}, values = {0};
    put_bytes_tlv(&attr, 0x06, OID_TRANSACTION_ID, sizeof OID_TRANSACTION_ID);
    put_bytes_tlv(&values, 0x13, value, strlen(value));
    put_tlv(&attr, 0x31, &values);
    put_tlv(b, 0x30, &attr);
    release(&attr);
    release(&values);
}

/* enveloped_data writes ContentInfo { envelopedData, [0] EnvelopedData } with |recipients|
 * copies of a KeyTransRecipientInfo and |encrypted| as the whole encryptedContent element. */
static void enveloped_data(buf *out, size_t recipients, const buf *encrypted)
{
    buf ed = {0}, ri = {0}, ris = {0}, ias = {0}, eci = {0}, alg = {0}, ci = {0}, wrapped = {0};
    put_bytes_tlv(&ed, 0x02, "\x00", 1);
    put_bytes_tlv(&ri, 0x02, "\x00", 1);
    put_name(&ias, "Recipient");
    put_bytes_tlv(&ias, 0x02, "\x02", 1);
    put_tlv(&ri, 0x30, &ias);
    put_algorithm(&ri, OID_RSA, sizeof OID_RSA);
    put_bytes_tlv(&ri, 0x04, "key", 3);
    for (size_t i = 0; i < recipients; i++)
        put_tlv(&ris, 0x30, &ri);
    put_tlv(&ed, 0x31, &ris);
    put_bytes_tlv(&eci, 0x06, OID_DATA, sizeof OID_DATA);
    put_bytes_tlv(&alg, 0x06, OID_DES3, sizeof OID_DES3);
    put_bytes_tlv(&alg, 0x04, "12345678", 8);
    put_tlv(&eci, 0x30, &alg);
    if (encrypted)
        put(&eci, encrypted->p, encrypted->len);
    put_tlv(&ed, 0x30, &eci);
    put_bytes_tlv(&ci, 0x06, OID_ENVELOPED_DATA, sizeof OID_ENVELOPED_DATA);
    put_tlv(&wrapped, 0x30, &ed);
    put_tlv(&ci, 0xa0, &wrapped);
    put_tlv(out, 0x30, &ci);
    release(&ed);
    release(&ri);
    release(&ris);
    release(&ias);
    release(&eci);
    release(&alg);
    release(&ci);
    release(&wrapped);
}

/* ---- helpers ---- */

static bool has_error(const scep_errors *e, scep_error_code code)
{
    for (size_t i = 0; i < e->count && i < SCEP_MAX_ERRORS; i++)
        if (e->items[i].code == code)
            return true;
    return false;
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static scep_pki_message msg;
static scep_cert_bundle bundle;

/* decode_pki decodes |b| with a content buffer that always suffices. */
static scep_status decode_pki(const buf *b)
{
    uint8_t *content = malloc(b->len ? b->len : 1);
    scep_status st = scep_decode_pki_message(b->p, b->len, content, b->len, &msg);
    /* The spans may point into |content|: the checks below only look at counts and codes. */
    free(content);
    return st;
}

static scep_status decode_bundle(const buf *b)
{
    uint8_t *content = malloc(b->len ? b->len : 1);
    scep_status st = scep_decode_cert_bundle(b->p, b->len, content, b->len, &bundle);
    free(content);
    return st;
}

/* ---- nesting ---- */

static void test_nested_indefinite(void)
{
    /* SCEP_MAX_DEPTH + 10 nested indefinite SEQUENCEs, each closed. */
    buf b = {0};
    for (int i = 0; i < SCEP_MAX_DEPTH + 10; i++)
        put(&b, "\x30\x80", 2);
    for (int i = 0; i < SCEP_MAX_DEPTH + 10; i++)
        put(&b, "\x00\x00", 2);
    CHECK_INT(decode_pki(&b), SCEP_DECODE_NONE);
    CHECK(has_error(&msg.errors, SCEP_ERR_TOO_DEEP));
    CHECK_INT(decode_bundle(&b), SCEP_DECODE_NONE);
    static scep_pki_envelope env;
    CHECK_INT(scep_decode_pki_envelope(b.p, b.len, &env), SCEP_DECODE_NONE);
    CHECK(has_error(&env.errors, SCEP_ERR_TOO_DEEP));
    char text[64];
    CHECK(scep_name_format(b.p, b.len, text, sizeof text) == SCEP_FORMAT_INVALID);

    /* The same nest in the middle of a real structure: as the eContent of a SignedData. */
    buf econtent = {0}, signers = {0}, whole = {0};
    put(&econtent, b.p, b.len);
    signer_info(&signers, NULL);
    signed_data(&whole, &econtent, NULL, NULL, &signers);
    CHECK_INT(decode_pki(&whole), SCEP_DECODE_PARTIAL);
    CHECK(has_error(&msg.errors, SCEP_ERR_TOO_DEEP));
    CHECK(msg.errors.count <= SCEP_MAX_ERRORS);

    /* Exactly at the limit is fine for the cursor: nesting of depth SCEP_MAX_DEPTH - 1 (the
     * outermost element is level 0) scans without error. */
    reset(&b);
    for (int i = 0; i < SCEP_MAX_DEPTH - 1; i++)
        put(&b, "\x30\x80", 2);
    for (int i = 0; i < SCEP_MAX_DEPTH - 1; i++)
        put(&b, "\x00\x00", 2);
    decode_pki(&b);
    CHECK(!has_error(&msg.errors, SCEP_ERR_TOO_DEEP));
    CHECK(has_error(&msg.errors, SCEP_ERR_UNEXPECTED_TAG));
    release(&b);
    release(&econtent);
    release(&signers);
    release(&whole);
}

/* nest_definite writes |depth| definite-length elements of tag |tag|, each holding the next,
 * around |inner|: built from the inside out, lengths computed first. */
static void nest_definite(buf *out, uint8_t tag, size_t depth, const buf *inner)
{
    size_t *lengths = malloc((depth + 1) * sizeof *lengths);
    lengths[depth] = inner->len;
    for (size_t i = depth; i > 0; i--) {
        size_t n = lengths[i], header = 2;
        if (n >= 0x80)
            for (size_t v = n; v; v >>= 8)
                header++;
        lengths[i - 1] = n + header;
    }
    for (size_t i = 0; i < depth; i++)
        put_header(out, tag, lengths[i + 1]);
    put(out, inner->p, inner->len);
    free(lengths);
}

static void test_nested_definite(void)
{
    /* 100000 nested definite SEQUENCEs: no decoder recurses, each stops at the first element
     * that is not what the structure requires. */
    buf b = {0}, empty = {0};
    nest_definite(&b, 0x30, 100000, &empty);
    CHECK_INT(decode_pki(&b), SCEP_DECODE_NONE);
    CHECK(has_error(&msg.errors, SCEP_ERR_UNEXPECTED_TAG));
    CHECK(decode_bundle(&b) != SCEP_DECODE_OK);
    CHECK(bundle.errors.count > 0);
    static scep_pki_envelope env;
    CHECK(scep_decode_pki_envelope(b.p, b.len, &env) != SCEP_DECODE_OK);
    char text[64];
    CHECK(scep_name_format(b.p, b.len, text, sizeof text) == SCEP_FORMAT_INVALID);

    /* 100000 nested definite constructed OCTET STRINGs as eContent: joining the chunks walks
     * an explicit stack of SCEP_MAX_DEPTH cursors, and stops there. */
    buf chunk = {0}, econtent = {0}, signers = {0}, whole = {0};
    put_bytes_tlv(&chunk, 0x04, "x", 1);
    nest_definite(&econtent, 0x24, 100000, &chunk);
    signer_info(&signers, NULL);
    signed_data(&whole, &econtent, NULL, NULL, &signers);
    CHECK_INT(decode_pki(&whole), SCEP_DECODE_PARTIAL);
    CHECK(has_error(&msg.errors, SCEP_ERR_TOO_DEEP));
    CHECK(!msg.has_envelope);
    release(&b);
    release(&chunk);
    release(&econtent);
    release(&signers);
    release(&whole);
}

/* ---- element counts ---- */

static void test_many_certificates(void)
{
    size_t len;
    unsigned char *cert = read_file("vectors/certs/ca-rsa2048.der", &len);
    buf certs = {0}, signers = {0}, whole = {0};
    for (int i = 0; i < 10000; i++)
        put(&certs, cert, len);
    signer_info(&signers, NULL);
    signed_data(&whole, NULL, &certs, NULL, &signers);
    CHECK_INT(decode_pki(&whole), SCEP_DECODE_PARTIAL);
    CHECK_INT(msg.signed_data.certificate_count, SCEP_MAX_CERTIFICATES);
    CHECK(has_error(&msg.errors, SCEP_ERR_CAPACITY));
    /* The signer after the certificates is still found. */
    CHECK_INT(msg.signed_data.signer_count, 1);

    /* As a certs-only bundle (GetCACert's RA response). */
    reset(&whole);
    signed_data(&whole, NULL, &certs, NULL, NULL);
    CHECK_INT(decode_bundle(&whole), SCEP_DECODE_PARTIAL);
    CHECK_INT(bundle.kind, SCEP_BUNDLE_CERTS_ONLY);
    CHECK_INT(bundle.certificate_count, SCEP_MAX_CERTIFICATES);
    CHECK(has_error(&bundle.errors, SCEP_ERR_CAPACITY));
    char *json = malloc(1 << 20);
    size_t need = scep_json_cert_bundle(&bundle, SCEP_OP_GET_CA_CERT, json, 1 << 20);
    CHECK(need < (1 << 20));
    free(json);

    /* CRLs: SCEP_MAX_CRLS kept. */
    buf crls = {0};
    for (int i = 0; i < 10000; i++)
        put(&crls, "\x30\x00", 2);
    reset(&whole);
    signed_data(&whole, NULL, NULL, &crls, NULL);
    CHECK_INT(decode_bundle(&whole), SCEP_DECODE_PARTIAL);
    CHECK_INT(bundle.crl_count, SCEP_MAX_CRLS);
    CHECK(has_error(&bundle.errors, SCEP_ERR_CAPACITY));
    free(cert);
    release(&certs);
    release(&crls);
    release(&signers);
    release(&whole);
}

static void test_many_chunks(void)
{
    /* A constructed OCTET STRING of SCEP_MAX_CHUNKS + 1000 one-byte chunks as eContent. */
    buf econtent = {0}, chunks = {0}, signers = {0}, whole = {0};
    for (int i = 0; i < SCEP_MAX_CHUNKS + 1000; i++)
        put_bytes_tlv(&chunks, 0x04, "x", 1);
    put_tlv(&econtent, 0x24, &chunks);
    signer_info(&signers, NULL);
    signed_data(&whole, &econtent, NULL, NULL, &signers);
    CHECK_INT(decode_pki(&whole), SCEP_DECODE_PARTIAL);
    CHECK(has_error(&msg.errors, SCEP_ERR_CAPACITY));
    /* What was joined stays: the chunks up to the limit, one byte each. */
    CHECK_INT(msg.signed_data.encap_content_chunks, SCEP_MAX_CHUNKS);
    CHECK_INT(msg.signed_data.encap_content.length, SCEP_MAX_CHUNKS);

    /* Exactly SCEP_MAX_CHUNKS chunks join. */
    reset(&chunks);
    reset(&econtent);
    reset(&whole);
    for (int i = 0; i < SCEP_MAX_CHUNKS; i++)
        put_bytes_tlv(&chunks, 0x04, "x", 1);
    put_tlv(&econtent, 0x24, &chunks);
    signed_data(&whole, &econtent, NULL, NULL, &signers);
    decode_pki(&whole);
    CHECK(!has_error(&msg.errors, SCEP_ERR_CAPACITY));
    CHECK_INT(msg.signed_data.encap_content_chunks, SCEP_MAX_CHUNKS);

    /* The envelope's encryptedContent, chunked past the limit: counted, not copied. */
    buf encrypted = {0};
    reset(&chunks);
    for (int i = 0; i < SCEP_MAX_CHUNKS + 1000; i++)
        put_bytes_tlv(&chunks, 0x04, "x", 1);
    put_tlv(&encrypted, 0xa0, &chunks);
    buf env = {0};
    enveloped_data(&env, 1, &encrypted);
    static scep_pki_envelope alone;
    CHECK_INT(scep_decode_pki_envelope(env.p, env.len, &alone), SCEP_DECODE_PARTIAL);
    CHECK(has_error(&alone.errors, SCEP_ERR_CAPACITY));
    CHECK(alone.envelope.encrypted_length <= SCEP_MAX_CHUNKS);
    release(&econtent);
    release(&chunks);
    release(&signers);
    release(&whole);
    release(&encrypted);
    release(&env);
}

static void test_many_recipients(void)
{
    buf env = {0};
    enveloped_data(&env, 10000, NULL);
    static scep_pki_envelope alone;
    CHECK_INT(scep_decode_pki_envelope(env.p, env.len, &alone), SCEP_DECODE_PARTIAL);
    CHECK_INT(alone.envelope.recipient_count, SCEP_MAX_RECIPIENTS);
    CHECK(has_error(&alone.errors, SCEP_ERR_CAPACITY));
    CHECK(!alone.truncated);
    /* The cipher after the recipients is still found. */
    CHECK(scep_span_present(alone.envelope.content_encryption_algorithm.oid));
    CHECK_INT(alone.envelope.iv.length, 8);
    release(&env);
}

static void test_many_attributes(void)
{
    buf attrs = {0}, signers = {0}, whole = {0};
    for (int i = 0; i < 10000; i++)
        put_attribute(&attrs, "t");
    signer_info(&signers, &attrs);
    signed_data(&whole, NULL, NULL, NULL, &signers);
    CHECK_INT(decode_pki(&whole), SCEP_DECODE_PARTIAL);
    CHECK_INT(msg.signed_data.signer.attribute_count, SCEP_MAX_ATTRIBUTES);
    CHECK(has_error(&msg.errors, SCEP_ERR_CAPACITY));
    CHECK_INT(msg.errors.count, SCEP_MAX_ERRORS);
    CHECK(msg.errors.dropped > 0);
    CHECK_SPAN_STR(msg.signed_data.signer.transaction_id, "t");
    /* Many signers: one decoded, all counted. */
    reset(&signers);
    reset(&whole);
    for (int i = 0; i < 10000; i++)
        signer_info(&signers, NULL);
    signed_data(&whole, NULL, NULL, NULL, &signers);
    decode_pki(&whole);
    CHECK_INT(msg.signed_data.signer_count, 10000);
    release(&attrs);
    release(&signers);
    release(&whole);
}

static void test_many_capabilities(void)
{
    buf text = {0};
    for (int i = 0; i < 10000; i++)
        put(&text, "AES\r\n", 5);
    scep_caps caps;
    CHECK_INT(scep_decode_caps((const char *)text.p, text.len, &caps), SCEP_DECODE_PARTIAL);
    CHECK_INT(caps.count, SCEP_MAX_CAPABILITIES);
    CHECK_INT(caps.errors.count, 1); /* recorded once, not once per extra line */
    CHECK_INT(caps.errors.items[0].code, SCEP_ERR_CAPACITY);
    release(&text);
}

/* ---- large adversarial inputs, 1 MB and 10 MB ---- */

typedef void (*make_fn)(buf *b, size_t size);
typedef void (*decode_fn)(const buf *b);

/* scale decodes the input |make| builds at 1 MB and at 10 MB and prints both times. */
static void scale(const char *what, make_fn make, decode_fn decode)
{
    double t[2];
    size_t sizes[2] = {1u << 20, 10u << 20};
    for (int i = 0; i < 2; i++) {
        buf b = {0};
        make(&b, sizes[i]);
        double start = seconds_now();
        decode(&b);
        t[i] = seconds_now() - start;
        release(&b);
    }
    printf("  %-44s 1 MB %8.4f s   10 MB %8.4f s   ratio %5.1f\n", what, t[0], t[1],
           t[0] > 0 ? t[1] / t[0] : 0.0);
}

/* Repeated blocks of SCEP_MAX_DEPTH - 2 nested indefinite SEQUENCEs as certificates. */
static void make_indefinite_blocks(buf *b, size_t size)
{
    buf certs = {0}, signers = {0};
    while (certs.len < size) {
        for (int i = 0; i < SCEP_MAX_DEPTH - 2; i++)
            put(&certs, "\x30\x80", 2);
        for (int i = 0; i < SCEP_MAX_DEPTH - 2; i++)
            put(&certs, "\x00\x00", 2);
    }
    signer_info(&signers, NULL);
    signed_data(b, NULL, &certs, NULL, &signers);
    release(&certs);
    release(&signers);
}

/* One indefinite ContentInfo whose end-of-contents never comes, filled with indefinite
 * SEQUENCEs nested as deep as allowed, open and closed over and over: each scan of an element
 * is linear, and no element is scanned more than SCEP_MAX_DEPTH times. */
static void make_open_indefinite(buf *b, size_t size)
{
    put(b, "\x30\x80\x06\x09", 4);
    put(b, OID_SIGNED_DATA, sizeof OID_SIGNED_DATA);
    put(b, "\xa0\x80\x30\x80\x02\x01\x01\x31\x00\x30\x80", 11);
    while (b->len < size) {
        for (int i = 0; i < SCEP_MAX_DEPTH - 6; i++)
            put(b, "\x30\x80", 2);
        for (int i = 0; i < SCEP_MAX_DEPTH - 6; i++)
            put(b, "\x00\x00", 2);
    }
}

static void decode_as_everything(const buf *b)
{
    decode_pki(b);
    CHECK(msg.errors.count <= SCEP_MAX_ERRORS);
    decode_bundle(b);
    CHECK(bundle.certificate_count <= SCEP_MAX_CERTIFICATES);
    static scep_pki_envelope env;
    scep_decode_pki_envelope(b->p, b->len, &env);
    char text[1024];
    scep_name_format(b->p, b->len, text, sizeof text);
}

static void decode_pki_checked(const buf *b)
{
    CHECK(decode_pki(b) != SCEP_DECODE_OK);
    CHECK(msg.errors.count <= SCEP_MAX_ERRORS);
    CHECK(msg.signed_data.certificate_count <= SCEP_MAX_CERTIFICATES);
}

/* A base64 URL: PKIOperation with a message of |size| characters (random bytes, so the
 * pkiMessage inside is garbage: the query decoder must still decode every character). */
static void make_base64_url(buf *b, size_t size)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%2B%2F";
    uint32_t x = 12345;
    put(b, "/scep?operation=PKIOperation&message=MIAG", 41);
    while (b->len < size) {
        x = x * 1103515245u + 12345u;
        size_t k = (x >> 16) % 64;
        put(b, k < 62 ? &alphabet[k] : &alphabet[62 + (k - 62) * 3], k < 62 ? 1 : 3);
        if (b->len % 76 == 0)
            put(b, "%0A", 3);
    }
}

static void decode_query_checked(const buf *b)
{
    uint8_t *out = malloc(b->len);
    scep_query q;
    scep_status st = scep_decode_query((const char *)b->p, b->len, out, b->len, &q);
    CHECK(st != SCEP_DECODE_NONE);
    CHECK_INT(q.operation, SCEP_OP_PKI_OPERATION);
    CHECK(q.message_len > b->len / 2);
    CHECK(!has_error(&q.errors, SCEP_ERR_CAPACITY));
    scep_pki_message *m = malloc(sizeof *m);
    uint8_t *content = malloc(q.message_len);
    scep_decode_pki_message(out, q.message_len, content, q.message_len, m);
    CHECK(m->errors.count <= SCEP_MAX_ERRORS);
    free(content);
    free(m);
    free(out);
}

/* A query of nothing but parameters: "a=b&" over and over, the operation last. */
static void make_many_parameters(buf *b, size_t size)
{
    while (b->len < size)
        put(b, "a=b&message=&", 13);
    put(b, "operation=GetCACert", 19);
}

static void decode_parameters_checked(const buf *b)
{
    uint8_t *out = malloc(b->len);
    scep_query q;
    CHECK_INT(scep_decode_query((const char *)b->p, b->len, out, b->len, &q), SCEP_DECODE_OK);
    CHECK_INT(q.operation, SCEP_OP_GET_CA_CERT);
    free(out);
}

/* A GetCACaps body of |size| bytes: lines, blank lines and padding. */
static void make_caps(buf *b, size_t size)
{
    while (b->len < size)
        put(b, "  sha-256 \r\n\r\n\n", 15);
}

static void decode_caps_checked(const buf *b)
{
    scep_caps caps;
    CHECK_INT(scep_decode_caps((const char *)b->p, b->len, &caps), SCEP_DECODE_PARTIAL);
    CHECK_INT(caps.count, SCEP_MAX_CAPABILITIES);
    CHECK_INT(caps.errors.count, 1);
}

/* Base64 text with a line break every 64 characters. */
static void make_base64_text(buf *b, size_t size)
{
    while (b->len < size)
        put(b, "MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0B\r\n", 66);
}

static void decode_base64_checked(const buf *b)
{
    size_t cap = b->len * 3 / 4 + 3, n;
    uint8_t *out = malloc(cap);
    unsigned forms = 0;
    CHECK_INT(scep_base64_decode((const char *)b->p, b->len, out, cap, &n, &forms, NULL), SCEP_DECODE_OK);
    CHECK_INT(n, b->len / 66 * 48);
    CHECK(forms & SCEP_B64_LINE_BREAKS);
    free(out);
}

/* A Name of |size| bytes: single-valued RDNs, CN=x each. */
static void make_long_name(buf *b, size_t size)
{
    buf rdns = {0}, atv = {0}, rdn = {0};
    put_bytes_tlv(&atv, 0x06, OID_CN, sizeof OID_CN);
    put_bytes_tlv(&atv, 0x13, "x", 1);
    put_tlv(&rdn, 0x30, &atv);
    while (rdns.len < size)
        put_tlv(&rdns, 0x31, &rdn);
    put_tlv(b, 0x30, &rdns);
    release(&rdns);
    release(&atv);
    release(&rdn);
}

/* One RDN of |size| bytes: a multi-valued RDN, CN=x over and over. */
static void make_wide_rdn(buf *b, size_t size)
{
    buf atvs = {0}, atv = {0}, rdn = {0};
    put_bytes_tlv(&atv, 0x06, OID_CN, sizeof OID_CN);
    put_bytes_tlv(&atv, 0x13, "x", 1);
    while (atvs.len < size)
        put_tlv(&atvs, 0x30, &atv);
    put_tlv(&rdn, 0x31, &atvs);
    put_tlv(b, 0x30, &rdn);
    release(&atvs);
    release(&atv);
    release(&rdn);
}

static void format_name_checked(const buf *b)
{
    char text[1024];
    size_t n = scep_name_format(b->p, b->len, text, sizeof text), stored = strlen(text);
    CHECK(n >= sizeof text && n != SCEP_FORMAT_INVALID); /* the whole text is longer */
    CHECK(stored >= 3 && stored < sizeof text && memcmp(text + stored - 3, "...", 3) == 0);
}

/* A certificate whose subject is a Name of |size| bytes, 16 times in a certs-only bundle (the
 * JSON renderer formats every issuer and subject). */
static void make_bundle_long_names(buf *b, size_t size)
{
    buf name = {0}, certs = {0};
    make_long_name(&name, size / 16);
    for (int i = 0; i < 16; i++) {
        buf tbs = {0}, cert = {0}, validity = {0}, spki = {0};
        put_bytes_tlv(&tbs, 0x02, "\x01", 1);
        put_algorithm(&tbs, OID_RSA, sizeof OID_RSA);
        put(&tbs, name.p, name.len);
        put_bytes_tlv(&validity, 0x17, "240101000000Z", 13);
        put_bytes_tlv(&validity, 0x17, "250101000000Z", 13);
        put_tlv(&tbs, 0x30, &validity);
        put(&tbs, name.p, name.len);
        put_algorithm(&spki, OID_RSA, sizeof OID_RSA);
        put_bytes_tlv(&spki, 0x03, "\x00", 1);
        put_tlv(&tbs, 0x30, &spki);
        put_tlv(&cert, 0x30, &tbs);
        put_algorithm(&cert, OID_RSA, sizeof OID_RSA);
        put_bytes_tlv(&cert, 0x03, "\x00", 1);
        put_tlv(&certs, 0x30, &cert);
        release(&tbs);
        release(&cert);
        release(&validity);
        release(&spki);
    }
    signed_data(b, NULL, &certs, NULL, NULL);
    release(&name);
    release(&certs);
}

static void render_bundle_checked(const buf *b)
{
    CHECK(decode_bundle(b) != SCEP_DECODE_NONE);
    CHECK_INT(bundle.certificate_count, 16);
    size_t need = scep_json_cert_bundle(&bundle, SCEP_OP_GET_CA_CERT, NULL, 0);
    char *json = malloc(need + 1);
    CHECK_INT(scep_json_cert_bundle(&bundle, SCEP_OP_GET_CA_CERT, json, need + 1), need);
    CHECK(strstr(json, "\"subject\":\"CN=x,CN=x") != NULL);
    free(json);
}

static void test_large_inputs(void)
{
    printf("decode times at 1 MB and 10 MB (printed, not asserted; linear is a ratio near 10):\n");
    scale("pkiMessage, certificates of nested indefinite", make_indefinite_blocks, decode_pki_checked);
    scale("unterminated indefinite ContentInfo, all decoders", make_open_indefinite, decode_as_everything);
    scale("PKIOperation URL, escaped base64", make_base64_url, decode_query_checked);
    scale("query of a million parameters", make_many_parameters, decode_parameters_checked);
    scale("GetCACaps body", make_caps, decode_caps_checked);
    scale("base64 text with CRLF", make_base64_text, decode_base64_checked);
    scale("Name of many RDNs, 1 KB text", make_long_name, format_name_checked);
    scale("Name of one wide RDN, 1 KB text", make_wide_rdn, format_name_checked);
    scale("bundle of 16 certificates with long Names, JSON", make_bundle_long_names, render_bundle_checked);
}

int main(void)
{
    test_nested_indefinite();
    test_nested_definite();
    test_many_certificates();
    test_many_chunks();
    test_many_recipients();
    test_many_attributes();
    test_many_capabilities();
    test_large_inputs();
    return check_report("test_limits");
}
