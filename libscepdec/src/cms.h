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

/* cms_decode_algorithm reads the AlgorithmIdentifier at |c|, naming it |what| in errors. */
bool cms_decode_algorithm(decode_ctx *ctx, ber_cursor *c, scep_algorithm *alg, const char *what);

/* cms_decode_identifier decodes a signer or recipient identifier: IssuerAndSerialNumber, or
 * [0] SubjectKeyIdentifier. */
bool cms_decode_identifier(decode_ctx *ctx, const ber_elem *e, scep_identifier *out);

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
