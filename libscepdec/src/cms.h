/* cms.h — the CMS (PKCS#7) structures SCEP wraps its messages in: SignedData with its
 * signer's attributes, EnvelopedData with its recipients. Internal. */
#ifndef SCEPDEC_CMS_H
#define SCEPDEC_CMS_H

#include "decode.h"

/* cms_decode_signed_data decodes a ContentInfo carrying SignedData from |c| into |sd|. A
 * primitive eContent is left as a span into the input; a constructed one is joined into
 * |content_buf| (|content_cap| bytes). The signer's SCEP and PKCS#9 attributes are decoded
 * into sd->signer. |*content_complete| says whether the eContent octets are all there (the
 * input may end inside them). Returns false when no SignedData ContentInfo could be read
 * (nothing decoded, or another content type); true otherwise, with faults in |ctx|. */
bool cms_decode_signed_data(decode_ctx *ctx, ber_cursor *c, scep_signed_data *sd,
                            uint8_t *content_buf, size_t content_cap, bool *content_complete);

/* cms_decode_enveloped_data decodes a ContentInfo of EnvelopedData, or a bare EnvelopedData,
 * from |c| into |env|. Returns false when nothing could be decoded. */
bool cms_decode_enveloped_data(decode_ctx *ctx, ber_cursor *c, scep_envelope *env);

/* What a ContentInfo holds, as cms_open_content finds it. */
typedef enum {
    CMS_CONTENT_OTHER, /* no contentType, or another one than wanted (recorded) */
    CMS_CONTENT_CUT,   /* the wanted type, but its content is not all there (recorded) */
    CMS_CONTENT_OK,
} cms_content;

/* How a ContentInfo's parts are named in errors: "ContentInfo contentType", "ContentInfo is
 * not SignedData", "ContentInfo content", "SignedData". */
typedef struct {
    const char *content_type;
    const char *wrong_type;
    const char *content;
    const char *body;
} cms_content_names;

/* cms_open_content reads a ContentInfo's members at |ci|: the contentType OID (its span into
 * |*type|), which must be |want|/|want_len|, then the [0] EXPLICIT content, whose SEQUENCE
 * (SignedData, EnvelopedData) goes into |*body|. */
cms_content cms_open_content(decode_ctx *ctx, ber_cursor *ci, const uint8_t *want,
                             size_t want_len, const cms_content_names *names, scep_span *type,
                             ber_elem *body);

/* cms_decode_algorithm reads the AlgorithmIdentifier at |c|, naming it |what| in errors. */
bool cms_decode_algorithm(decode_ctx *ctx, ber_cursor *c, scep_algorithm *alg, const char *what);

/* cms_decode_version reads the INTEGER version at |c| into |*version| (left alone when it
 * is too large to be one), naming it |what| in errors. Returns false when no INTEGER could be
 * taken: the caller stops there. */
bool cms_decode_version(decode_ctx *ctx, ber_cursor *c, int *version, const char *what);

/* cms_take_identifier reads the signer or recipient identifier at |c| (IssuerAndSerialNumber,
 * or [0] SubjectKeyIdentifier), naming the element |what| in errors. An identifier of another
 * form is recorded as an error and passed over. Returns false when no element could be taken:
 * the caller stops there. */
bool cms_take_identifier(decode_ctx *ctx, ber_cursor *c, scep_identifier *out, const char *what);

/* cms_reset_signed_data and cms_reset_envelope make a result as a decoder starts it: every
 * field zero, except the entries of its arrays (digest algorithms, certificates, signer
 * attributes, recipients), which the decoder sets one by one as it fills them. A pkiMessage
 * uses few of them, and clearing all (most of the ~12 KB of a scep_pki_message) took longer
 * than the decode. */
void cms_reset_signed_data(scep_signed_data *sd);
void cms_reset_envelope(scep_envelope *env);

/* cms_check_scep_attributes records SCEP_ERR_MISSING for each attribute RFC 8894 section
 * 3.2.1.2 requires of a message of this type and that |signer| lacks. */
void cms_check_scep_attributes(decode_ctx *ctx, const scep_signer *signer, scep_span where);

#endif
