/* signed_data.c — SignedData: digest algorithms, encapsulated content, certificates, and the
 * signer with SCEP's authenticated attributes. */
#include <stddef.h>
#include <string.h>

#include "cert.h"
#include "cms.h"
#include "oids.h"

bool cms_decode_algorithm(decode_ctx *ctx, ber_cursor *c, scep_algorithm *alg, const char *what)
{
    ber_elem e;
    if (!decode_take(ctx, c, BER_SEQUENCE, &e, what))
        return false;
    return cert_decode_algorithm(ctx, &e, alg);
}

cms_content cms_open_content(decode_ctx *ctx, ber_cursor *ci, const uint8_t *want,
                             size_t want_len, const cms_content_names *names, scep_span *type,
                             ber_elem *body)
{
    ber_elem oid, wrapper;
    if (!decode_take(ctx, ci, BER_OID, &oid, names->content_type))
        return CMS_CONTENT_OTHER;
    *type = ber_span(&oid, false);
    if (!oid_equal(type->data, type->length, want, want_len)) {
        decode_error(ctx, SCEP_ERR_UNSUPPORTED, ci, oid.offset, names->wrong_type);
        return CMS_CONTENT_OTHER;
    }
    if (!decode_take(ctx, ci, BER_CONTEXT_CONS(0), &wrapper, names->content))
        return CMS_CONTENT_CUT;
    ber_cursor w = wrapper.contents;
    if (!decode_take(ctx, &w, BER_SEQUENCE, body, names->body))
        return CMS_CONTENT_CUT;
    return CMS_CONTENT_OK;
}

bool cms_decode_version(decode_ctx *ctx, ber_cursor *c, int *version, const char *what)
{
    ber_elem e;
    long value;
    if (!decode_take(ctx, c, BER_INTEGER, &e, what))
        return false;
    if (ber_read_small_int(&e, &value))
        *version = (int)value;
    return true;
}

bool cms_take_identifier(decode_ctx *ctx, ber_cursor *c, scep_identifier *out, const char *what)
{
    ber_elem e;
    if (!decode_take(ctx, c, 0, &e, what))
        return false;
    if (e.tag == BER_SEQUENCE)
        cert_decode_issuer_serial(ctx, &e, out);
    else if (e.tag == BER_CONTEXT(0)) {
        out->kind = SCEP_ID_SKI;
        out->ski = ber_span(&e, false);
    } else
        scep_errors_add(ctx->errors, SCEP_ERR_UNEXPECTED_TAG, e.contents.source, e.offset,
                        "identifier is neither IssuerAndSerialNumber nor SubjectKeyIdentifier");
    return true;
}

/* decode_encap_content reads encapContentInfo: the content type, and the eContent octets as a
 * span into the input (primitive) or joined into |buf| (constructed, as iOS sends it). */
static void decode_encap_content(decode_ctx *ctx, const ber_elem *encap, scep_signed_data *sd,
                                 uint8_t *buf, size_t cap, bool *content_complete)
{
    ber_cursor c = encap->contents;
    ber_elem type, wrapper, octets;
    *content_complete = false;
    if (!decode_take(ctx, &c, BER_OID, &type, "encapContentInfo eContentType"))
        return;
    sd->encap_content_type = ber_span(&type, false);
    if (ber_empty(&c)) {
        *content_complete = true; /* detached or absent content: FAILURE, PENDING, certs-only */
        return;
    }
    if (!decode_take(ctx, &c, BER_CONTEXT_CONS(0), &wrapper, "encapContentInfo eContent"))
        return;
    ber_cursor w = wrapper.contents;
    if (!decode_take(ctx, &w, 0, &octets, "eContent OCTET STRING"))
        return;
    if (octets.tag == BER_OCTET_STRING) {
        sd->encap_content = ber_span(&octets, false);
        *content_complete = !octets.truncated;
    } else if (octets.tag == BER_OCTET_STRING_CONS) {
        size_t joined = 0, chunks = 0;
        ber_fault fault;
        bool ok = ber_join_octets(&octets, buf, cap, &joined, &chunks, &fault);
        if (!ok)
            ber_record(ctx->errors, &w, &fault, "joining the chunks of eContent");
        sd->encap_content.data = buf;
        sd->encap_content.offset = 0;
        sd->encap_content.length = joined;
        sd->encap_content.source = SCEP_SRC_CONTENT;
        sd->encap_content_chunks = chunks;
        *content_complete = ok && !octets.truncated;
    } else {
        /* PKCS#7 v1.5 lets content be ANY: some encoders put the structure itself here. */
        sd->encap_content = ber_span(&octets, true);
        *content_complete = !octets.truncated;
    }
}

static void decode_certificates(decode_ctx *ctx, const ber_elem *set, scep_signed_data *sd)
{
    ber_cursor c = set->contents;
    ber_elem e;
    while (!ber_empty(&c) && decode_take(ctx, &c, 0, &e, "certificates")) {
        if (e.tag != BER_SEQUENCE)
            continue; /* extended or attribute certificates: not SCEP's business */
        if (sd->certificate_count == SCEP_MAX_CERTIFICATES) {
            decode_error(ctx, SCEP_ERR_CAPACITY, &c, e.offset, "more certificates than SCEP_MAX_CERTIFICATES");
            return;
        }
        cert_decode(ctx, &e, &sd->certificates[sd->certificate_count++]);
    }
}

static void decode_crls(decode_ctx *ctx, const ber_elem *set, scep_signed_data *sd)
{
    ber_cursor c = set->contents;
    ber_elem e;
    while (!ber_empty(&c) && decode_take(ctx, &c, 0, &e, "crls")) {
        if (sd->crl_count == SCEP_MAX_CRLS) {
            decode_error(ctx, SCEP_ERR_CAPACITY, &c, e.offset, "more CRLs than SCEP_MAX_CRLS");
            return;
        }
        sd->crls[sd->crl_count++] = ber_span(&e, true);
    }
}

/* parse_number reads a decimal PrintableString ("19") as SCEP's numeric attributes are sent. */
static void parse_number(scep_number_attr *attr, scep_span text)
{
    attr->present = true;
    attr->text = text;
    attr->numeric = text.length > 0 && text.length <= 9;
    long value = 0;
    for (size_t i = 0; attr->numeric && i < text.length; i++) {
        if (text.data[i] < '0' || text.data[i] > '9')
            attr->numeric = false;
        else
            value = value * 10 + (text.data[i] - '0');
    }
    attr->value = attr->numeric ? value : 0;
}

static bool is_string_tag(uint32_t tag)
{
    return tag == BER_PRINTABLE_STRING || tag == BER_UTF8_STRING || tag == BER_IA5_STRING ||
           tag == BER_T61_STRING;
}

/* The attributes the signer's result has a field for. */
typedef enum {
    ATTR_OTHER,
    ATTR_MESSAGE_TYPE,
    ATTR_PKI_STATUS,
    ATTR_FAIL_INFO,
    ATTR_SENDER_NONCE,
    ATTR_RECIPIENT_NONCE,
    ATTR_TRANSACTION_ID,
    ATTR_FAIL_INFO_TEXT,
    ATTR_CONTENT_TYPE,
    ATTR_MESSAGE_DIGEST,
    ATTR_SIGNING_TIME,
} attribute_kind;

/* attribute_of names the attribute |oid| denotes: SCEP's and PKCS#9's share an arc each and
 * differ in their last octet, so one comparison of the arc and one lookup suffice. */
static attribute_kind attribute_of(scep_span oid)
{
    static const uint8_t scep_arc[] = {OID_SCEP_ARC};
    static const uint8_t pkcs9_arc[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09};
    if (oid.length == sizeof scep_arc + 1 && memcmp(oid.data, scep_arc, sizeof scep_arc) == 0) {
        static const attribute_kind by_last[] = {
            [2] = ATTR_MESSAGE_TYPE,  [3] = ATTR_PKI_STATUS,      [4] = ATTR_FAIL_INFO,
            [5] = ATTR_SENDER_NONCE,  [6] = ATTR_RECIPIENT_NONCE, [7] = ATTR_TRANSACTION_ID,
        };
        uint8_t last = oid.data[sizeof scep_arc];
        return last < sizeof by_last / sizeof by_last[0] ? by_last[last] : ATTR_OTHER;
    }
    if (oid.length == sizeof pkcs9_arc + 1 && memcmp(oid.data, pkcs9_arc, sizeof pkcs9_arc) == 0) {
        uint8_t last = oid.data[sizeof pkcs9_arc];
        return last == 3 ? ATTR_CONTENT_TYPE : last == 4 ? ATTR_MESSAGE_DIGEST
             : last == 5 ? ATTR_SIGNING_TIME : ATTR_OTHER;
    }
    return OID_IS(oid, OID_SCEP_FAIL_INFO_TEXT) ? ATTR_FAIL_INFO_TEXT : ATTR_OTHER;
}

/* How a known attribute's first value is kept in the signer (signingTime aside: it is parsed
 * as a time), and the type RFC 8894 section 3.2.1.2 or RFC 5652 gives it. */
typedef struct {
    size_t field;           /* offset in scep_signer: a scep_number_attr or a scep_span */
    bool number;            /* a decimal number sent as a string (scep_number_attr) */
    uint32_t tag;           /* the value's tag, or 0 for any string type */
    const char *wrong_type; /* the error when the value has another type */
} attribute_rule;

/* |what| names the attribute in the error; |type| says what it should have been. */
#define NUMBER_RULE(member, what) {offsetof(scep_signer, member), true, 0, what " is not a PrintableString"}
#define SPAN_RULE(member, tag, what, type) {offsetof(scep_signer, member), false, tag, what " is not " type}

static const attribute_rule attribute_rules[] = {
    [ATTR_MESSAGE_TYPE] = NUMBER_RULE(message_type, "messageType"),
    [ATTR_PKI_STATUS] = NUMBER_RULE(pki_status, "pkiStatus"),
    [ATTR_FAIL_INFO] = NUMBER_RULE(fail_info, "failInfo"),
    [ATTR_TRANSACTION_ID] = SPAN_RULE(transaction_id, 0, "transactionID", "a PrintableString"),
    [ATTR_SENDER_NONCE] = SPAN_RULE(sender_nonce, BER_OCTET_STRING, "senderNonce", "an OCTET STRING"),
    [ATTR_RECIPIENT_NONCE] = SPAN_RULE(recipient_nonce, BER_OCTET_STRING, "recipientNonce", "an OCTET STRING"),
    [ATTR_FAIL_INFO_TEXT] = SPAN_RULE(fail_info_text, 0, "failInfoText", "a UTF8String"),
    [ATTR_CONTENT_TYPE] = SPAN_RULE(content_type, BER_OID, "contentType", "an OBJECT IDENTIFIER"),
    [ATTR_MESSAGE_DIGEST] = SPAN_RULE(message_digest, BER_OCTET_STRING, "messageDigest", "an OCTET STRING"),
};

/* apply_attribute stores the first value of a known attribute in the signer. Values of the
 * wrong type are kept where they can be and flagged. */
static void apply_attribute(decode_ctx *ctx, const ber_cursor *where, scep_signer *signer,
                            scep_span oid, const ber_elem *value)
{
    if (value->tag != BER_SEQUENCE && value->tag != BER_SET && ber_constructed(value) &&
        (value->tag >> 24 & 0xC0u) == BER_CLASS_UNIVERSAL) {
        /* A constructed string: signedAttrs are DER (the signature covers their DER), so a
         * chunked value is malformed, and its raw chunk headers must not pass for the value.
         * (SEQUENCE values, as smimeCapabilities has, are fine.) */
        decode_error(ctx, SCEP_ERR_BAD_VALUE, where, value->offset, "attribute value is a constructed string");
        return;
    }
    attribute_kind kind = attribute_of(oid);
    if (kind == ATTR_OTHER)
        return;
    scep_span v = ber_span(value, false);
    const char *bad = NULL;
    if (kind == ATTR_SIGNING_TIME) {
        signer->signing_time_text = v;
        signer->has_signing_time = ber_parse_time(value, &signer->signing_time);
        bad = signer->has_signing_time ? NULL : "signingTime is not a valid UTCTime or GeneralizedTime";
    } else {
        const attribute_rule *rule = &attribute_rules[kind];
        void *field = (char *)signer + rule->field;
        if (rule->number)
            parse_number(field, v);
        else
            *(scep_span *)field = v;
        bool type_ok = rule->tag ? value->tag == rule->tag : is_string_tag(value->tag);
        bad = type_ok ? NULL : rule->wrong_type;
    }
    if (bad)
        decode_error(ctx, SCEP_ERR_BAD_VALUE, where, value->offset, bad);
}

static void decode_signed_attributes(decode_ctx *ctx, const ber_elem *attrs, scep_signer *signer)
{
    ber_cursor c = attrs->contents;
    ber_elem attr;
    while (!ber_empty(&c) && decode_take(ctx, &c, BER_SEQUENCE, &attr, "signed attribute")) {
        /* Walked in place, not copied: a copy of a cursor just written stalls the CPU. */
        ber_cursor *a = &attr.contents;
        ber_elem oid, values, value;
        if (!decode_take(ctx, a, BER_OID, &oid, "attribute type"))
            continue;
        if (!decode_take(ctx, a, BER_SET, &values, "attribute values"))
            continue;
        scep_attribute *slot = NULL;
        if (signer->attribute_count < SCEP_MAX_ATTRIBUTES) {
            slot = &signer->attributes[signer->attribute_count++];
            memset(slot, 0, sizeof *slot);
            slot->oid = ber_span(&oid, false);
        } else {
            decode_error(ctx, SCEP_ERR_CAPACITY, &c, attr.offset, "more attributes than SCEP_MAX_ATTRIBUTES");
        }
        ber_cursor *v = &values.contents;
        size_t count = 0;
        bool have_first = false;
        while (!ber_empty(v) && decode_take(ctx, v, 0, &value, "attribute value")) {
            if (count++ == 0) {
                have_first = true;
                if (slot) {
                    slot->value = ber_span(&value, false);
                    slot->tag = ber_tag_number(&value);
                }
                apply_attribute(ctx, v, signer, ber_span(&oid, false), &value);
            }
        }
        if (slot)
            slot->value_count = count;
        if (!have_first && !values.truncated)
            decode_error(ctx, SCEP_ERR_MISSING, a, values.offset, "attribute without a value");
    }
}

/* decode_signer_info reads one SignerInfo into |signer|. */
static void decode_signer_info(decode_ctx *ctx, const ber_elem *si, scep_signer *signer)
{
    ber_cursor c = si->contents;
    ber_elem e;
    if (!cms_decode_version(ctx, &c, &signer->version, "SignerInfo version") ||
        !cms_take_identifier(ctx, &c, &signer->sid, "SignerInfo sid") ||
        !cms_decode_algorithm(ctx, &c, &signer->digest_algorithm, "SignerInfo digestAlgorithm"))
        return;
    if (decode_peek_is(&c, BER_CONTEXT_CONS(0))) {
        if (!decode_take(ctx, &c, BER_CONTEXT_CONS(0), &e, "SignerInfo signedAttrs"))
            return;
        signer->signed_attrs = ber_span(&e, true);
        decode_signed_attributes(ctx, &e, signer);
    }
    if (!cms_decode_algorithm(ctx, &c, &signer->signature_algorithm, "SignerInfo signatureAlgorithm"))
        return;
    if (!decode_take(ctx, &c, 0, &e, "SignerInfo signature"))
        return;
    signer->signature = ber_span(&e, e.tag != BER_OCTET_STRING);
    if (decode_peek_is(&c, BER_CONTEXT_CONS(1)))
        signer->has_unsigned_attrs = true;
}

bool cms_decode_signed_data(decode_ctx *ctx, ber_cursor *c, scep_signed_data *sd,
                            uint8_t *content_buf, size_t content_cap, bool *content_complete)
{
    ber_elem info, body, e;
    *content_complete = false;
    if (!decode_take(ctx, c, BER_SEQUENCE, &info, "ContentInfo"))
        return false;
    sd->span = ber_span(&info, true);
    ber_cursor ci = info.contents;
    static const cms_content_names names = {"ContentInfo contentType", "ContentInfo is not SignedData",
                                             "ContentInfo content", "SignedData"};
    cms_content found = cms_open_content(ctx, &ci, OID_PKCS7_SIGNED_DATA, &names,
                                         &sd->content_type, &body);
    if (found != CMS_CONTENT_OK)
        return found == CMS_CONTENT_CUT;
    ber_cursor s = body.contents;
    if (!cms_decode_version(ctx, &s, &sd->version, "SignedData version"))
        return true;

    if (!decode_take(ctx, &s, BER_SET, &e, "SignedData digestAlgorithms"))
        return true;
    ber_cursor algs = e.contents;
    while (!ber_empty(&algs)) {
        scep_algorithm alg = {0};
        if (!cms_decode_algorithm(ctx, &algs, &alg, "SignedData digestAlgorithm"))
            break;
        if (sd->digest_algorithm_count < SCEP_MAX_DIGEST_ALGORITHMS)
            sd->digest_algorithms[sd->digest_algorithm_count++] = alg;
    }

    if (!decode_take(ctx, &s, BER_SEQUENCE, &e, "SignedData encapContentInfo"))
        return true;
    decode_encap_content(ctx, &e, sd, content_buf, content_cap, content_complete);

    if (decode_peek_is(&s, BER_CONTEXT_CONS(0))) {
        if (!decode_take(ctx, &s, BER_CONTEXT_CONS(0), &e, "SignedData certificates"))
            return true;
        decode_certificates(ctx, &e, sd);
    }
    if (decode_peek_is(&s, BER_CONTEXT_CONS(1))) {
        if (!decode_take(ctx, &s, BER_CONTEXT_CONS(1), &e, "SignedData crls"))
            return true;
        decode_crls(ctx, &e, sd);
    }
    if (!decode_take(ctx, &s, BER_SET, &e, "SignedData signerInfos"))
        return true;
    ber_cursor signers = e.contents;
    ber_elem si;
    while (!ber_empty(&signers) && decode_take(ctx, &signers, BER_SEQUENCE, &si, "SignerInfo")) {
        /* SCEP messages have one signer; further ones are counted, not decoded. */
        if (sd->signer_count++ == 0)
            decode_signer_info(ctx, &si, &sd->signer);
    }
    return true;
}

void cms_check_scep_attributes(decode_ctx *ctx, const scep_signer *signer, scep_span where)
{
    /* RFC 8894 3.2.1.2: every message carries transactionID, messageType and senderNonce;
     * a CertRep also pkiStatus and recipientNonce, and failInfo when it reports FAILURE.
     * CMS (RFC 5652 5.3) requires contentType and messageDigest whenever signedAttrs exist. */
    struct {
        bool present;
        const char *message;
    } required[] = {
        {scep_span_present(signer->transaction_id), "transactionID attribute missing"},
        {signer->message_type.present, "messageType attribute missing"},
        {scep_span_present(signer->sender_nonce), "senderNonce attribute missing"},
        {scep_span_present(signer->content_type), "contentType attribute missing"},
        {scep_span_present(signer->message_digest), "messageDigest attribute missing"},
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!required[i].present)
            scep_errors_add(ctx->errors, SCEP_ERR_MISSING, where.source, where.offset, required[i].message);
    if (signer->message_type.numeric && signer->message_type.value == SCEP_MSG_CERT_REP) {
        if (!signer->pki_status.present)
            scep_errors_add(ctx->errors, SCEP_ERR_MISSING, where.source, where.offset, "pkiStatus attribute missing from CertRep");
        if (!scep_span_present(signer->recipient_nonce))
            scep_errors_add(ctx->errors, SCEP_ERR_MISSING, where.source, where.offset, "recipientNonce attribute missing from CertRep");
        if (signer->pki_status.numeric && signer->pki_status.value == SCEP_STATUS_FAILURE &&
            !signer->fail_info.present)
            scep_errors_add(ctx->errors, SCEP_ERR_MISSING, where.source, where.offset, "failInfo attribute missing from a FAILURE CertRep");
    }
}

/* The ranges cms_reset_signed_data clears lie between the arrays it skips: keep that order. */
_Static_assert(offsetof(scep_signed_data, digest_algorithms) <
                       offsetof(scep_signed_data, digest_algorithm_count) &&
                   offsetof(scep_signed_data, digest_algorithm_count) <
                       offsetof(scep_signed_data, certificates) &&
                   offsetof(scep_signed_data, certificates) <
                       offsetof(scep_signed_data, certificate_count) &&
                   offsetof(scep_signed_data, certificate_count) < offsetof(scep_signed_data, signer) &&
                   offsetof(scep_signer, attributes) < offsetof(scep_signer, attribute_count),
               "scep_signed_data field order");

/* clear_range zeroes the bytes of |sd| from offset |from| up to |to|. */
static void clear_range(scep_signed_data *sd, size_t from, size_t to)
{
    memset((unsigned char *)sd + from, 0, to - from);
}

void cms_reset_signed_data(scep_signed_data *sd)
{
    const size_t signer = offsetof(scep_signed_data, signer);
    clear_range(sd, 0, offsetof(scep_signed_data, digest_algorithms));
    clear_range(sd, offsetof(scep_signed_data, digest_algorithm_count),
                offsetof(scep_signed_data, certificates));
    clear_range(sd, offsetof(scep_signed_data, certificate_count),
                signer + offsetof(scep_signer, attributes));
    clear_range(sd, signer + offsetof(scep_signer, attribute_count), sizeof *sd);
}
