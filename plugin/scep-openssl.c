/* scep-openssl.c — OpenSSL, loaded by the plugin when it first needs it.
 *
 * The plugin checks signatures and opens envelopes (libscepdec's crypto, OpenSSL underneath)
 * only when a tree is built or keys are configured: tshark's summary lines never do. Linked
 * with libcrypto, every start of every Wireshark tool would load it and, libcrypto being
 * linked BIND_NOW, resolve its ~20 000 relocations: some 10 million instructions and a few
 * milliseconds before the first packet, for nothing in most runs. So scep.so does not name
 * libcrypto: the OpenSSL functions libscepdec calls are defined here (hidden, like all of the
 * plugin's symbols), and each finds the real one on its first call, in a libcrypto.so.3 opened
 * then. Should it be missing, every call fails the way OpenSSL's own calls report failure
 * (NULL, 0 or -1), and the checks say so.
 *
 * Keep the list in step with what libscepdec/src/crypto.c calls: the plugin's link fails on
 * a missing one (-z defs, no libcrypto to fall back on), and plugin_load.sh checks that
 * scep.so does not depend on libcrypto. Prototypes come from OpenSSL's own headers, so a
 * mismatch does not compile. */

#include <dlfcn.h>
#include <stddef.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

/* The shared library of the OpenSSL the plugin was built with: libcrypto.so.3 for OpenSSL 3
 * (opensslv.h gives the number). */
#define SCEP_STRINGIFY_(x) #x
#define SCEP_STRINGIFY(x) SCEP_STRINGIFY_(x)
#define SCEP_LIBCRYPTO "libcrypto.so." SCEP_STRINGIFY(OPENSSL_SHLIB_VERSION)

/* openssl_symbol returns the address of |name| in libcrypto, opened on the first call; NULL
 * when libcrypto or the symbol cannot be found. Dissection runs on one thread. */
static void *openssl_symbol(const char *name)
{
    static void *library;
    static int tried;
    if (!tried) {
        tried = 1;
        library = dlopen(SCEP_LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
    }
    return library != NULL ? dlsym(library, name) : NULL;
}

/* LAZY(type, name, (parameters), (arguments), failure) defines |name| to call libcrypto's,
 * or to return |failure| without it; LAZY_VOID the same for a function returning nothing.
 * The address is copied through a void pointer, as POSIX's dlsym documentation does. */
#define LAZY(type, name, params, args, failure)                                           \
    type name params                                                                      \
    {                                                                                     \
        static type(*real) params;                                                        \
        if (real == NULL)                                                                 \
            *(void **)&real = openssl_symbol(#name);                                      \
        return real != NULL ? real args : (failure);                                      \
    }
#define LAZY_VOID(name, params, args)                                                     \
    void name params                                                                      \
    {                                                                                     \
        static void(*real) params;                                                        \
        if (real == NULL)                                                                 \
            *(void **)&real = openssl_symbol(#name);                                      \
        if (real != NULL)                                                                 \
            real args;                                                                    \
    }

LAZY(long, BIO_ctrl, (BIO *bp, int cmd, long larg, void *parg), (bp, cmd, larg, parg), 0)
LAZY(int, BIO_free, (BIO *a), (a), 0)
LAZY(BIO *, BIO_new, (const BIO_METHOD *type), (type), NULL)
LAZY(BIO *, BIO_new_mem_buf, (const void *buf, int len), (buf, len), NULL)
LAZY(const BIO_METHOD *, BIO_s_mem, (void), (), NULL)

LAZY_VOID(CMS_ContentInfo_free, (CMS_ContentInfo *a), (a))
LAZY(CMS_ContentInfo *, CMS_ContentInfo_new_ex, (OSSL_LIB_CTX *libctx, const char *propq), (libctx, propq),
     NULL)
LAZY_VOID(CMS_SignerInfo_get0_algs,
          (CMS_SignerInfo *si, EVP_PKEY **pk, X509 **signer, X509_ALGOR **pdig, X509_ALGOR **psig),
          (si, pk, signer, pdig, psig))
LAZY(int, CMS_SignerInfo_verify, (CMS_SignerInfo *si), (si), -1)
LAZY(int, CMS_decrypt, (CMS_ContentInfo *cms, EVP_PKEY *pkey, X509 *cert, BIO *dcont, BIO *out, unsigned int flags),
     (cms, pkey, cert, dcont, out, flags), 0)
LAZY(STACK_OF(CMS_SignerInfo) *, CMS_get0_SignerInfos, (CMS_ContentInfo *cms), (cms), NULL)
LAZY(int, CMS_set1_signers_certs, (CMS_ContentInfo *cms, STACK_OF(X509) *certs, unsigned int flags),
     (cms, certs, flags), -1)
LAZY(int, CMS_signed_get_attr_count, (const CMS_SignerInfo *si), (si), -1)

LAZY_VOID(ERR_clear_error, (void), ())

LAZY(int, EVP_Digest,
     (const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, ENGINE *impl),
     (data, count, md, size, type, impl), 0)
LAZY(EVP_MD *, EVP_MD_fetch, (OSSL_LIB_CTX *ctx, const char *algorithm, const char *properties),
     (ctx, algorithm, properties), NULL)
LAZY_VOID(EVP_MD_free, (EVP_MD *md), (md))
LAZY_VOID(EVP_PKEY_free, (EVP_PKEY *pkey), (pkey))

LAZY_VOID(OPENSSL_sk_free, (OPENSSL_STACK *st), (st))
LAZY(OPENSSL_STACK *, OPENSSL_sk_new_null, (void), (), NULL)
LAZY(int, OPENSSL_sk_num, (const OPENSSL_STACK *st), (st), -1)
LAZY(int, OPENSSL_sk_push, (OPENSSL_STACK *st, const void *data), (st, data), 0)
LAZY(void *, OPENSSL_sk_value, (const OPENSSL_STACK *st, int i), (st, i), NULL)

LAZY_VOID(OSSL_LIB_CTX_free, (OSSL_LIB_CTX *ctx), (ctx))
LAZY(OSSL_LIB_CTX *, OSSL_LIB_CTX_new, (void), (), NULL)
LAZY(OSSL_PROVIDER *, OSSL_PROVIDER_load, (OSSL_LIB_CTX *ctx, const char *name), (ctx, name), NULL)

LAZY(EVP_PKEY *, PEM_read_bio_PrivateKey_ex,
     (BIO *out, EVP_PKEY **x, pem_password_cb *cb, void *u, OSSL_LIB_CTX *libctx, const char *propq),
     (out, x, cb, u, libctx, propq), NULL)
LAZY(X509 *, PEM_read_bio_X509, (BIO *out, X509 **x, pem_password_cb *cb, void *u), (out, x, cb, u), NULL)
LAZY_VOID(X509_free, (X509 *a), (a))
LAZY(X509 *, X509_new_ex, (OSSL_LIB_CTX *libctx, const char *propq), (libctx, propq), NULL)
LAZY(EVP_PKEY *, d2i_AutoPrivateKey_ex,
     (EVP_PKEY **a, const unsigned char **pp, long length, OSSL_LIB_CTX *libctx, const char *propq),
     (a, pp, length, libctx, propq), NULL)
LAZY(CMS_ContentInfo *, d2i_CMS_ContentInfo, (CMS_ContentInfo **a, const unsigned char **in, long len),
     (a, in, len), NULL)
LAZY(X509 *, d2i_X509, (X509 **a, const unsigned char **in, long len), (a, in, len), NULL)
