/* scepdec.h — the one public header of libscepdec, a decoder for the Simple Certificate
 * Enrollment Protocol (SCEP, RFC 8894).
 *
 * The library turns bytes into facts. Every decoder takes the caller's bytes and a
 * caller-owned result struct; nothing on the decode path allocates. Values are spans into the
 * caller's bytes (or into caller storage named in the call), so a renderer can show the value
 * and highlight where it came from. Decoding never stops at the first fault: a result holds
 * every field decoded before it, a truncated flag, and errors with a code and an offset.
 *
 * Plain C11: no GLib, no OpenSSL types. Thread-safe: no global mutable state. */
#ifndef SCEPDEC_H
#define SCEPDEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCEPDEC_VERSION "0.1.0"

/* ---------------------------------------------------------------------------------------
 * Spans, errors, decode status
 * ------------------------------------------------------------------------------------- */

/* Which buffer a span points into. */
typedef enum {
    SCEP_SRC_INPUT = 0,   /* the bytes handed to the decoder */
    SCEP_SRC_CONTENT = 1, /* the caller's content buffer, where a constructed (chunked) BER
                           * OCTET STRING was joined: the pkcsPKIEnvelope of an iOS message */
} scep_source;

/* A value's bytes: |data| points at them, |offset| says where they sit in the buffer named by
 * |source|. An absent value has |data| == NULL and |length| == 0. For TLV-shaped values the
 * comment at the field says whether the span covers the whole element or its contents only. */
typedef struct {
    const uint8_t *data;
    size_t offset;
    size_t length;
    uint8_t source;
} scep_span;

static inline bool scep_span_present(scep_span s) { return s.data != NULL; }

typedef enum {
    SCEP_ERR_NONE = 0,
    SCEP_ERR_TRUNCATED,       /* input ends inside an element */
    SCEP_ERR_BAD_TAG,         /* tag encoding invalid (e.g. long-form tag too large) */
    SCEP_ERR_BAD_LENGTH,      /* length encoding invalid or larger than the enclosing element */
    SCEP_ERR_TOO_DEEP,        /* nesting deeper than SCEP_MAX_DEPTH */
    SCEP_ERR_UNEXPECTED_TAG,  /* an element is not the one the structure requires here */
    SCEP_ERR_BAD_VALUE,       /* an element has the right tag but an unusable value */
    SCEP_ERR_CAPACITY,        /* a documented capacity (certificates, recipients, ...) exceeded */
    SCEP_ERR_BAD_BASE64,      /* a character outside every base64 alphabet */
    SCEP_ERR_TRAILING_DATA,   /* bytes after the end of the top-level element */
    SCEP_ERR_MISSING,         /* a mandatory element or attribute is absent */
    SCEP_ERR_UNSUPPORTED,     /* a well-formed structure this version does not decode */
} scep_error_code;

typedef struct {
    scep_error_code code;
    uint8_t source;      /* scep_source of |offset| */
    size_t offset;       /* where the fault is: the start of the offending element */
    const char *message; /* static English text naming what was being decoded */
} scep_error;

/* Capacities of the caller-owned result structs. Exceeding one records SCEP_ERR_CAPACITY and
 * keeps the first entries; it never overflows. A decode sets the first |count| entries of an
 * array; entries past the count are unspecified (decoders do not spend time clearing them). */
#define SCEP_MAX_DEPTH 32          /* BER nesting levels */
#define SCEP_MAX_ERRORS 8
#define SCEP_MAX_CERTIFICATES 16
#define SCEP_MAX_CRLS 4
#define SCEP_MAX_RECIPIENTS 8
#define SCEP_MAX_DIGEST_ALGORITHMS 8
#define SCEP_MAX_ATTRIBUTES 24
#define SCEP_MAX_CAPABILITIES 32
#define SCEP_MAX_CHUNKS 4096       /* chunks of one constructed OCTET STRING */

/* Outcome of a decode call. */
typedef enum {
    SCEP_DECODE_OK = 0,      /* decoded, no error recorded */
    SCEP_DECODE_PARTIAL = 1, /* decoded with errors or truncation: the result says what */
    SCEP_DECODE_NONE = 2,    /* nothing of the expected kind was found */
} scep_status;

/* The error list every result carries. */
typedef struct {
    scep_error items[SCEP_MAX_ERRORS];
    size_t count;   /* entries in |items| */
    size_t dropped; /* errors beyond SCEP_MAX_ERRORS, counted only */
} scep_errors;

const char *scep_error_code_name(scep_error_code code); /* "truncated", "bad-length", ... */

/* ---------------------------------------------------------------------------------------
 * Names: SCEP's numbers, OIDs, distinguished names. One table used by every renderer.
 * ------------------------------------------------------------------------------------- */

typedef enum {
    SCEP_MSG_CERT_REP = 3,
    SCEP_MSG_RENEWAL_REQ = 17,
    SCEP_MSG_UPDATE_REQ = 18, /* obsolete (draft-nourse) */
    SCEP_MSG_PKCS_REQ = 19,
    SCEP_MSG_CERT_POLL = 20,  /* GetCertInitial */
    SCEP_MSG_GET_CERT = 21,
    SCEP_MSG_GET_CRL = 22,
} scep_message_type;

typedef enum { SCEP_STATUS_SUCCESS = 0, SCEP_STATUS_FAILURE = 2, SCEP_STATUS_PENDING = 3 } scep_pki_status;

typedef enum {
    SCEP_FAIL_BAD_ALG = 0,
    SCEP_FAIL_BAD_MESSAGE_CHECK = 1,
    SCEP_FAIL_BAD_REQUEST = 2,
    SCEP_FAIL_BAD_TIME = 3,
    SCEP_FAIL_BAD_CERT_ID = 4,
} scep_fail_info;

/* Each returns a static name ("PKCSReq", "FAILURE", "badRequest") or NULL when unknown. */
const char *scep_message_type_name(long message_type);
const char *scep_pki_status_name(long pki_status);
const char *scep_fail_info_name(long fail_info);

/* OID kinds, for renderers that want to group or flag algorithms. */
typedef enum {
    SCEP_OID_OTHER = 0,
    SCEP_OID_CONTENT_TYPE,      /* PKCS#7 / CMS content types */
    SCEP_OID_ATTRIBUTE,         /* PKCS#9 and SCEP attributes */
    SCEP_OID_DIGEST,
    SCEP_OID_SIGNATURE,
    SCEP_OID_PUBLIC_KEY,        /* also key transport (rsaEncryption, RSAES-OAEP) */
    SCEP_OID_CIPHER,
    SCEP_OID_DN_ATTRIBUTE,
    SCEP_OID_EXTENSION,
} scep_oid_kind;

typedef struct {
    const char *dotted;   /* "2.16.840.1.101.3.4.2.1" */
    const char *name;     /* "sha256" */
    scep_oid_kind kind;
    bool deprecated;      /* DES, MD5, SHA-1 and algorithms built on them */
} scep_oid_info;

/* scep_oid_lookup returns the table entry for the OID whose contents octets are |oid|/|len|
 * (the bytes after tag and length), or NULL when the table does not know it. */
const scep_oid_info *scep_oid_lookup(const uint8_t *oid, size_t len);

/* scep_oid_to_dotted writes the dotted form of the OID contents |oid|/|len| into |out|
 * (NUL-terminated, at most |cap| bytes). Returns the length written, or 0 when the encoding is
 * invalid or does not fit (|out| then holds ""). 128 bytes suffice for every OID in practice
 * (32 arcs of up to 3 digits); the worst case, 32 arcs near 2^64, needs 671. */
size_t scep_oid_to_dotted(const uint8_t *oid, size_t len, char *out, size_t cap);

/* scep_name_format renders the DER Name (a whole SEQUENCE OF RDN element) at |der|/|len| as an
 * RFC 4514 string, most specific RDN first ("CN=Example CA,O=Example,C=US"), escaping as RFC
 * 4514 asks. Unknown attribute types print dotted; non-string values print as #hex. Returns
 * the length written (NUL-terminated in |out|); when |cap| is too small the text is cut at a
 * character boundary and ends in "..."; returns 0 and writes "" when |der| is not a Name. */
size_t scep_name_format(const uint8_t *der, size_t len, char *out, size_t cap);

/* ---------------------------------------------------------------------------------------
 * Base64 and HTTP request targets
 * ------------------------------------------------------------------------------------- */

/* Forms of base64 seen in a message parameter; a bitmask in scep_query.message_forms. */
enum {
    SCEP_B64_PERCENT_ESCAPED = 1u << 0, /* %2B %2F %3D, or any other %XX of an alphabet char */
    SCEP_B64_RAW_PLUS_SLASH = 1u << 1,  /* '+' or '/' unescaped */
    SCEP_B64_SPACE_AS_PLUS = 1u << 2,   /* ' ' (or '%20') standing for a form-decoded '+' */
    SCEP_B64_URL_SAFE = 1u << 3,        /* '-' and '_' */
    SCEP_B64_NO_PADDING = 1u << 4,      /* final quantum without '=' (or with too few) */
    SCEP_B64_LINE_BREAKS = 1u << 5,     /* CR/LF, raw or escaped as %0D %0A */
    SCEP_B64_TRUNCATED = 1u << 6,       /* the text stops mid-quantum (a lone last character)
                                         * or inside a percent escape: a cut log line */
};

/* scep_base64_decode decodes |text|/|len| tolerating every form above at once (standard and
 * url-safe alphabets, percent escapes, spaces for '+', missing padding, line breaks). Writes
 * at most |cap| bytes to |out|, sets |*out_len| and, when |forms| is not NULL, ORs the
 * SCEP_B64_* forms seen into |*forms|. Stops at the first character that is in no alphabet
 * and records its offset in |*error| (when not NULL). A trailing partial quantum of one
 * character is dropped and flagged SCEP_B64_TRUNCATED. |cap| >= len * 3 / 4 + 3 always
 * suffices. Returns SCEP_DECODE_OK, SCEP_DECODE_PARTIAL (stopped early, out of room, or
 * SCEP_B64_TRUNCATED) or SCEP_DECODE_NONE (no byte decoded).
 * Details: "%XX" (hex in either case) stands for the character it escapes and is accepted
 * wherever that character is; %0D/%0A count as SCEP_B64_LINE_BREAKS, %20 as
 * SCEP_B64_SPACE_AS_PLUS, any other escape as SCEP_B64_PERCENT_ESCAPED. No double decoding:
 * %25 is a stray '%'. '=' is padding only after two or three characters of a quantum; after
 * it only more '=' (up to four characters in all) and line breaks may follow. |*error| gets
 * SCEP_ERR_NONE, SCEP_ERR_BAD_BASE64 at the stray character (at its '%' when escaped), or
 * SCEP_ERR_CAPACITY at the character whose bytes did not fit; offsets are into |text|, source
 * SCEP_SRC_INPUT. Bytes completed before a stop stay in |out|, as many as fit. */
scep_status scep_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap,
                               size_t *out_len, unsigned *forms, scep_error *error);

typedef enum {
    SCEP_OP_NONE = 0,               /* no operation parameter */
    SCEP_OP_UNKNOWN,                /* present but not one of the below: see operation_text */
    SCEP_OP_GET_CA_CERT,
    SCEP_OP_GET_CA_CAPS,
    SCEP_OP_GET_NEXT_CA_CERT,
    SCEP_OP_PKI_OPERATION,
    SCEP_OP_NDES_GENERATE_CHALLENGE,      /* Microsoft NDES */
    SCEP_OP_NDES_GET_CA_CERT_THUMBPRINT,  /* Microsoft NDES */
} scep_operation;

/* The operation's name as RFC 8894 (or NDES) spells it; NULL for NONE and UNKNOWN. */
const char *scep_operation_name(scep_operation op);

typedef struct {
    /* Spans into the request target handed to scep_decode_query (SCEP_SRC_INPUT). */
    scep_span path;            /* path before '?' (a full URL's path component: after its
                                * authority, present and empty when it has none); absent for
                                * a bare query */
    scep_span query;           /* text after '?' (up to '#'); absent when there is none */
    scep_span operation_text;  /* operation value as sent (still percent-escaped) */
    scep_operation operation;
    scep_span message_text;    /* message value as sent */
    /* The decoded message in the caller's buffer: for PKIOperation the base64-decoded
     * pkiMessage; for every other operation the percent-decoded text (GetCACert's CA
     * identifier). */
    size_t message_len;
    unsigned message_forms;    /* SCEP_B64_* seen, PKIOperation only */
    bool truncated;            /* the message text stops mid-quantum or the buffer was short;
                                * for PKIOperation also when the decoded bytes end before the
                                * outer BER element they start does (a cut on a quantum
                                * boundary): SCEP_ERR_TRUNCATED at the message text's end */
    scep_errors errors;
} scep_query;

/* scep_decode_query decodes an HTTP request target: a full URL ("https://host/scep?…"), an
 * origin form ("/cgi-bin/pkiclient.exe?operation=…"), or a bare query ("operation=…&message=…").
 * Case of parameter names is ignored; the operation value is matched case-sensitively first,
 * then case-insensitively. The message parameter is decoded into |msg_buf| (at most |msg_cap|
 * bytes; |len| bytes always suffice). Returns SCEP_DECODE_NONE when there is no operation
 * parameter, SCEP_DECODE_PARTIAL when the message could not be fully decoded.
 * Details: parameters split on '&' only; the first of each name counts; names and the
 * operation value are percent-decoded before matching. The PKIOperation message goes through
 * scep_base64_decode (no form decoding first, so a raw '+' stays '+'); other messages are
 * form-decoded ("%XX" and '+' as space; a '%' that escapes nothing is kept). A missing
 * message is no error (a POST carries it in the body). Error offsets are into |target|
 * (SCEP_SRC_INPUT). On SCEP_DECODE_NONE the spans found are still filled in. */
scep_status scep_decode_query(const char *target, size_t len, uint8_t *msg_buf, size_t msg_cap,
                              scep_query *out);

/* ---------------------------------------------------------------------------------------
 * Certificates and the common ASN.1 shapes of CMS
 * ------------------------------------------------------------------------------------- */

typedef struct {
    scep_span oid;     /* contents octets of the algorithm OID */
    scep_span params;  /* the whole parameters element, absent when omitted */
} scep_algorithm;

typedef enum {
    SCEP_ID_NONE = 0,
    SCEP_ID_ISSUER_SERIAL, /* IssuerAndSerialNumber */
    SCEP_ID_SKI,           /* [0] SubjectKeyIdentifier */
} scep_id_kind;

/* Identifies a signer or a recipient. */
typedef struct {
    scep_id_kind kind;
    scep_span issuer;   /* whole Name element: format with scep_name_format */
    scep_span serial;   /* INTEGER contents without a leading 0x00 sign byte */
    scep_span ski;      /* key identifier octets */
} scep_identifier;

/* Key usage bits, RFC 5280 numbering, as flags. */
enum {
    SCEP_KU_DIGITAL_SIGNATURE = 1u << 0,
    SCEP_KU_NON_REPUDIATION = 1u << 1,
    SCEP_KU_KEY_ENCIPHERMENT = 1u << 2,
    SCEP_KU_DATA_ENCIPHERMENT = 1u << 3,
    SCEP_KU_KEY_AGREEMENT = 1u << 4,
    SCEP_KU_KEY_CERT_SIGN = 1u << 5,
    SCEP_KU_CRL_SIGN = 1u << 6,
    SCEP_KU_ENCIPHER_ONLY = 1u << 7,
    SCEP_KU_DECIPHER_ONLY = 1u << 8,
};

/* What a certificate is for, as far as its extensions show. */
typedef enum {
    SCEP_ROLE_UNKNOWN = 0,
    SCEP_ROLE_CA,            /* basicConstraints cA, or keyCertSign */
    SCEP_ROLE_RA_SIGNING,    /* not a CA, digitalSignature only */
    SCEP_ROLE_RA_ENCRYPTION, /* not a CA, keyEncipherment only */
    SCEP_ROLE_RA,            /* not a CA, both */
    SCEP_ROLE_END_ENTITY,    /* not a CA and not marked for either (client certificates) */
} scep_cert_role;

const char *scep_cert_role_name(scep_cert_role role); /* "CA", "RA signing", ... */

typedef struct {
    scep_span span;            /* the whole Certificate element */
    int version;               /* 1, 2 or 3 */
    scep_span serial;          /* without sign byte */
    scep_algorithm signature_algorithm;
    scep_span issuer;          /* whole Name element */
    scep_span subject;         /* whole Name element */
    int64_t not_before;        /* seconds since 1970-01-01T00:00:00Z */
    int64_t not_after;
    scep_span not_before_text; /* contents of the UTCTime / GeneralizedTime */
    scep_span not_after_text;
    scep_algorithm public_key_algorithm;
    unsigned public_key_bits;  /* RSA modulus size or EC field size when known, else 0 */
    bool has_key_usage;
    uint16_t key_usage;        /* SCEP_KU_* */
    bool has_basic_constraints;
    bool is_ca;
    int path_len;              /* -1 when absent */
    scep_span subject_key_id;  /* key identifier octets */
    bool self_issued;          /* issuer and subject encode identically */
    scep_cert_role role;
} scep_certificate;

/* ---------------------------------------------------------------------------------------
 * pkiMessage: SignedData with SCEP's authenticated attributes, and the EnvelopedData inside
 * ------------------------------------------------------------------------------------- */

/* One attribute of the signer's authenticated attributes, as found. */
typedef struct {
    scep_span oid;    /* contents octets */
    scep_span value;  /* contents of the first value */
    unsigned tag;     /* universal tag number of the first value (19 PrintableString, ...) */
    size_t value_count;
} scep_attribute;

/* A numeric SCEP attribute (messageType, pkiStatus, failInfo) sent as a decimal string. */
typedef struct {
    bool present;
    bool numeric;      /* the text was a decimal number; |value| is meaningful */
    long value;
    scep_span text;    /* the string's contents */
} scep_number_attr;

typedef struct {
    int version;
    scep_identifier sid;
    scep_algorithm digest_algorithm;
    scep_algorithm signature_algorithm;
    scep_span signed_attrs;       /* the whole [0] element (hash it re-tagged as SET, 0x31) */
    scep_attribute attributes[SCEP_MAX_ATTRIBUTES];
    size_t attribute_count;
    scep_span signature;          /* signature octets */
    bool has_unsigned_attrs;

    /* SCEP's and PKCS#9's attributes, decoded. Absent ones have present == false / no data. */
    scep_number_attr message_type;
    scep_number_attr pki_status;
    scep_number_attr fail_info;
    scep_span fail_info_text;     /* UTF8String contents */
    scep_span transaction_id;     /* PrintableString contents */
    scep_span sender_nonce;       /* OCTET STRING contents */
    scep_span recipient_nonce;
    scep_span content_type;       /* OID contents */
    scep_span message_digest;     /* OCTET STRING contents */
    bool has_signing_time;
    int64_t signing_time;         /* seconds since the epoch, UTC */
    scep_span signing_time_text;
} scep_signer;

typedef enum {
    SCEP_RECIP_KTRI = 0, /* KeyTransRecipientInfo: the SCEP case */
    SCEP_RECIP_KARI,     /* [1] KeyAgreeRecipientInfo */
    SCEP_RECIP_KEKRI,    /* [2] */
    SCEP_RECIP_PWRI,     /* [3] */
    SCEP_RECIP_OTHER,    /* [4] */
} scep_recipient_kind;

typedef struct {
    scep_recipient_kind kind;
    int version;
    scep_identifier rid;
    scep_algorithm key_encryption_algorithm;
    scep_span encrypted_key;
} scep_recipient;

/* The pkcsPKIEnvelope. Its spans point into the input, or into the content buffer when the
 * SignedData carried it as a chunked OCTET STRING. */
typedef struct {
    scep_span span;                 /* the whole ContentInfo or EnvelopedData element */
    int version;
    scep_recipient recipients[SCEP_MAX_RECIPIENTS];
    size_t recipient_count;
    scep_span content_type;         /* encryptedContentInfo's contentType OID */
    scep_algorithm content_encryption_algorithm;
    scep_span iv;                   /* the IV when the parameters are an OCTET STRING */
    scep_span encrypted_content;    /* the whole [0] element (may itself be chunked) */
    size_t encrypted_length;        /* ciphertext octets, chunks added up */
} scep_envelope;

typedef struct {
    scep_span span;                 /* the whole ContentInfo */
    scep_span content_type;         /* ContentInfo's OID (signedData) */
    int version;
    scep_algorithm digest_algorithms[SCEP_MAX_DIGEST_ALGORITHMS];
    size_t digest_algorithm_count;
    scep_span encap_content_type;   /* eContentType OID */
    scep_span encap_content;        /* eContent octets (joined, when chunked, in the content
                                     * buffer: source SCEP_SRC_CONTENT) */
    size_t encap_content_chunks;    /* 0 primitive, else the number of chunks joined */
    scep_certificate certificates[SCEP_MAX_CERTIFICATES];
    size_t certificate_count;
    scep_span crls[SCEP_MAX_CRLS];  /* whole CertificateList elements */
    size_t crl_count;
    scep_signer signer;             /* the first SignerInfo */
    size_t signer_count;
    bool indefinite_lengths;        /* BER indefinite lengths were used somewhere */
} scep_signed_data;

typedef struct {
    scep_signed_data signed_data;
    bool has_envelope;
    scep_envelope envelope;         /* the encapsulated pkcsPKIEnvelope */
    bool truncated;                 /* the input ends before the message does */
    scep_errors errors;
} scep_pki_message;

/* scep_decode_pki_message decodes a pkiMessage (BER or DER) from |data|/|len|. When the
 * encapsulated content is a constructed OCTET STRING its chunks are joined into |content_buf|
 * (at most |content_cap| bytes; |len| always suffices; may be NULL/0, then a chunked envelope
 * is reported as SCEP_ERR_CAPACITY and not decoded). Truncated or malformed input decodes as
 * far as it goes. Mandatory SCEP attributes that are missing are recorded as SCEP_ERR_MISSING.
 * The result's spans point into |data| and |content_buf|: keep both alive while using it. */
scep_status scep_decode_pki_message(const uint8_t *data, size_t len, uint8_t *content_buf,
                                    size_t content_cap, scep_pki_message *out);

/* scep_decode_envelope decodes a pkcsPKIEnvelope (ContentInfo of EnvelopedData, or a bare
 * EnvelopedData) on its own, e.g. one extracted by another tool. */
scep_status scep_decode_envelope(const uint8_t *data, size_t len, scep_envelope *out,
                                 scep_errors *errors, bool *truncated);

/* ---------------------------------------------------------------------------------------
 * Certificate bundles: GetCACert, GetNextCACert, CertRep content
 * ------------------------------------------------------------------------------------- */

typedef enum {
    SCEP_BUNDLE_NONE = 0,
    SCEP_BUNDLE_CERTIFICATE,  /* one DER certificate (application/x-x509-ca-cert) */
    SCEP_BUNDLE_CERTS_ONLY,   /* degenerate SignedData (x-x509-ca-ra-cert, CertRep content) */
    SCEP_BUNDLE_SIGNED,       /* SignedData over certs-only (x-x509-next-ca-cert) */
} scep_bundle_kind;

typedef struct {
    scep_bundle_kind kind;
    /* The certificates the bundle delivers: the single certificate, the certs-only set, or
     * the inner set of a GetNextCACert response. */
    scep_certificate certificates[SCEP_MAX_CERTIFICATES];
    size_t certificate_count;
    size_t crl_count;               /* CRLs delivered (GetCRL response content) */
    scep_span crls[SCEP_MAX_CRLS];
    /* The outer SignedData: for SIGNED, its signer and the certificates that sign the bundle;
     * for CERTS_ONLY, the container itself. Unused for CERTIFICATE. */
    scep_signed_data outer;
    bool truncated;
    scep_errors errors;
} scep_cert_bundle;

/* scep_decode_cert_bundle detects and decodes any of the bundle kinds above. A chunked
 * encapsulated content (GetNextCACert in BER) is joined into |content_buf| as for
 * scep_decode_pki_message. */
scep_status scep_decode_cert_bundle(const uint8_t *data, size_t len, uint8_t *content_buf,
                                    size_t content_cap, scep_cert_bundle *out);

/* ---------------------------------------------------------------------------------------
 * What an envelope holds, once decrypted (see scep_decrypt_envelope)
 * ------------------------------------------------------------------------------------- */

typedef enum {
    SCEP_CONTENT_NONE = 0,
    SCEP_CONTENT_CSR,                /* PKCSReq, RenewalReq, UpdateReq: a PKCS#10 request */
    SCEP_CONTENT_ISSUER_AND_SUBJECT, /* CertPoll (GetCertInitial) */
    SCEP_CONTENT_ISSUER_AND_SERIAL,  /* GetCert, GetCRL */
} scep_content_kind;

typedef struct {
    scep_content_kind kind;
    /* CSR */
    int version;                       /* as encoded: 0 is v1, the only version defined */
    scep_span subject;                 /* whole Name element (also CertPoll's subject) */
    scep_algorithm public_key_algorithm;
    unsigned public_key_bits;
    scep_span challenge_password;      /* string contents: a secret, show it with care */
    scep_span extension_request;       /* the whole Extensions SEQUENCE */
    size_t attribute_count;
    scep_algorithm signature_algorithm;
    /* CertPoll, GetCert, GetCRL */
    scep_span issuer;                  /* whole Name element */
    scep_span serial;                  /* without sign byte */
    bool truncated;
    scep_errors errors;
} scep_request_content;

/* scep_decode_request_content decodes the plaintext of a request's envelope: a PKCS#10 CSR
 * when |message_type| is PKCSReq, RenewalReq or UpdateReq, an IssuerAndSubject for CertPoll,
 * an IssuerAndSerialNumber for GetCert and GetCRL. (A CertRep's plaintext is a certs-only
 * bundle: scep_decode_cert_bundle.) Spans point into |data|. */
scep_status scep_decode_request_content(const uint8_t *data, size_t len, long message_type,
                                        scep_request_content *out);

/* ---------------------------------------------------------------------------------------
 * GetCACaps
 * ------------------------------------------------------------------------------------- */

typedef enum {
    SCEP_CAP_UNKNOWN = 0,
    SCEP_CAP_AES,
    SCEP_CAP_DES3,
    SCEP_CAP_GET_NEXT_CA_CERT,
    SCEP_CAP_POST_PKI_OPERATION,
    SCEP_CAP_RENEWAL,
    SCEP_CAP_SHA1,
    SCEP_CAP_SHA256,
    SCEP_CAP_SHA512,
    SCEP_CAP_SCEP_STANDARD,
    SCEP_CAP_UPDATE,
} scep_capability;

const char *scep_capability_name(scep_capability cap); /* canonical spelling; NULL unknown */

typedef struct {
    struct {
        scep_capability id;
        scep_span text;   /* the line as sent, without line end and surrounding blanks */
    } items[SCEP_MAX_CAPABILITIES];
    size_t count;
    scep_errors errors;
} scep_caps;

/* scep_decode_caps splits a GetCACaps body into capabilities: one a line, CRLF or LF, blank
 * lines skipped, names matched case-insensitively, unknown ones kept with SCEP_CAP_UNKNOWN.
 * Returns SCEP_DECODE_NONE for a body with no line, SCEP_DECODE_PARTIAL when a line is not
 * printable text or the capacity is exceeded.
 * Details: a lone CR also ends a line; blanks are spaces and tabs; "SHA1", "SHA256" and
 * "SHA512" (sent by some servers) match SCEP_CAP_SHA1/256/512. A line with a byte outside
 * printable ASCII is skipped and recorded as SCEP_ERR_BAD_VALUE at that byte; lines beyond
 * SCEP_MAX_CAPABILITIES are recorded once, as SCEP_ERR_CAPACITY at the first of them. */
scep_status scep_decode_caps(const char *text, size_t len, scep_caps *out);

/* ---------------------------------------------------------------------------------------
 * Checks and decryption (OpenSSL, off the decode path: these allocate internally)
 * ------------------------------------------------------------------------------------- */

typedef enum {
    SCEP_CHECK_NOT_DONE = 0, /* nothing to check with (no attribute, no certificate, no key) */
    SCEP_CHECK_OK,
    SCEP_CHECK_FAILED,
    SCEP_CHECK_UNSUPPORTED,  /* an algorithm this OpenSSL cannot run */
} scep_check;

const char *scep_check_name(scep_check check); /* "not done", "ok", "FAILED", "unsupported" */

typedef struct {
    /* messageDigest against the digest of the eContent octets (joined, when chunked: the
     * digest covers the octets, never the BER chunk headers). */
    scep_check message_digest;
    /* The signature over the DER of signedAttrs, with the signer's certificate found among
     * the message's certificates (or the one handed in). */
    scep_check signature;
    const char *detail; /* static text saying why a check failed or was not done; NULL when all ok */
} scep_verification;

/* scep_verify_pki_message checks a message decoded by scep_decode_pki_message from |data|/
 * |len|. |signer_cert|/|signer_cert_len| (DER or PEM, may be NULL) supplies the signer's
 * certificate when the message does not carry it. Never fails wholesale: each check says
 * what it found. */
void scep_verify_pki_message(const uint8_t *data, size_t len, const scep_pki_message *msg,
                             const uint8_t *signer_cert, size_t signer_cert_len,
                             scep_verification *out);

/* scep_decrypt_envelope opens the pkcsPKIEnvelope of |msg| with the recipient's private key
 * |key|/|key_len| (PEM or DER, unencrypted) and, optionally, its certificate |cert|/|cert_len|
 * (PEM or DER, may be NULL: every recipient is tried). Writes the plaintext (a PKCS#10
 * request, a certs-only SignedData, an IssuerAndSerialNumber...) into |out| (at most |cap|
 * bytes) and sets |*out_len|. Returns SCEP_DECODE_OK, or SCEP_DECODE_NONE with |*error| (when
 * not NULL) saying why. Single DES needs OpenSSL's legacy provider, loaded on demand. */
scep_status scep_decrypt_envelope(const scep_pki_message *msg, const uint8_t *key, size_t key_len,
                                  const uint8_t *cert, size_t cert_len, uint8_t *out, size_t cap,
                                  size_t *out_len, scep_error *error);

/* ---------------------------------------------------------------------------------------
 * JSON, per DESIGN.md's contract
 * ------------------------------------------------------------------------------------- */

/* Each writes one JSON object (no trailing newline) into |out| (NUL-terminated, at most |cap|
 * bytes) and returns the length the whole object needs, like snprintf: a return >= cap means
 * the output was cut. |operation| may be SCEP_OP_NONE when unknown. */
size_t scep_json_pki_message(const scep_pki_message *msg, scep_operation operation, char *out,
                             size_t cap);
size_t scep_json_cert_bundle(const scep_cert_bundle *bundle, scep_operation operation, char *out,
                             size_t cap);
size_t scep_json_caps(const scep_caps *caps, char *out, size_t cap);

/* scep_json_query writes one JSON object for an HTTP request target decoded by
 * scep_decode_query: "operation" (the RFC 8894 name, or the text as sent when unknown),
 * "ca_ident" (GetCACert's message parameter), "base64_forms" (names of the SCEP_B64_* forms
 * seen), then, when |msg| is not NULL, every key scep_json_pki_message writes for the
 * pkiMessage carried in the message parameter (or in a POST body). |message| is the |msg_buf|
 * given to scep_decode_query (may be NULL: then no ca_ident). "truncated" and "errors" merge
 * the query's and the message's; the message's errors carry "source": "message" (offsets into
 * the decoded message, not the target) or "content". Returns and cuts like the functions above. */
size_t scep_json_query(const scep_query *query, const uint8_t *message,
                       const scep_pki_message *msg, char *out, size_t cap);

/* JSON rendering conventions, shared by every scep_json_* function (and usable by other
 * renderers so that text and JSON agree):
 *  - times are ISO 8601 UTC strings, "2016-05-31T11:30:13Z" (scep_format_time);
 *  - nonces, serials, IVs and key identifiers are lowercase hex without separators;
 *  - algorithms are dotted OIDs, with a "<key>_name" companion when the OID table knows it;
 *  - numbers SCEP sends as decimal strings (messageType, pkiStatus, failInfo) are JSON numbers
 *    with a "<key>_name" companion; a value that is not a decimal number is reported as
 *    "<key>_raw" (the string as sent) instead ("_text" would collide with fail_info_text);
 *  - strings are escaped per RFC 8259: quote, backslash and control characters escaped,
 *    invalid UTF-8 replaced by \ufffd;
 *  - absent attributes are absent keys, never null;
 *  - errors are {"code": scep_error_code_name, "offset": N, "message": text}, plus
 *    "source": "content" when the offset is into the joined content buffer. */

/* scep_json_verification writes {"message_digest": "ok", "signature": "FAILED", "detail": …}
 * with scep_check_name's words; scep_json_request_content writes a decrypted request's
 * content: {"kind": "csr", "subject", "public_key_algorithm", "public_key_bits",
 * "challenge_password_length" (never the secret itself), "extension_request",
 * "signature_algorithm"} or {"kind": "issuer_and_serial" | "issuer_and_subject", "issuer",
 * "serial" | "subject"}, with "truncated" and "errors". Both return lengths as above. */
size_t scep_json_verification(const scep_verification *v, char *out, size_t cap);
size_t scep_json_request_content(const scep_request_content *rc, char *out, size_t cap);

/* scep_format_time writes |seconds| since the epoch as ISO 8601 UTC ("YYYY-MM-DDTHH:MM:SSZ")
 * into |out| (NUL-terminated, at most |cap| bytes; 32 always suffice). Returns the length
 * written, 0 when |cap| is too small. */
size_t scep_format_time(int64_t seconds, char *out, size_t cap);

/* scep_key_usage_name returns RFC 5280's name of the one SCEP_KU_* flag |flag|
 * ("digitalSignature", "keyCertSign", ...) or NULL when |flag| is not exactly one known flag. */
const char *scep_key_usage_name(unsigned flag);

/* scep_base64_form_name returns a short name of the one SCEP_B64_* flag |flag|
 * ("percent-escaped", "raw-plus-slash", "space-as-plus", "url-safe", "no-padding",
 * "line-breaks", "truncated") or NULL when |flag| is not exactly one known flag. */
const char *scep_base64_form_name(unsigned flag);

#ifdef __cplusplus
}
#endif
#endif /* SCEPDEC_H */
