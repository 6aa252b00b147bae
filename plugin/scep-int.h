/* scep-int.h — what the plugin's files share: the registered ids (defined in scep-register.c),
 * the preferences, the types that travel between files, and each file's entry points.
 * Internal to the plugin; Wireshark sees only plugin.c and scep-register.h. Include it before
 * any Wireshark header: it defines WS_BUILD_DLL first. */
#ifndef SCEP_INT_H
#define SCEP_INT_H

#ifndef WS_BUILD_DLL
#define WS_BUILD_DLL
#endif
#include <ws_version.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/expert.h>
#include <epan/tap.h>

#include <stdbool.h>
#include <string.h>

#include <scepdec.h>

#include "scep-http.h"

#define SCEP_NAME_CAP 1024   /* RFC 4514 text of one Name; the library cuts with "..." */

/* ---- Registered ids (scep-register.c) ----------------------------------------------- */

extern int proto_scep;
extern int scep_tap;

extern int hf_scep_operation;
extern int hf_scep_ca_ident;
extern int hf_scep_message;
extern int hf_scep_message_forms;
extern int hf_scep_message_type;
extern int hf_scep_pki_status;
extern int hf_scep_fail_info;
extern int hf_scep_fail_info_text;
extern int hf_scep_transaction_id;
extern int hf_scep_sender_nonce;
extern int hf_scep_recipient_nonce;
extern int hf_scep_signing_time;
extern int hf_scep_digest_algorithm;
extern int hf_scep_signature_algorithm;
extern int hf_scep_content_encryption_algorithm;
extern int hf_scep_signer;
extern int hf_scep_signer_issuer;
extern int hf_scep_signer_serial;
extern int hf_scep_signer_ski;
extern int hf_scep_envelope;
extern int hf_scep_envelope_iv;
extern int hf_scep_envelope_encrypted_length;
extern int hf_scep_recipient;
extern int hf_scep_recipient_issuer;
extern int hf_scep_recipient_serial;
extern int hf_scep_recipient_ski;
extern int hf_scep_recipient_key_encryption_algorithm;
extern int hf_scep_certificate_count;
extern int hf_scep_crl_count;
extern int hf_scep_certificate;
extern int hf_scep_certificate_subject;
extern int hf_scep_certificate_issuer;
extern int hf_scep_certificate_serial;
extern int hf_scep_certificate_not_before;
extern int hf_scep_certificate_not_after;
extern int hf_scep_certificate_public_key_algorithm;
extern int hf_scep_certificate_public_key_bits;
extern int hf_scep_certificate_signature_algorithm;
extern int hf_scep_certificate_role;
extern int hf_scep_certificate_key_usage;
extern int hf_scep_certificate_is_ca;
extern int hf_scep_certificate_self_issued;
extern int hf_scep_bundle_kind;
extern int hf_scep_capability;
extern int hf_scep_indefinite_lengths;
extern int hf_scep_content_chunks;
extern int hf_scep_truncated;
extern int hf_scep_response_in;
extern int hf_scep_response_to;
extern int hf_scep_response_time;
extern int hf_scep_http_status;
extern int hf_scep_check_message_digest;
extern int hf_scep_check_signature;
extern int hf_scep_decrypted;
extern int hf_scep_csr;
extern int hf_scep_csr_subject;
extern int hf_scep_csr_public_key_algorithm;
extern int hf_scep_csr_challenge_password;
extern int hf_scep_csr_challenge_password_length;
extern int hf_scep_csr_extension_request;
extern int hf_scep_csr_signature_algorithm;
extern int hf_scep_content;
extern int hf_scep_content_issuer;
extern int hf_scep_content_subject;
extern int hf_scep_content_serial;
extern int hf_scep_diagnosis;
extern gint ett_scep;
extern gint ett_scep_signer;
extern gint ett_scep_envelope;
extern gint ett_scep_recipient;
extern gint ett_scep_certificate;
extern gint ett_scep_certificates;
extern gint ett_scep_decrypted;
extern gint ett_scep_content;
extern expert_field ei_scep_failure;
extern expert_field ei_scep_pending;
extern expert_field ei_scep_malformed;
extern expert_field ei_scep_truncated;
extern expert_field ei_scep_missing;
extern expert_field ei_scep_unsupported;
extern expert_field ei_scep_capacity;
extern expert_field ei_scep_nonce_mismatch;
extern expert_field ei_scep_nonce_reused;
extern expert_field ei_scep_tid_mismatch;
extern expert_field ei_scep_unknown_operation;
extern expert_field ei_scep_unknown_message_type;
extern expert_field ei_scep_deprecated_algorithm;
extern expert_field ei_scep_http_error;
extern expert_field ei_scep_not_numeric;
extern expert_field ei_scep_cms_incomplete;
extern expert_field ei_scep_base64_body;
extern expert_field ei_scep_check_failed;
extern expert_field ei_scep_not_decrypted;
extern expert_field ei_scep_diagnosis_error;
extern expert_field ei_scep_diagnosis_warning;
extern expert_field ei_scep_diagnosis_note;

/* ---- Preferences (scep-register.c) ------------------------------------------------- */

/* A boolean preference, stored as the registering release wants it (see scep-register.c). */
typedef struct {
    gboolean as_gboolean;
    bool as_bool;
} scep_bool_pref;

gboolean pref_on(const scep_bool_pref *p);

extern scep_bool_pref pref_call_cms;
extern scep_bool_pref pref_verify;
extern const char *pref_key_files;
extern scep_bool_pref pref_show_challenge;

/* ---- Shared types --------------------------------------------------------------- */

/* Where the library's spans point: SCEP_SRC_INPUT spans are offsets from |input_base| in
 * |input|; SCEP_SRC_CONTENT spans are offsets in |content| (NULL when nothing was joined). */
typedef struct {
    packet_info *pinfo;
    tvbuff_t *input;
    gint input_base;
    tvbuff_t *content;
} span_sources;

/* Bytes of a data source; tvb NULL when there are none. */
typedef struct {
    tvbuff_t *tvb;
    gint offset;
    gint length;
} scep_bytes;


/* What the Info column, the tap and the tracking need to know about one message. */
typedef struct {
    gboolean is_request;
    scep_operation operation;
    const char *operation_text;  /* name or as sent */
    gint message_type;           /* -1 absent */
    gint pki_status;
    gint fail_info;
    const char *transaction_id;
    const guint8 *sender_nonce;
    gsize sender_nonce_len;
    const guint8 *recipient_nonce;
    gsize recipient_nonce_len;
    proto_item *sender_nonce_item;
    proto_item *recipient_nonce_item;
    proto_item *transaction_id_item;
    gint certificate_count;      /* -1 when no certificate bundle was decoded */
    const char *caps;            /* GetCACaps response: "AES, SHA-256, ..." (NULL when none) */
    gboolean truncated;
    gboolean malformed;
    guint http_status;           /* responses */
    gboolean has_signing_time;   /* for the clock-skew diagnosis */
    gint64 signing_time;
    const char *fail_info_text;  /* UTF-8, NULL when absent */
    const char *failed_check;    /* "signature" or "messageDigest" when one FAILED */
    const char *http_complaint;  /* first line of an HTTP error answer's text */
    const char *diagnoses;       /* codes of its scep.diagnosis items, blank separated */
    /* What was decoded, for the diagnoses (packet scope; NULL when not decoded). */
    const scep_pki_message *pki;
    const scep_cert_bundle *bundle;
    const scep_caps *caps_decoded;
} scep_summary;


/* One SCEP message as remembered for the whole capture (scep-track.c fills it in the first
 * pass; it is kept in the message's frame memo, scep-dispatch.c). */
typedef struct {
    guint32 frame;              /* 0 until the first pass has filled the record */
    nstime_t ts;
    gboolean is_request;
    scep_operation operation;
    const char *operation_text; /* as sent, for unknown operations */
    gint message_type;          /* -1 when absent */
    const char *transaction_id; /* NULL when absent */
    const guint8 *sender_nonce;
    gsize sender_nonce_len;
    guint32 peer_frame;         /* response_in for a request, response_to for a response */
    gboolean linked_by_nonce;
} scep_record;

/* ---- scep-render.c: spans to tree items ----------------------------------------- */

/* span_locate finds |span| in |src|: TRUE with its tvb, offset and length; FALSE (outputs
 * untouched) when the span is absent or lies in no data source of this frame. */
gboolean span_locate(const span_sources *src, scep_span span, tvbuff_t **tvb, gint *offset,
                     gint *length);
/* span_bytes: span_locate's answer, { NULL, 0, 0 } when it finds nothing. */
scep_bytes span_bytes(const span_sources *src, scep_span span);
/* flag_names: the library's names of the flags set in |flags|, comma separated. */
const char *flag_names(wmem_allocator_t *scope, unsigned flags, const char *(*name_of)(unsigned));
proto_item *add_span_item(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                          guint encoding);
proto_item *add_span_string(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                            const char *value);
proto_item *add_span_uint(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                          guint32 value);
proto_item *add_span_time(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                          gint64 seconds);
/* scep_strndup returns what wmem_strndup returns (the first |len| bytes of |src|, up to a
 * NUL, terminated) in |pool|, copied whole: wmem_strndup copies byte by byte, which shows
 * at the transactionID and Info text of every message of a summary pass. */
static inline char *scep_strndup(wmem_allocator_t *pool, const char *src, size_t len)
{
    const char *nul = (const char *)memchr(src, 0, len);
    size_t n = nul != NULL ? (size_t)(nul - src) : len;
    char *copy = (char *)wmem_alloc(pool, n + 1);
    memcpy(copy, src, n);
    copy[n] = 0;
    return copy;
}

/* DECODER_RESULT: a decoder's result in packet scope, not cleared: the library sets every
 * field it does not fill as an array entry, and clearing ~12 KB per message would cost more
 * than decoding it. */
#define DECODER_RESULT(pinfo, type) wmem_new((pinfo)->pool, type)

/* format_name: RFC 4514 text of a Name (packet scope); NULL when absent, else the words of
 * scep_name_text ("(empty name)", "(unreadable name)"). */
const char *format_name(const span_sources *src, scep_span name);
proto_item *add_name(proto_tree *tree, int hf, const span_sources *src, scep_span name);
proto_item *add_algorithm(proto_tree *tree, int hf, const span_sources *src, const scep_algorithm *alg);
/* experts_observed: whether an expert info's text reaches anyone: a tree is being built, or
 * the expert tap has a listener (tshark -z expert, the GUI's Expert Information). Without
 * either, Wireshark keeps only the severity: the frame's highest, which the Expert column
 * shows when a tree is built. Recorded one by one without items, the column would show the
 * last one's severity instead; so the plugin keeps the frame's highest (expert_unobserved)
 * and records it once, after the frame's last SCEP message (expert_flush_unobserved). */
gboolean experts_observed(const proto_tree *tree);
/* severity_shown: whether the columns being filled include the Expert column, the one place
 * the severity of an unobserved expert info shows (tshark's default columns do not). When
 * neither it nor experts_observed holds, an expert info changes nothing anyone sees, and the
 * work that only finds expert infos (deprecated algorithms, diagnoses) is skipped. */
gboolean severity_shown(const packet_info *pinfo);
void expert_unobserved(packet_info *pinfo, expert_field *ei);
void expert_flush_unobserved(packet_info *pinfo);
/* scep_expert_severity: the severity |ei| was registered with (PI_NOTE, ...); 0 when it is
 * not the plugin's. */
int scep_expert_severity(const expert_field *ei);
/* Walks that add nothing but items and deprecated-algorithm expert infos are skipped when
 * nothing is observed (no tree, no expert tap): of their expert infos only the severity counts
 * then (see experts_observed), so the walk is replaced by one flag_deprecated_unobserved when
 * algorithm_deprecated holds for any of its algorithms. */
gboolean algorithm_deprecated(const scep_algorithm *alg);
void flag_deprecated_unobserved(packet_info *pinfo);
/* EXPERT_FORMAT(tree, pinfo, item, ei, format, ...): expert_add_info_format when
 * experts_observed(tree), else expert_unobserved; the arguments are evaluated only in the
 * first case, so they may be costly to compute. EXPERT_INFO(tree, pinfo, item, ei): the same
 * for expert_add_info. */
#define EXPERT_FORMAT(tree, pinfo, item, ei, ...)                                    \
    do {                                                                             \
        if (experts_observed(tree))                                                  \
            expert_add_info_format((pinfo), (item), (ei), __VA_ARGS__);              \
        else                                                                         \
            expert_unobserved((pinfo), (ei));                                        \
    } while (0)
#define EXPERT_INFO(tree, pinfo, item, ei)                                           \
    do {                                                                             \
        if (experts_observed(tree))                                                  \
            expert_add_info((pinfo), (item), (ei));                                  \
        else                                                                         \
            expert_unobserved((pinfo), (ei));                                        \
    } while (0)
void add_expert_at(proto_tree *tree, packet_info *pinfo, expert_field *ei, const scep_bytes *at,
                   const char *text);
/* add_errors: each of the library's errors as an expert info at the bytes it names. */
void add_errors(proto_tree *tree, const span_sources *src, const scep_errors *errors);
/* add_decoder_errors: add_errors for a payload decoder's result; any error marks the message
 * malformed in |sum|. */
void add_decoder_errors(proto_tree *tree, const span_sources *src, const scep_errors *errors,
                        scep_summary *sum);
void add_identifier(proto_tree *tree, int hf_issuer, int hf_serial, int hf_ski, const span_sources *src,
                    const scep_identifier *id);
/* number_attr adds a decimal-string attribute (messageType, pkiStatus, failInfo). Returns its
 * value, -1 when absent or not a number (flagged); its item in |item_out| when not NULL. */
gint number_attr(proto_tree *tree, int hf, const span_sources *src, const scep_number_attr *a,
                 const char *(*name_of)(long), expert_field *unknown_ei, proto_item **item_out);
proto_item *add_generated_uint(proto_tree *tree, int hf, guint32 value);
proto_item *add_generated_boolean(proto_tree *tree, int hf, gboolean value);
proto_item *add_generated_string(proto_tree *tree, int hf, const char *value);
/* add_generated_flags: "0x<hex_digits> (name, name, ...)" from the library's flag names. */
proto_item *add_generated_flags(proto_tree *tree, int hf, packet_info *pinfo, guint32 flags, int hex_digits,
                                const char *(*name_of)(unsigned));
/* mark_truncated adds scep.truncated and notes it in |sum|. */
void mark_truncated(proto_tree *tree, scep_summary *sum);
tvbuff_t *join_content(packet_info *pinfo, tvbuff_t *input, const uint8_t *content_buf, size_t cap,
                       const scep_signed_data *sd, const char *name);

/* A payload a library decoder reads: the |length| bytes at |base| in |input|, a buffer one
 * byte longer for what the decoder joins (chunked OCTET STRINGs), the span sources of its
 * result. */
typedef struct {
    const guint8 *data;
    size_t length;
    uint8_t *content_buf;
    size_t cap;
    span_sources src;
} decoder_input;

decoder_input decoder_input_open(packet_info *pinfo, tvbuff_t *input, gint base, gint length);
/* decoder_rejected: when the decoder found nothing it knows (SCEP_DECODE_NONE, no error),
 * flags the payload as "|what|" (malformed) and returns TRUE. */
gboolean decoder_rejected(proto_tree *tree, const decoder_input *p, scep_status st, size_t error_count,
                          const char *what, scep_summary *sum);

/* ---- scep-certs.c ------------------------------------------------------------------ */

/* certificates_deprecated: whether any of |certs| is signed with or holds a key of a
 * deprecated algorithm. */
gboolean certificates_deprecated(const scep_certificate *certs, size_t count);
/* add_certificates adds "|label|: N" with each certificate under it (scep.certificate_count
 * even when N is 0). |show_roles|: see scep-certs.c. */
void add_certificates(proto_tree *tree, const span_sources *src, const scep_certificate *certs,
                      size_t count, const char *label, gboolean show_roles);

/* ---- scep-pki.c, scep-bundle.c: the trees of one payload ---------------------------- */

/* Each dissects |length| bytes at |base| in |input| under |tree| and notes in |sum| what the
 * Info column, the tracking and the tap need. */
void dissect_pki_message(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base, gint length,
                         scep_summary *sum);
void dissect_cert_bundle(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base, gint length,
                         scep_summary *sum);
void dissect_caps(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base, gint length,
                  scep_summary *sum);
/* add_signer adds the "Signer" subtree (identifier, digest and signature algorithms) and
 * returns it; the item in |item_out| when not NULL. */
proto_tree *add_signer(proto_tree *tree, const span_sources *src, const scep_signer *signer,
                       proto_item **item_out);

/* ---- scep-crypto.c ----------------------------------------------------------------- */

const char *add_verification(proto_tree *tree, packet_info *pinfo, const guint8 *data, size_t length,
                      const scep_pki_message *msg, proto_item *signer_item);
/* load_keys reads the private_keys preference's files (the preferences' apply callback). */
void load_keys(void);
gboolean have_keys(void);
void decrypt_envelope(proto_tree *tree, proto_item *envelope_item, packet_info *pinfo,
                      tvbuff_t *parent, const scep_pki_message *msg, scep_summary *sum);

/* ---- scep-cms.c -------------------------------------------------------------------- */

/* call_cms hands |length| bytes at |base| to the CMS dissector when the cms_subtree
 * preference asks for it. */
void call_cms(tvbuff_t *tvb, gint base, gint length, packet_info *pinfo, proto_tree *tree);
void cms_handoff(void);

/* ---- scep-reuse.c ------------------------------------------------------------------ */

/* Decoder results kept for the next input with the same bytes, for dissections without a
 * tree and for classification only (see scep-reuse.c): each returns the result for
 * |input|/|length|, decoded now or before; NULL when it cannot be kept (the caller decodes in
 * packet scope). Their spans point into a copy of the input, at the input's offsets;
 * |*content_buf| and |*message| are the decoders' buffers. scep_reuse_cleanup empties them (a
 * cleanup routine). */
const scep_caps *reuse_caps(packet_info *pinfo, const char *text, gsize length);
const scep_cert_bundle *reuse_bundle(packet_info *pinfo, const guint8 *data, gsize length,
                                     const uint8_t **content_buf, scep_status *status);
const scep_query *reuse_query(packet_info *pinfo, const char *target, gsize length, const uint8_t **message);
void scep_reuse_cleanup(void);

/* ---- scep-frames.c ----------------------------------------------------------------- */

/* The first pass's memo of each SCEP frame (scep-frames.c, file scope): scep_frame_keep
 * stores |data| for |frame| (replacing what the frame had), scep_frame_kept returns it, NULL
 * for a frame without one. scep_init_frames forgets the last file's. */
void scep_frame_keep(guint32 frame, void *data);
void *scep_frame_kept(guint32 frame);
void scep_init_frames(void);

/* ---- scep-track.c ------------------------------------------------------------------ */

void scep_init_tracking(void);

gboolean scep_nonce_equal(const guint8 *a, gsize alen, const guint8 *b, gsize blen);
/* last_request_frame: the frame of the last request with |transaction_id| (first pass), 0
 * when none. */
guint32 last_request_frame(const char *transaction_id);
/* track_first_pass fills the message's record |rec| and links it with its request. */
void track_first_pass(packet_info *pinfo, scep_record *rec, const scep_summary *sum,
                      guint32 http_request_frame);
/* add_tracking adds the links of the message whose record is |rec| (NULL: none). */
scep_record *add_tracking(proto_tree *tree, packet_info *pinfo, const scep_record *rec, const scep_summary *sum);
/* set_info sets Protocol and Info; |first|: the frame's first SCEP message replaces HTTP's
 * Info, the next ones are appended. */
void set_info(packet_info *pinfo, const scep_summary *sum, gboolean first);
/* The tap's record of one message, for `-z scep,tree` and `-z scep,enrollments`. Strings
 * are packet scope. */
typedef struct {
    gboolean is_request;
    const char *operation;      /* name, or as sent */
    gint message_type;          /* -1 when absent */
    gint pki_status;
    gint fail_info;
    const char *transaction_id; /* NULL when absent */
    guint http_status;          /* responses; 0 when unknown */
    guint32 request_frame;      /* responses: the request answered, 0 when not seen */
    const char *diagnoses;      /* scep.diagnosis codes, blank separated; "" for none */
} scep_tap_info;

/* queue_tap hands the tap one message; |request_frame| as in scep_tap_info. */
void queue_tap(packet_info *pinfo, const scep_summary *sum, guint32 request_frame);
/* register_stats registers the tap, -z scep,tree and -z scep,enrollments. */
void register_stats(void);

/* ---- scep-evidence.c --------------------------------------------------------------- */

/* A certificate the CA published in a GetCACert or GetNextCACert answer (file scope). */
typedef struct {
    guint32 frame;
    guint8 *issuer;   /* the whole issuer Name element */
    gsize issuer_length;
    guint8 *serial;   /* without sign byte */
    gsize serial_length;
    guint8 *ski;      /* subjectKeyIdentifier, NULL when absent */
    gsize ski_length;
    const char *subject;
} scep_published_cert;

/* One GetCACaps answer of a server (file scope). */
typedef struct {
    guint32 frame;
    guint32 offered;  /* bit 1 << scep_capability of each capability offered */
    const char *text; /* the capabilities as sent, comma separated */
} scep_server_caps;

void scep_init_evidence(void);
/* First pass: the certificates of a GetCACert/GetNextCACert answer; a GetCACaps answer with
 * its capabilities as the Info column lists them (|text|, copied). */
void scep_record_published(packet_info *pinfo, const scep_cert_bundle *b);
void scep_record_caps(packet_info *pinfo, const scep_caps *caps, const char *text);
/* The GetCACaps answer of a request's server: the latest before it, else (second pass on)
 * the first after it; NULL when none. */
const scep_server_caps *scep_caps_for_request(packet_info *pinfo);
/* The published certificates this frame may rely on (before it; all from the second pass). */
guint scep_published_count(packet_info *pinfo);
const scep_published_cert *scep_published_at(packet_info *pinfo, guint nth);
gboolean scep_identifier_published(packet_info *pinfo, const scep_identifier *id);
/* scep_identifier_matches: does |id| (issuer and serial, or key identifier) name the
 * certificate with these issuer Name, serial and subjectKeyIdentifier bytes? */
gboolean scep_identifier_matches(const scep_identifier *id, const guint8 *issuer, gsize issuer_length,
                                 const guint8 *serial, gsize serial_length, const guint8 *ski,
                                 gsize ski_length);

/* ---- scep-diagnosis.c -------------------------------------------------------------- */

/* What the diagnoses need of the HTTP message beyond the summary. */
typedef struct {
    const char *method; /* a request's method, NULL when unknown */
    const char *target; /* a request's target, NULL when unknown */
} scep_diag_http;

/* diagnose_message adds the scep.diagnosis items of one message (docs/diagnosis.md): |self| is
 * its own record, |req| a response's request (each NULL when unknown). Returns their codes,
 * blank separated ("" for none), packet scope. */
const char *diagnose_message(proto_tree *tree, packet_info *pinfo, const scep_summary *sum,
                             const scep_diag_http *http, const scep_record *self, const scep_record *req);

/* ---- scep-enroll.c ----------------------------------------------------------------- */

/* scep_register_enrollments registers `-z scep,enrollments[,FILTER]` and the GUI's
 * Statistics > SCEP enrollments tree. */
void scep_register_enrollments(void);

/* ---- scep-dispatch.c --------------------------------------------------------------- */

/* The postdissector (see scep-dispatch.c). */
int dissect_scep(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);
/* request_record: the request remembered in |frame| (0: none), NULL when there is none. */
scep_record *request_record(guint32 frame);

#endif
