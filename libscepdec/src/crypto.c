/* crypto.c — the only part of libscepdec that uses OpenSSL: checking a pkiMessage's
 * messageDigest and signature, and opening its envelope with a recipient's key. Decoding never
 * calls into here. */
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <limits.h>
#include <string.h>

#include "scepdec.h"

const char *scep_check_name(scep_check check)
{
    switch (check) {
    case SCEP_CHECK_OK:
        return "ok";
    case SCEP_CHECK_FAILED:
        return "FAILED";
    case SCEP_CHECK_UNSUPPORTED:
        return "unsupported";
    case SCEP_CHECK_NOT_DONE:
        break;
    }
    return "not done";
}

/* digest_of maps an algorithm OID (contents octets) to an OpenSSL digest, or NULL. */
static const EVP_MD *digest_of(scep_span oid)
{
    if (!scep_span_present(oid) || oid.length > 64)
        return NULL;
    uint8_t der[66] = {0x06, (uint8_t)oid.length};
    memcpy(der + 2, oid.data, oid.length);
    const unsigned char *p = der;
    ASN1_OBJECT *obj = d2i_ASN1_OBJECT(NULL, &p, (long)(oid.length + 2));
    if (!obj)
        return NULL;
    const EVP_MD *md = EVP_get_digestbyobj(obj);
    ASN1_OBJECT_free(obj);
    return md;
}

static scep_check check_message_digest(const scep_signer *signer, scep_span content,
                                       const char **detail)
{
    if (!scep_span_present(signer->message_digest)) {
        *detail = "no messageDigest attribute";
        return SCEP_CHECK_NOT_DONE;
    }
    const EVP_MD *md = digest_of(signer->digest_algorithm.oid);
    if (!md) {
        *detail = "digest algorithm not available in OpenSSL";
        return SCEP_CHECK_UNSUPPORTED;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    static const uint8_t nothing[1];
    const uint8_t *bytes = scep_span_present(content) ? content.data : nothing;
    if (!EVP_Digest(bytes, content.length, digest, &digest_len, md, NULL)) {
        *detail = "digest computation failed";
        return SCEP_CHECK_UNSUPPORTED;
    }
    if (digest_len != signer->message_digest.length ||
        memcmp(digest, signer->message_digest.data, digest_len) != 0) {
        *detail = "messageDigest does not match the digest of the eContent octets";
        return SCEP_CHECK_FAILED;
    }
    return SCEP_CHECK_OK;
}

/* load_cert reads a certificate given as DER or PEM. */
static X509 *load_cert(const uint8_t *bytes, size_t len)
{
    if (!bytes || len == 0 || len > LONG_MAX)
        return NULL;
    const unsigned char *p = bytes;
    X509 *cert = d2i_X509(NULL, &p, (long)len);
    if (cert)
        return cert;
    BIO *bio = BIO_new_mem_buf(bytes, (int)len);
    if (bio) {
        cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        BIO_free(bio);
    }
    return cert;
}

static EVP_PKEY *load_key(const uint8_t *bytes, size_t len)
{
    if (!bytes || len == 0 || len > LONG_MAX)
        return NULL;
    BIO *bio = BIO_new_mem_buf(bytes, (int)len);
    if (!bio)
        return NULL;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
    BIO_free(bio);
    if (!key) {
        const unsigned char *p = bytes;
        key = d2i_AutoPrivateKey(NULL, &p, (long)len);
    }
    return key;
}

/* check_signature verifies the signature over signedAttrs with OpenSSL's CMS code, which
 * handles RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA alike. */
static scep_check check_signature(const uint8_t *data, size_t len, const uint8_t *extra_cert,
                                  size_t extra_len, const char **detail)
{
    scep_check result = SCEP_CHECK_NOT_DONE;
    const unsigned char *p = data;
    CMS_ContentInfo *cms = len <= LONG_MAX ? d2i_CMS_ContentInfo(NULL, &p, (long)len) : NULL;
    X509 *extra = load_cert(extra_cert, extra_len);
    STACK_OF(X509) *extras = sk_X509_new_null();
    if (!cms) {
        *detail = "OpenSSL cannot parse the message";
        goto done;
    }
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(cms);
    if (!signers || sk_CMS_SignerInfo_num(signers) < 1) {
        *detail = "no SignerInfo";
        goto done;
    }
    if (extra && extras)
        sk_X509_push(extras, extra);
    CMS_set1_signers_certs(cms, extras, 0);
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(signers, 0);
    X509 *signer_cert = NULL;
    CMS_SignerInfo_get0_algs(si, NULL, &signer_cert, NULL, NULL);
    if (!signer_cert) {
        *detail = "the signer's certificate is not in the message";
        goto done;
    }
    if (CMS_signed_get_attr_count(si) < 0) {
        *detail = "no signedAttrs to check the signature over";
        goto done;
    }
    result = CMS_SignerInfo_verify(si) == 1 ? SCEP_CHECK_OK : SCEP_CHECK_FAILED;
    if (result == SCEP_CHECK_FAILED)
        *detail = "signature does not verify with the signer's certificate";
done:
    sk_X509_free(extras);
    X509_free(extra);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return result;
}

void scep_verify_pki_message(const uint8_t *data, size_t len, const scep_pki_message *msg,
                             const uint8_t *signer_cert, size_t signer_cert_len,
                             scep_verification *out)
{
    const char *digest_detail = NULL, *signature_detail = NULL;
    memset(out, 0, sizeof *out);
    if (msg->signed_data.signer_count == 0) {
        out->detail = "no SignerInfo";
        return;
    }
    if (msg->truncated) {
        out->detail = "message truncated";
        return;
    }
    out->message_digest = check_message_digest(&msg->signed_data.signer,
                                               msg->signed_data.encap_content, &digest_detail);
    out->signature = check_signature(data, len, signer_cert, signer_cert_len, &signature_detail);
    out->detail = digest_detail ? digest_detail : signature_detail;
}

static void set_error(scep_error *error, scep_error_code code, const char *message)
{
    if (error) {
        error->code = code;
        error->source = SCEP_SRC_INPUT;
        error->offset = 0;
        error->message = message;
    }
}

/* needs_legacy_provider: single DES and RC2 live in OpenSSL 3's legacy provider. */
static void load_legacy_provider_once(void)
{
    static OSSL_PROVIDER *legacy, *deflt;
    if (!legacy) {
        legacy = OSSL_PROVIDER_load(NULL, "legacy");
        if (legacy && !deflt)
            deflt = OSSL_PROVIDER_load(NULL, "default"); /* loading one unloads the implicit default */
        ERR_clear_error();
    }
}

scep_status scep_decrypt_envelope(const scep_pki_message *msg, const uint8_t *key, size_t key_len,
                                  const uint8_t *cert, size_t cert_len, uint8_t *out, size_t cap,
                                  size_t *out_len, scep_error *error)
{
    *out_len = 0;
    if (!msg->has_envelope || !scep_span_present(msg->envelope.span)) {
        set_error(error, SCEP_ERR_MISSING, "no pkcsPKIEnvelope to decrypt");
        return SCEP_DECODE_NONE;
    }
    scep_span env = msg->envelope.span;
    EVP_PKEY *pkey = load_key(key, key_len);
    X509 *recipient = load_cert(cert, cert_len);
    const unsigned char *p = env.data;
    CMS_ContentInfo *cms = env.length <= LONG_MAX ? d2i_CMS_ContentInfo(NULL, &p, (long)env.length) : NULL;
    BIO *plain = BIO_new(BIO_s_mem());
    scep_status status = SCEP_DECODE_NONE;
    if (!pkey) {
        set_error(error, SCEP_ERR_BAD_VALUE, "cannot read the private key (PEM or DER, unencrypted)");
    } else if (!cms) {
        set_error(error, SCEP_ERR_UNSUPPORTED, "OpenSSL cannot parse the envelope");
    } else if (plain) {
        load_legacy_provider_once();
        /* CMS_DEBUG_DECRYPT: report a wrong key as an error instead of OpenSSL's MMA
         * countermeasure of returning random plaintext. */
        if (CMS_decrypt(cms, pkey, recipient, NULL, plain, CMS_DEBUG_DECRYPT | CMS_BINARY) == 1) {
            char *bytes = NULL;
            long n = BIO_get_mem_data(plain, &bytes);
            if (n >= 0 && (size_t)n <= cap) {
                memcpy(out, bytes, (size_t)n);
                *out_len = (size_t)n;
                status = SCEP_DECODE_OK;
            } else {
                set_error(error, SCEP_ERR_CAPACITY, "decrypted content larger than the buffer");
            }
        } else {
            set_error(error, SCEP_ERR_BAD_VALUE, "decryption failed: wrong key, or cipher not available");
        }
    }
    BIO_free(plain);
    CMS_ContentInfo_free(cms);
    X509_free(recipient);
    EVP_PKEY_free(pkey);
    ERR_clear_error();
    return status;
}
