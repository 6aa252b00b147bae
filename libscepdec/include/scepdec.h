/* scepdec.h — the one public header of libscepdec, a decoder for the Simple Certificate
 * Enrollment Protocol (SCEP, RFC 8894).
 *
 * The library turns bytes into facts. Every decoder takes the caller's bytes and a
 * caller-owned result struct; nothing on the decode path allocates. Values are spans into the
 * caller's bytes (or into caller storage named in the call), so a renderer can show the value
 * and highlight where it came from. Decoding never stops at the first fault: a result holds
 * every field decoded before it, a truncated flag, and errors with a code and an offset.
 *
 * Plain C11: no GLib, no OpenSSL types. Thread-safe: decoding has no global state; the
 * OpenSSL part (checks, decryption) sets up its private OpenSSL context once, race-free, and
 * never touches the host's default one. Buffer sizes follow one rule (see "Buffer sizes").
 *
 * Linking: libscepdec.a holds everything but scep_verify_pki_message and
 * scep_decrypt_envelope, and needs libc only (pkg-config scepdec-core, CMake scepdec::core);
 * libscepdec_crypto.a adds those two and needs OpenSSL's libcrypto (pkg-config scepdec, CMake
 * scepdec::scepdec, which bring everything). */
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
    size_t offset;       /* where the fault is: the start of the offending element; for
                          * SCEP_ERR_TRUNCATED, where the data ends (the first byte missing:
                          * the input's length when the input was cut), whichever element
                          * noticed it, so a renderer can say "truncated at 1200" */
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
const char *scep_status_name(scep_status status);       /* "ok", "partial", "none" */

/* ---------------------------------------------------------------------------------------
 * Buffer sizes: one rule for text, one for bytes
 * ---------------------------------------------------------------------------------------
 * TEXT. Every function that writes text into a caller's |out| of |cap| bytes (scep_*_format,
 * scep_oid_to_dotted, scep_json_*) works like snprintf:
 *  - it returns the length the whole text needs, the NUL not counted: a return >= |cap| means
 *    the text was cut; call again with return + 1 bytes for all of it. |out| may be NULL when
 *    |cap| is 0, to measure;
 *  - |out| is NUL-terminated whenever |cap| > 0;
 *  - a cut text is cut at a unit boundary, never inside a character, an escape, a hex pair or
 *    a number; a cut Name (scep_name_format) ends in "..." so a reader sees it was cut;
 *  - SCEP_FORMAT_INVALID (never a length) means the input is not what the function formats
 *    (not a Name, not an OID encoding); |out| then holds "".
 * BYTES. Every decoder that fills a caller's byte buffer (scep_decode_query's |msg_buf|,
 * the content buffer of scep_decode_pki_message and scep_decode_cert_bundle,
 * scep_base64_decode's |out|) needs at most as many bytes as its input is long: a buffer of
 * the input's length always suffices. scep_decode_input's work area is the exception that
 * proves it: it holds several such buffers (SCEP_INPUT_WORK_SIZE). */
#define SCEP_FORMAT_INVALID ((size_t)-1)

/* Lengths that always suffice (NUL included) for texts of bounded size. */
#define SCEP_TIME_TEXT_MAX 32      /* scep_format_time */
#define SCEP_OID_TEXT_MAX 128      /* scep_oid_to_dotted, for every OID seen in practice */

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

/* scep_named_value_next walks the values one of the three functions above names, in
 * ascending order, with no bound to guess (a Wireshark value_string, a list of choices):
 *
 *     for (long v = -1; (name = scep_named_value_next(scep_pki_status_name, &v)) != NULL;)
 *         add(v, name);   (0 "SUCCESS", 2 "FAILURE", 3 "PENDING")
 *
 * Sets |*value| to the next named value above |*value| (the first one when |*value| < 0)
 * and returns its name; returns NULL, |*value| unchanged, past the last one or when
 * |name_of| is not one of the three. */
const char *scep_named_value_next(const char *(*name_of)(long), long *value);

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

/* scep_oid_to_dotted writes the dotted form of the OID contents |oid|/|len| into |out|, by the
 * text rule above ("Buffer sizes"): returns the length needed, cuts between arcs, and returns
 * SCEP_FORMAT_INVALID for an encoding that is not an OID (empty, a subidentifier cut or not
 * minimal, an arc beyond 64 bits). SCEP_OID_TEXT_MAX (128) suffices for every OID in practice
 * (32 arcs of up to 3 digits); the worst case, 32 arcs near 2^64, needs 671. */
size_t scep_oid_to_dotted(const uint8_t *oid, size_t len, char *out, size_t cap);

/* scep_name_format renders the DER Name (a whole SEQUENCE OF RDN element) at |der|/|len| as an
 * RFC 4514 string, most specific RDN first ("CN=Example CA,O=Example,C=US"), escaping as RFC
 * 4514 asks. Unknown attribute types print dotted; non-string values print as #hex. By the
 * text rule above: returns the length the whole string needs; a cut string ends in "..." at a
 * character boundary. An empty Name (30 00) is a Name: it returns 0 and writes "". Returns
 * SCEP_FORMAT_INVALID and writes "" when |der| is not a Name. A Name cut short (the input ends
 * inside it) renders the RDNs that are whole. */
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
 * character is dropped and flagged SCEP_B64_TRUNCATED. |cap| = |len| always suffices (the rule
 * for byte buffers), and so does len * 3 / 4 + 3. Returns SCEP_DECODE_OK, SCEP_DECODE_PARTIAL (stopped early, out of room, or
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
    bool operation_inferred;   /* |operation| is PKIOperation because the message decodes to
                                * the start of a pkiMessage (a SEQUENCE whose first element is
                                * the OID signedData), though the target names no operation or
                                * one a cut ended (a prefix of "PKIOperation" at the target's
                                * end): a log cut a message-first URL */
} scep_query;

/* scep_decode_query decodes an HTTP request target: a full URL ("https://host/scep?…"), an
 * origin form ("/cgi-bin/pkiclient.exe?operation=…"), or a bare query ("operation=…&message=…").
 * Case of parameter names is ignored; the operation value is matched case-sensitively first,
 * then case-insensitively. The message parameter is decoded into |msg_buf| (at most |msg_cap|
 * bytes; |len| bytes always suffice). Returns SCEP_DECODE_NONE when there is no operation
 * parameter (and none inferred), SCEP_DECODE_PARTIAL when the message could not be fully
 * decoded. A message that starts like a pkiMessage makes the operation PKIOperation when the
 * target names none or a cut ended its value (|operation_inferred| says so).
 * Details: parameters split on '&' only; the first of each name counts; names and the
 * operation value are percent-decoded before matching. The PKIOperation message goes through
 * scep_base64_decode (no form decoding first, so a raw '+' stays '+'); other messages are
 * form-decoded ("%XX" and '+' as space; a '%' that escapes nothing is kept). A missing
 * message is no error (a POST carries it in the body). Error offsets are into |target|
 * (SCEP_SRC_INPUT). On SCEP_DECODE_NONE the spans found are still filled in. */
scep_status scep_decode_query(const char *target, size_t len, uint8_t *msg_buf, size_t msg_cap,
                              scep_query *out);

/* ---------------------------------------------------------------------------------------
 * HTTP messages: is this one SCEP, which operation, how to decode its body
 * ------------------------------------------------------------------------------------- */

/* How the body of an HTTP message is to be decoded. */
typedef enum {
    SCEP_PAYLOAD_NONE = 0,           /* nothing to decode in the body (or no body) */
    SCEP_PAYLOAD_PKI_MESSAGE,        /* DER/BER pkiMessage: scep_decode_pki_message */
    SCEP_PAYLOAD_PKI_MESSAGE_BASE64, /* base64 text of a pkiMessage (some clients POST that):
                                      * scep_base64_decode, then scep_decode_pki_message */
    SCEP_PAYLOAD_CERT_BUNDLE,        /* GetCACert / GetNextCACert answer:
                                      * scep_decode_cert_bundle */
    SCEP_PAYLOAD_CAPS,               /* GetCACaps answer: scep_decode_caps */
    SCEP_PAYLOAD_DER,                /* DER/BER of a kind the transport does not say: try
                                      * scep_decode_pki_message, then scep_decode_cert_bundle */
    SCEP_PAYLOAD_ERROR_TEXT,         /* an HTTP error answer (status outside 2xx): the server's
                                      * complaint, to quote, not to decode */
} scep_payload;

/* Where scep_http_class.operation came from. */
typedef enum {
    SCEP_OPFROM_NONE = 0,
    SCEP_OPFROM_TARGET,       /* the operation parameter of the request target */
    SCEP_OPFROM_REQUEST,      /* the caller's |request_operation| (a response) */
    SCEP_OPFROM_MESSAGE,      /* inferred: no operation parameter (missing, or cut off a
                               * logged URL), but the message parameter decodes to the start
                               * of a pkiMessage */
    SCEP_OPFROM_CONTENT_TYPE, /* inferred from the media type of the body */
    SCEP_OPFROM_BODY,         /* inferred: the body is a pkiMessage and the caller said the
                               * message is SCEP (|assume_scep|) */
} scep_operation_source;

/* One HTTP message as the caller's transport layer sees it. Every pointer may be NULL (with
 * length 0) when the caller does not know that part. */
typedef struct {
    bool is_response;
    /* The request target ("/scep?operation=...", a full URL, or a bare query). For a response:
     * the target of the request it answers, when the caller knows it. */
    const char *target;
    size_t target_len;
    const char *content_type;  /* Content-Type header value as sent, parameters included */
    size_t content_type_len;
    const uint8_t *body;       /* the entity body, transfer coding removed */
    size_t body_len;
    unsigned status_code;      /* a response's status code; 0 when unknown */
    /* A response: the operation of its request when the caller already classified that
     * request as SCEP; SCEP_OP_NONE when the request is unknown or was not SCEP. */
    scep_operation request_operation;
    /* The caller knows the message is SCEP (a file handed to a SCEP decoder): the body is
     * decoded by its content even without a SCEP target or media type. Off for traffic, so
     * that unrelated HTTP (text/plain pages, AIA certificate downloads) stays untouched. */
    bool assume_scep;
    /* |target| as scep_decode_query decoded it (into a message buffer of any size), when the
     * caller already has that: classification then reads it instead of decoding the target
     * again. NULL: the target is decoded here. Spans in the class point where its spans do. */
    const scep_query *target_query;
} scep_http_message;

typedef struct {
    bool is_scep;
    bool interim;                /* a 1xx answer: not SCEP, the real answer follows */
    scep_operation operation;    /* SCEP_OP_NONE when not known */
    scep_operation_source operation_source;
    scep_span operation_text;    /* the operation parameter as sent (into |target|), for
                                  * operations the library does not know */
    bool message_in_target;      /* a request whose target carries a message parameter:
                                  * decode it with scep_decode_query */
    scep_payload payload;
} scep_http_class;

/* scep_classify_http decides whether the HTTP message |m| is SCEP, which operation it
 * carries or answers, and how its body is to be decoded; one policy for every consumer (the
 * CLI and the Wireshark plugin use it). Reads only the bytes |m| points at, allocates
 * nothing. The rules, in order:
 *   - a 1xx response is interim: not SCEP;
 *   - a request is SCEP when its target's operation parameter names an RFC 8894 or NDES
 *     operation; an unknown operation counts only on a SCEP-looking path ("scep",
 *     "pkiclient", "mscep", any case) or with an application/x-pki-message body, so that web
 *     applications with an "operation" parameter stay untouched; without an operation, a
 *     message parameter that decodes to the start of a pkiMessage makes it PKIOperation
 *     (SCEP_OPFROM_MESSAGE), and so does an application/x-pki-message body;
 *   - a response is SCEP when |request_operation| says its request was, when its request's
 *     |target| classifies as SCEP, or, its request unknown, when its media type is one only
 *     SCEP uses (application/x-pki-message, x-x509-ca-ra-cert, x-x509-next-ca-cert); a bare
 *     application/x-x509-ca-cert is also what browsers fetch for AIA, so it counts only with
 *     a SCEP request or |assume_scep|;
 *   - the payload follows the operation (PKIOperation: a pkiMessage, DER or base64 text;
 *     GetCACert and GetNextCACert: a bundle; GetCACaps: capabilities), else the media type,
 *     else (|assume_scep|) the body's first byte; a response with a status outside 2xx is
 *     SCEP_PAYLOAD_ERROR_TEXT whatever it carries; an empty body is SCEP_PAYLOAD_NONE. */
void scep_classify_http(const scep_http_message *m, scep_http_class *out);

/* scep_media_type_operation returns the operation whose answer the media type |type|/|len|
 * (parameters allowed, any case) announces: x-pki-message PKIOperation, x-x509-ca-cert and
 * x-x509-ca-ra-cert GetCACert, x-x509-next-ca-cert GetNextCACert; SCEP_OP_NONE otherwise. */
scep_operation scep_media_type_operation(const char *type, size_t len);

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

/* A pkcsPKIEnvelope decoded on its own: the envelope, and the errors and truncation of that
 * decode, in the result like every decoder's. */
typedef struct {
    scep_envelope envelope;
    bool truncated;                 /* the input ends before the envelope does */
    scep_errors errors;
} scep_pki_envelope;

/* scep_decode_pki_envelope decodes a pkcsPKIEnvelope (ContentInfo of EnvelopedData, or a bare
 * EnvelopedData) on its own, e.g. one extracted by another tool or decrypted by an RA.
 * Truncated or malformed input decodes as far as it goes, as for scep_decode_pki_message. The
 * result's spans point into |data|. Returns |out|'s status: SCEP_DECODE_NONE when |data| is not
 * an envelope at all. */
scep_status scep_decode_pki_envelope(const uint8_t *data, size_t len, scep_pki_envelope *out);

/* scep_decode_envelope is scep_decode_pki_envelope with the result's parts in separate
 * arguments (|truncated| may be NULL); kept unchanged for programs written against its first
 * signature. New code: scep_decode_pki_envelope. */
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
 * One call from any input: scep_decode_input
 * ------------------------------------------------------------------------------------- */

/* The form an input was recognised as, in the order scep_decode_input tries them. */
typedef enum {
    SCEP_FORM_NONE = 0,
    SCEP_FORM_HTTP_REQUEST,  /* "GET /scep?operation=... HTTP/1.1", header fields, body */
    SCEP_FORM_HTTP_RESPONSE, /* "HTTP/1.1 200 OK", header fields, body */
    SCEP_FORM_QUERY,         /* a URL, origin-form target or bare query (also one URL in a line
                              * of a log) */
    SCEP_FORM_PEM,           /* -----BEGIN PKCS7----- / CMS / CERTIFICATE ... */
    SCEP_FORM_DER,           /* binary DER or BER, first byte 0x30 */
    SCEP_FORM_CAPS,          /* GetCACaps text: printable lines */
    SCEP_FORM_BASE64,        /* base64 text (possibly wrapped) of a DER element */
} scep_input_form;

/* "HTTP request", "HTTP response", "URL / query string", "PEM", "DER/BER", "GetCACaps text",
 * "base64 text"; "unrecognised" for SCEP_FORM_NONE. */
const char *scep_input_form_name(scep_input_form form);

/* What an input decoded to: which member of scep_input holds it. */
typedef enum {
    SCEP_INPUT_NONE = 0,
    SCEP_INPUT_REQUEST,     /* a request (target, or HTTP request) without a pkiMessage:
                             * GetCACert, GetCACaps, ... or a message that decoded to nothing;
                             * see |query| */
    SCEP_INPUT_PKI_MESSAGE, /* |pki| */
    SCEP_INPUT_BUNDLE,      /* |bundle|: GetCACert / GetNextCACert answer, certs-only */
    SCEP_INPUT_CAPS,        /* |caps| */
} scep_input_kind;

/* "request", "pki_message", "bundle", "caps"; NULL for SCEP_INPUT_NONE. */
const char *scep_input_kind_name(scep_input_kind kind);

/* An HTTP message as scep_decode_input framed it. Pointers point into the input, except
 * |body|, which points into the work area when the body was chunked. */
typedef struct {
    bool is_request;
    const char *method;        /* request: "GET", "POST", ... */
    size_t method_len;
    const char *target;        /* request: the target as sent */
    size_t target_len;
    int status;                /* response: status code */
    const char *reason;        /* response: reason phrase */
    size_t reason_len;
    const char *content_type;  /* Content-Type value, NULL when absent */
    size_t content_type_len;
    bool has_content_length;
    size_t content_length;
    bool chunked;              /* Transfer-Encoding: chunked (joined) */
    size_t chunk_count;        /* data chunks joined */
    bool headers_complete;     /* the blank line ending the header fields was found */
    bool body_truncated;       /* fewer body bytes than the framing announced */
    size_t body_offset;        /* where the body starts in the input */
    const uint8_t *body;
    size_t body_len;
    size_t consumed;           /* bytes of input this message spans */
} scep_http_parsed;

/* What the caller knows about an input; every field may be left zero. */
typedef struct {
    /* The operation the input carries or answers (a GetCACert answer saved to a file). */
    scep_operation operation;
    /* The bytes are a URL or query string (a command-line argument), not a file's content:
     * decoded as a request target even without "operation=". */
    bool is_url;
} scep_input_hints;

#define SCEP_INPUT_MAX_NOTES 16

/* One input, decoded. Caller-owned (about 31 KB; see the README's sizes): spans point into
 * the input and the work area, keep both alive while using it. */
typedef struct {
    scep_input_form form;
    scep_input_kind kind;
    scep_status status;         /* of the whole input: the request's and the message's */
    scep_operation operation;   /* known from the request, the media type, the caller, or
                                 * inferred (a pkiMessage with a messageType, caps text) */
    bool operation_from_request; /* named by the request target */
    bool has_http;
    scep_http_parsed http;
    scep_http_class http_class; /* scep_classify_http's verdict on |http| */
    bool has_query;
    scep_query query;           /* the request target (of a URL, or of an HTTP request) */
    const uint8_t *query_message; /* scep_decode_query's message buffer (in the work area) */
    char pem_label[32];         /* "PKCS7", "CERTIFICATE", ... for SCEP_FORM_PEM */
    unsigned base64_forms;      /* SCEP_B64_* seen in base64 text or a PEM body */
    bool der_from_text;         /* |der| was decoded from PEM or base64 text */
    const uint8_t *der;         /* the bytes decoded into |pki|, |bundle| or |caps| */
    size_t der_len;
    const uint8_t *content;     /* the content buffer those results point into (work area) */
    scep_pki_message pki;
    scep_cert_bundle bundle;
    scep_caps caps;
    const char *problem;        /* a fault no decoder sees (a request without its message, cut
                                 * header fields): static text, or NULL */
    const char *notes[SCEP_INPUT_MAX_NOTES]; /* transport notes ("PEM armor removed", ...) */
    size_t note_count;
    size_t consumed;            /* bytes of input this message used: an HTTP stream saved whole
                                 * holds more than one (call again on the rest while
                                 * scep_looks_like_http says another follows) */
} scep_input;

/* Work area scep_decode_input needs for |len| input bytes (the rule for byte buffers, several
 * times over: a joined HTTP body, a query's message, base64 text compacted and decoded, and
 * two content buffers). */
#define SCEP_INPUT_WORK_SIZE(len) (6 * (size_t)(len) + 64)

/* scep_decode_input detects the form of |data|/|len| (HTTP message, URL or query string, PEM,
 * DER/BER, GetCACaps text, base64 text, tried in that order), unwraps the transport and decodes
 * what is inside into |out|: a pkiMessage, a certificate bundle, GetCACaps capabilities, or a
 * request without a pkiMessage. |hints| (may be NULL) says what the caller knows. |work|/
 * |work_cap| is scratch for the bytes unwrapping produces; SCEP_INPUT_WORK_SIZE(len) always
 * suffices, less is recorded as SCEP_ERR_CAPACITY when it runs out. Allocates nothing.
 * The policy: an HTTP message goes through scep_classify_http (with assume_scep: the caller
 * handed it to a SCEP decoder), which says the operation and how the body is decoded; a
 * request's target is decoded too, and the body only when the target carried no pkiMessage.
 * DER whose kind nothing says is decoded as a pkiMessage when it has SCEP attributes or an
 * envelope, else as a bundle when it carries certificates or CRLs. Text counts as GetCACaps
 * only when a line is a known capability, or the operation says so. Returns |out->status|:
 * SCEP_DECODE_NONE when nothing decoded. Only the first HTTP message of a stream is decoded:
 * |out->consumed| says where the next one starts. */
scep_status scep_decode_input(const uint8_t *data, size_t len, const scep_input_hints *hints,
                              uint8_t *work, size_t work_cap, scep_input *out);

/* scep_looks_like_http: does |data| start with an HTTP request line ("METHOD target HTTP/x")
 * or status line ("HTTP/x nnn")? */
bool scep_looks_like_http(const uint8_t *data, size_t len);

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
 * not NULL) saying why.
 * OpenSSL: both functions above work in a library-private OpenSSL context (OSSL_LIB_CTX) with
 * the default provider, created once by the first call from any thread; the first decryption
 * adds the legacy provider to it, once (single DES, still sent by micromdm and scepclient,
 * lives there). The host program's default OpenSSL
 * context is never touched: no provider is loaded into it, nothing is fetched from it. They
 * live in libscepdec_crypto.a (pkg-config scepdec, CMake scepdec::scepdec); the rest of the
 * library needs no OpenSSL. */
scep_status scep_decrypt_envelope(const scep_pki_message *msg, const uint8_t *key, size_t key_len,
                                  const uint8_t *cert, size_t cert_len, uint8_t *out, size_t cap,
                                  size_t *out_len, scep_error *error);

/* ---------------------------------------------------------------------------------------
 * JSON: the keys are a contract, documented in scepdec(1), section JSON, and every one with
 * its type in the source tree's docs/interfaces.md
 * ------------------------------------------------------------------------------------- */

/* Each writes one JSON object (no trailing newline) into |out| by the text rule ("Buffer
 * sizes" above): returns the length the whole object needs; a return >= cap means it was cut. |operation| may be SCEP_OP_NONE when unknown. */
size_t scep_json_pki_message(const scep_pki_message *msg, scep_operation operation, char *out,
                             size_t cap);
size_t scep_json_cert_bundle(const scep_cert_bundle *bundle, scep_operation operation, char *out,
                             size_t cap);
size_t scep_json_caps(const scep_caps *caps, char *out, size_t cap);

/* scep_json_query writes one JSON object for an HTTP request target decoded by
 * scep_decode_query: "operation" (the RFC 8894 name, or the text as sent when unknown),
 * "operation_inferred": true when scep_decode_query inferred PKIOperation from the message,
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

/* Where a log scanner (scepdec --scan) found a message. Strings are NUL-terminated; NULL, 0
 * and false leave their key out. */
typedef struct {
    const char *file;        /* "file": the log as the user named it */
    uint64_t line;           /* "line": 1-based line where the message starts */
    const char *time;        /* "time": the line's time as written in the log */
    const char *client;      /* "client": the client's address, when the log names it */
    bool has_http_status;
    int http_status;         /* "http_status": the HTTP status the log gives the request */
    bool has_http_substatus;
    int http_substatus;      /* "http_substatus": IIS's sc-substatus (404.15: query too long) */
    const char *source;      /* "source": "url", "iis", "jscep", "pem" or "base64" */
} scep_log_origin;

/* What opening a pkiMessage's envelope gave (scep_decrypt_envelope, then
 * scep_decode_request_content or scep_decode_cert_bundle on the plaintext), as JSON writes it
 * after "verification": "decrypted" is |request| as scep_json_request_content writes it, or
 * else |issued| as scep_json_cert_bundle writes it (no operation); with neither, when |failed|,
 * "decrypted": null and "decrypt_error": |error| (escaped like every string; "unknown" when
 * NULL). With none of the three, no key. */
typedef struct {
    const scep_request_content *request; /* a request's content: CSR or identifiers */
    const scep_cert_bundle *issued;      /* a CertRep's content: the issued certificates */
    bool failed;                         /* decryption was tried and failed */
    const char *error;                   /* why, NUL-terminated (scep_error.message) */
} scep_decrypted;

/* One decoded message and what its caller learnt about it, for scep_json_message and
 * scep_json_log_record. The first of |query| (when it has an operation), |pki|, |bundle| and
 * |caps| that is not NULL is written as scep_json_query, scep_json_pki_message,
 * scep_json_cert_bundle or scep_json_caps write it; with none of them, "operation" and the
 * SCEP attributes in |facts| (a CertRep a log describes in words, such as jscep's CertRep
 * toString), "truncated": false, no errors. Then "verification" and "decrypted" when given.
 * Zero-initialise it (members may be added at the end in later versions; NULL leaves their
 * keys out). */
typedef struct {
    scep_operation operation;              /* for |pki|, |bundle| and |facts| */
    const scep_query *query;
    const uint8_t *query_message;          /* the msg_buf |query| was decoded into */
    const scep_pki_message *pki;           /* the pkiMessage (also the one |query| carries) */
    const scep_cert_bundle *bundle;
    const scep_signer *facts;              /* message_type ... recipient_nonce only */
    const scep_verification *verification; /* written as "verification" when not NULL */
    const scep_caps *caps;                 /* a GetCACaps answer */
    const scep_decrypted *decrypted;       /* written as "decrypted" when not NULL */
} scep_log_message;

/* scep_json_message writes one JSON object: the keys of |msg| (scepdec --json writes this).
 * scep_json_log_record writes one JSON object: the keys of |origin|, then those of |msg|
 * (scepdec --scan --json). Both return and cut like the functions above. */
size_t scep_json_message(const scep_log_message *msg, char *out, size_t cap);
size_t scep_json_log_record(const scep_log_origin *origin, const scep_log_message *msg,
                            char *out, size_t cap);

/* scep_format_time writes |seconds| since the epoch as ISO 8601 UTC ("YYYY-MM-DDTHH:MM:SSZ")
 * into |out| by the text rule above: returns the length needed (20 for years 0000-9999), and
 * writes the time whole or not at all ("" when cut). SCEP_TIME_TEXT_MAX (32) always suffices. */
size_t scep_format_time(int64_t seconds, char *out, size_t cap);

/* scep_key_usage_name returns RFC 5280's name of the one SCEP_KU_* flag |flag|
 * ("digitalSignature", "keyCertSign", ...) or NULL when |flag| is not exactly one known flag.
 * Walk a set with scep_flag_next, or write it whole with scep_key_usage_format (below). */
const char *scep_key_usage_name(unsigned flag);

/* scep_base64_form_name returns a short name of the one SCEP_B64_* flag |flag|
 * ("percent-escaped", "raw-plus-slash", "space-as-plus", "url-safe", "no-padding",
 * "line-breaks", "truncated") or NULL when |flag| is not exactly one known flag. Walk a set
 * with scep_flag_next, or write it whole with scep_base64_forms_format (below). */
const char *scep_base64_form_name(unsigned flag);

/* scep_hex_format writes |data|/|len| as lowercase hex without separators (the JSON form of
 * nonces, serials and key identifiers) by the text rule above: 2 * |len| characters needed,
 * cut between pairs. */
size_t scep_hex_format(const uint8_t *data, size_t len, char *out, size_t cap);

/* scep_number_attr_format writes a numeric SCEP attribute (messageType, pkiStatus, failInfo)
 * the way the CLI shows it, by the text rule above: "PKCSReq (19)" with the name |name_of|
 * gives (scep_message_type_name, scep_pki_status_name, scep_fail_info_name; may be NULL),
 * "unknown value (7)" when it has none, "\"abc\" (not a decimal number)" when the text sent
 * is no number (control characters, '"', '\\' and non-ASCII bytes as \xHH). An absent
 * attribute returns 0 and writes "". */
size_t scep_number_attr_format(const scep_number_attr *attr, const char *(*name_of)(long),
                               char *out, size_t cap);

/* Names of the library's kinds, as the JSON output spells them; NULL for a NONE or unknown
 * value: "certificate", "certs-only", "signed"; "csr", "issuer_and_subject",
 * "issuer_and_serial"; "ktri", "kari", "kekri", "pwri", "other". */
const char *scep_bundle_kind_name(scep_bundle_kind kind);
const char *scep_content_kind_name(scep_content_kind kind);
const char *scep_recipient_kind_name(scep_recipient_kind kind);

/* ---------------------------------------------------------------------------------------
 * Words for people: what the text report (scepdec) and the Wireshark plugin show
 * ---------------------------------------------------------------------------------------
 * The *_name functions give each value one spelling, used by every renderer. Where JSON
 * needs a machine value (a kind, a list) and people need words, the JSON spelling is the
 * *_name function and the words are the *_text function or one of the SCEP_WORDS_* below;
 * the text report and the plugin show the same words, so one fact reads the same in both:
 *
 *   value               text report and plugin              JSON (scepdec(1), section JSON)
 *   absent              SCEP_WORDS_ABSENT, or left out       key left out, never null
 *   empty Name (30 00)  SCEP_WORDS_EMPTY_NAME                ""
 *   unreadable Name     SCEP_WORDS_UNREADABLE_NAME           "<key>_der": the element in hex
 *   unknown number      "unknown value (7)"                  the number, no "<key>_name"
 *   not a number        "\"abc\" (not a decimal number)"     "<key>_raw": the text as sent
 *   no key usage bit    SCEP_WORDS_NO_KEY_USAGE              "key_usage": []
 *   plain base64        SCEP_WORDS_STANDARD_BASE64           no "base64_forms"
 *   unknown capability  the line as sent, then               the line as sent, also listed
 *                       SCEP_WORDS_UNKNOWN_CAPABILITY        in "unknown_capabilities"
 *   flag without a name "bit 9"                              left out of the list
 *
 * (scep_number_attr_format writes the two number cases.) */
#define SCEP_WORDS_ABSENT "(absent)"
#define SCEP_WORDS_EMPTY_NAME "(empty name)"
#define SCEP_WORDS_UNREADABLE_NAME "(unreadable name)"
#define SCEP_WORDS_NO_KEY_USAGE "(none)"
#define SCEP_WORDS_STANDARD_BASE64 "standard"
#define SCEP_WORDS_UNKNOWN_CAPABILITY "(unknown capability)"

/* scep_name_text writes the Name at |der|/|len| for people, by the text rule ("Buffer sizes"):
 * scep_name_format's RFC 4514 string, or SCEP_WORDS_EMPTY_NAME for an empty Name,
 * SCEP_WORDS_UNREADABLE_NAME for bytes that are not a Name, SCEP_WORDS_ABSENT when |der| is
 * NULL. Never returns SCEP_FORMAT_INVALID: callers that must tell the cases apart (to show
 * the bytes of an unreadable Name) call scep_name_format. */
size_t scep_name_text(const uint8_t *der, size_t len, char *out, size_t cap);

/* Flag sets (SCEP_KU_*, SCEP_B64_*) are walked with scep_flag_next, never with a bound tied
 * to how many flags a set has today:
 *
 *     for (unsigned rest = cert->key_usage, flag; (flag = scep_flag_next(&rest)) != 0;)
 *         use(scep_key_usage_name(flag));   (NULL for a bit the library has no name for)
 *
 * scep_flag_next takes the lowest flag set in |*flags| out of it and returns it (one bit);
 * returns 0 when |*flags| is 0 (or |flags| NULL). scep_flag_bit is that flag's bit number
 * (0 for bit 0 = 0x1; 32 for a value that is not exactly one bit). */
unsigned scep_flag_next(unsigned *flags);
unsigned scep_flag_bit(unsigned flag);

/* scep_flags_format writes the names |name_of| gives the flags set in |flags| (one of the
 * *_name functions above), in bit order, ", " between them ("digitalSignature,
 * keyEncipherment"), a bit without a name as "bit N", by the text rule (cut between names);
 * "" for an empty set. scep_key_usage_format and scep_base64_forms_format do that for their
 * set, and write an empty set as SCEP_WORDS_NO_KEY_USAGE or SCEP_WORDS_STANDARD_BASE64. */
size_t scep_flags_format(unsigned flags, const char *(*name_of)(unsigned), char *out, size_t cap);
size_t scep_key_usage_format(unsigned flags, char *out, size_t cap);
size_t scep_base64_forms_format(unsigned flags, char *out, size_t cap);

/* People's words for the library's kinds (NULL for NONE or an unknown value):
 * scep_bundle_kind_text: "single certificate", "certs-only PKCS#7", "signed PKCS#7 over
 * certs-only" (also the values of the plugin's scep.bundle_kind field);
 * scep_content_kind_text: "PKCS#10 certificate request", "IssuerAndSubject",
 * "IssuerAndSerialNumber". */
const char *scep_bundle_kind_text(scep_bundle_kind kind);
const char *scep_content_kind_text(scep_content_kind kind);

#ifdef __cplusplus
}
#endif
#endif /* SCEPDEC_H */
