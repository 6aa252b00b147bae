/* crypto.c — the only part of libscepdec that uses OpenSSL: checking a pkiMessage's
 * messageDigest and signature, and opening its envelope with a recipient's key. Decoding never
 * calls into here.
 *
 * Every OpenSSL object is made in a library-private OSSL_LIB_CTX holding the default
 * provider and, once something is decrypted, the legacy one (single DES, which SCEP peers
 * still send, lives there). Each is set up once, by whichever thread gets there first
 * (pthread_once), so concurrent first calls are safe, and the host program's default context
 * is never touched: no provider is loaded into it and nothing is fetched from it. */
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "scepdec.h"

static OSSL_LIB_CTX *library_context;
static pthread_once_t library_context_once = PTHREAD_ONCE_INIT;
static pthread_once_t legacy_provider_once = PTHREAD_ONCE_INIT;

static void library_context_create(void)
{
    OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();
    if (ctx && !OSSL_PROVIDER_load(ctx, "default")) {
        OSSL_LIB_CTX_free(ctx);
        ctx = NULL;
    }
    ERR_clear_error();
    library_context = ctx; /* lives as long as the process: providers are costly to reload */
}

/* legacy_provider_load adds the legacy provider (a module loaded from disk) to the library's
 * context: only decryption needs it, so checks alone do not pay for it. Optional: without it
 * single DES fails. Runs after library_context_create (crypto_context orders them). */
static void legacy_provider_load(void)
{
    if (library_context)
        (void)OSSL_PROVIDER_load(library_context, "legacy");
    ERR_clear_error();
}

/* crypto_context returns the library's OpenSSL context, or NULL when OpenSSL cannot make one;
 * with |legacy|, one that also holds the legacy provider. */
static OSSL_LIB_CTX *crypto_context(bool legacy)
{
    pthread_once(&library_context_once, library_context_create);
    if (legacy)
        pthread_once(&legacy_provider_once, legacy_provider_load);
    return library_context;
}

/* parse_cms reads a DER ContentInfo into an object bound to |ctx|, so that every algorithm it
 * needs later is fetched from |ctx|. */
static CMS_ContentInfo *parse_cms(OSSL_LIB_CTX *ctx, const uint8_t *der, size_t len)
{
    if (!der || len > LONG_MAX)
        return NULL;
    CMS_ContentInfo *cms = CMS_ContentInfo_new_ex(ctx, NULL);
    const unsigned char *p = der;
    if (cms && !d2i_CMS_ContentInfo(&cms, &p, (long)len)) {
        CMS_ContentInfo_free(cms); /* d2i may have freed it already and set it to NULL */
        cms = NULL;
    }
    return cms;
}

/* digest_of fetches the digest named by an algorithm OID (contents octets) from |ctx|, or
 * NULL. Providers know digests by their dotted OIDs. Free with EVP_MD_free. */
static EVP_MD *digest_of(OSSL_LIB_CTX *ctx, scep_span oid)
{
    char dotted[128];
    if (!scep_span_present(oid) ||
        scep_oid_to_dotted(oid.data, oid.length, dotted, sizeof dotted) >= sizeof dotted)
        return NULL;
    EVP_MD *md = EVP_MD_fetch(ctx, dotted, NULL);
    ERR_clear_error();
    return md;
}

static scep_check check_message_digest(OSSL_LIB_CTX *ctx, const scep_signer *signer,
                                       scep_span content, const char **detail)
{
    if (!scep_span_present(signer->message_digest)) {
        *detail = "no messageDigest attribute";
        return SCEP_CHECK_NOT_DONE;
    }
    EVP_MD *md = digest_of(ctx, signer->digest_algorithm.oid);
    if (!md) {
        *detail = "digest algorithm not available in OpenSSL";
        return SCEP_CHECK_UNSUPPORTED;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    static const uint8_t nothing[1];
    const uint8_t *bytes = scep_span_present(content) ? content.data : nothing;
    int computed = EVP_Digest(bytes, content.length, digest, &digest_len, md, NULL);
    EVP_MD_free(md);
    if (!computed) {
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

/* load_cert reads a certificate given as DER or PEM into an object bound to |ctx|. */
static X509 *load_cert(OSSL_LIB_CTX *ctx, const uint8_t *bytes, size_t len)
{
    if (!bytes || len == 0 || len > INT_MAX)
        return NULL;
    X509 *cert = X509_new_ex(ctx, NULL);
    const unsigned char *p = bytes;
    if (cert && d2i_X509(&cert, &p, (long)len))
        return cert;
    X509_free(cert);
    cert = X509_new_ex(ctx, NULL);
    BIO *bio = BIO_new_mem_buf(bytes, (int)len);
    if (!cert || !bio || !PEM_read_bio_X509(bio, &cert, NULL, NULL)) {
        X509_free(cert);
        cert = NULL;
    }
    BIO_free(bio);
    ERR_clear_error();
    return cert;
}

static EVP_PKEY *load_key(OSSL_LIB_CTX *ctx, const uint8_t *bytes, size_t len)
{
    if (!bytes || len == 0 || len > INT_MAX)
        return NULL;
    BIO *bio = BIO_new_mem_buf(bytes, (int)len);
    if (!bio)
        return NULL;
    EVP_PKEY *key = PEM_read_bio_PrivateKey_ex(bio, NULL, NULL, (void *)"", ctx, NULL);
    BIO_free(bio);
    if (!key) {
        const unsigned char *p = bytes;
        key = d2i_AutoPrivateKey_ex(NULL, &p, (long)len, ctx, NULL);
    }
    ERR_clear_error();
    return key;
}

/* check_signature verifies the signature over signedAttrs with OpenSSL's CMS code, which
 * handles RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA alike. */
static scep_check check_signature(OSSL_LIB_CTX *ctx, const uint8_t *data, size_t len,
                                  const uint8_t *extra_cert, size_t extra_len, const char **detail)
{
    scep_check result = SCEP_CHECK_NOT_DONE;
    CMS_ContentInfo *cms = parse_cms(ctx, data, len);
    X509 *extra = load_cert(ctx, extra_cert, extra_len);
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
    OSSL_LIB_CTX *ctx = crypto_context(false);
    if (!ctx) {
        out->detail = "OpenSSL cannot create a library context";
        return;
    }
    if (msg->signed_data.signer_count == 0) {
        out->detail = "no SignerInfo";
        return;
    }
    if (msg->truncated) {
        out->detail = "message truncated";
        return;
    }
    out->message_digest = check_message_digest(ctx, &msg->signed_data.signer,
                                               msg->signed_data.encap_content, &digest_detail);
    out->signature = check_signature(ctx, data, len, signer_cert, signer_cert_len,
                                     &signature_detail);
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

/* decrypt_into opens |cms| with |pkey| (and |recipient|, may be NULL) into |out|. */
static scep_status decrypt_into(CMS_ContentInfo *cms, EVP_PKEY *pkey, X509 *recipient,
                                uint8_t *out, size_t cap, size_t *out_len, scep_error *error)
{
    BIO *plain = BIO_new(BIO_s_mem());
    scep_status status = SCEP_DECODE_NONE;
    if (!plain) {
        set_error(error, SCEP_ERR_CAPACITY, "out of memory");
        return status;
    }
    /* CMS_DEBUG_DECRYPT: report a wrong key as an error instead of OpenSSL's MMA
     * countermeasure of returning random plaintext. */
    if (CMS_decrypt(cms, pkey, recipient, NULL, plain, CMS_DEBUG_DECRYPT | CMS_BINARY) == 1) {
        char *bytes = NULL;
        long n = BIO_get_mem_data(plain, &bytes);
        if (n >= 0 && (size_t)n <= cap) {
            if (n > 0)
                memcpy(out, bytes, (size_t)n);
            *out_len = (size_t)n;
            status = SCEP_DECODE_OK;
        } else {
            set_error(error, SCEP_ERR_CAPACITY, "decrypted content larger than the buffer");
        }
    } else {
        set_error(error, SCEP_ERR_BAD_VALUE,
                  "decryption failed: wrong key, or cipher not available");
    }
    BIO_free(plain);
    return status;
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
    OSSL_LIB_CTX *ctx = crypto_context(true);
    if (!ctx) {
        set_error(error, SCEP_ERR_UNSUPPORTED, "OpenSSL cannot create a library context");
        return SCEP_DECODE_NONE;
    }
    EVP_PKEY *pkey = load_key(ctx, key, key_len);
    X509 *recipient = load_cert(ctx, cert, cert_len);
    CMS_ContentInfo *cms = parse_cms(ctx, msg->envelope.span.data, msg->envelope.span.length);
    scep_status status = SCEP_DECODE_NONE;
    if (!pkey)
        set_error(error, SCEP_ERR_BAD_VALUE,
                  "cannot read the private key (PEM or DER, unencrypted)");
    else if (!cms)
        set_error(error, SCEP_ERR_UNSUPPORTED, "OpenSSL cannot parse the envelope");
    else
        status = decrypt_into(cms, pkey, recipient, out, cap, out_len, error);
    CMS_ContentInfo_free(cms);
    X509_free(recipient);
    EVP_PKEY_free(pkey);
    ERR_clear_error();
    return status;
}
