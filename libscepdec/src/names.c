/* names.c — the naming layer every renderer (text report, JSON, Wireshark plugin) uses: SCEP's
 * named numbers, the library's kinds (JSON spelling and people's words), flag sets and how to
 * walk them, Names for people, and the one OID table. (Operations and capabilities are named
 * beside their parsers, query.c and caps.c, which match the same tables; error codes in ber.c.)
 *
 * The table is kept in dotted form, the form people read and check against the RFCs; a lookup
 * compares contents octets with the entries' own, encoded from the dotted form once. That keeps
 * a single source of truth: no hand-encoded DER that could disagree with its dotted twin. */
#include "scepdec.h"
#include "name_list.h"
#include "text_sink.h"

#include <stdio.h>
#include <string.h>
#include <threads.h>

#define DEP true  /* deprecated: DES, RC2, MD5, SHA-1 and what is built on them */
#define CUR false

static const scep_oid_info oid_table[] = {
    /* PKCS#7 / CMS content types */
    {"1.2.840.113549.1.7.1", "data", SCEP_OID_CONTENT_TYPE, CUR},
    {"1.2.840.113549.1.7.2", "signedData", SCEP_OID_CONTENT_TYPE, CUR},
    {"1.2.840.113549.1.7.3", "envelopedData", SCEP_OID_CONTENT_TYPE, CUR},
    {"1.2.840.113549.1.7.4", "signedAndEnvelopedData", SCEP_OID_CONTENT_TYPE, CUR},
    {"1.2.840.113549.1.7.5", "digestedData", SCEP_OID_CONTENT_TYPE, CUR},
    {"1.2.840.113549.1.7.6", "encryptedData", SCEP_OID_CONTENT_TYPE, CUR},
    {"1.2.840.113549.1.9.16.1.2", "authData", SCEP_OID_CONTENT_TYPE, CUR},
    {"1.2.840.113549.1.9.16.1.9", "compressedData", SCEP_OID_CONTENT_TYPE, CUR},
    {"1.2.840.113549.1.9.16.1.23", "authEnvelopedData", SCEP_OID_CONTENT_TYPE, CUR},

    /* PKCS#9 attributes */
    {"1.2.840.113549.1.9.3", "contentType", SCEP_OID_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.4", "messageDigest", SCEP_OID_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.5", "signingTime", SCEP_OID_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.6", "countersignature", SCEP_OID_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.7", "challengePassword", SCEP_OID_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.14", "extensionRequest", SCEP_OID_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.15", "smimeCapabilities", SCEP_OID_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.52", "cmsAlgorithmProtection", SCEP_OID_ATTRIBUTE, CUR},
    {"1.3.6.1.4.1.311.13.2.3", "msOSVersion", SCEP_OID_ATTRIBUTE, CUR},
    {"1.3.6.1.4.1.311.21.20", "msRequestClientInfo", SCEP_OID_ATTRIBUTE, CUR},

    /* SCEP attributes (VeriSign arc) and RFC 8894's failInfoText */
    {"2.16.840.1.113733.1.9.2", "messageType", SCEP_OID_ATTRIBUTE, CUR},
    {"2.16.840.1.113733.1.9.3", "pkiStatus", SCEP_OID_ATTRIBUTE, CUR},
    {"2.16.840.1.113733.1.9.4", "failInfo", SCEP_OID_ATTRIBUTE, CUR},
    {"2.16.840.1.113733.1.9.5", "senderNonce", SCEP_OID_ATTRIBUTE, CUR},
    {"2.16.840.1.113733.1.9.6", "recipientNonce", SCEP_OID_ATTRIBUTE, CUR},
    {"2.16.840.1.113733.1.9.7", "transactionID", SCEP_OID_ATTRIBUTE, CUR},
    {"2.16.840.1.113733.1.9.8", "extensionReq", SCEP_OID_ATTRIBUTE, CUR},
    {"1.3.6.1.5.5.7.24.1", "failInfoText", SCEP_OID_ATTRIBUTE, CUR},

    /* Digests */
    {"1.2.840.113549.2.2", "md2", SCEP_OID_DIGEST, DEP},
    {"1.2.840.113549.2.5", "md5", SCEP_OID_DIGEST, DEP},
    {"1.3.14.3.2.26", "sha1", SCEP_OID_DIGEST, DEP},
    {"2.16.840.1.101.3.4.2.1", "sha256", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.2", "sha384", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.3", "sha512", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.4", "sha224", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.5", "sha512-224", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.6", "sha512-256", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.7", "sha3-224", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.8", "sha3-256", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.9", "sha3-384", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.10", "sha3-512", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.11", "shake128", SCEP_OID_DIGEST, CUR},
    {"2.16.840.1.101.3.4.2.12", "shake256", SCEP_OID_DIGEST, CUR},

    /* Signatures */
    {"1.2.840.113549.1.1.2", "md2WithRSAEncryption", SCEP_OID_SIGNATURE, DEP},
    {"1.2.840.113549.1.1.4", "md5WithRSAEncryption", SCEP_OID_SIGNATURE, DEP},
    {"1.2.840.113549.1.1.5", "sha1WithRSAEncryption", SCEP_OID_SIGNATURE, DEP},
    {"1.3.14.3.2.29", "sha1WithRSASignature", SCEP_OID_SIGNATURE, DEP},
    {"1.2.840.113549.1.1.10", "RSASSA-PSS", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.113549.1.1.11", "sha256WithRSAEncryption", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.113549.1.1.12", "sha384WithRSAEncryption", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.113549.1.1.13", "sha512WithRSAEncryption", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.113549.1.1.14", "sha224WithRSAEncryption", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.113549.1.1.15", "sha512-224WithRSAEncryption", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.113549.1.1.16", "sha512-256WithRSAEncryption", SCEP_OID_SIGNATURE, CUR},
    {"2.16.840.1.101.3.4.3.13", "RSA-SHA3-224", SCEP_OID_SIGNATURE, CUR},
    {"2.16.840.1.101.3.4.3.14", "RSA-SHA3-256", SCEP_OID_SIGNATURE, CUR},
    {"2.16.840.1.101.3.4.3.15", "RSA-SHA3-384", SCEP_OID_SIGNATURE, CUR},
    {"2.16.840.1.101.3.4.3.16", "RSA-SHA3-512", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.10045.4.1", "ecdsa-with-SHA1", SCEP_OID_SIGNATURE, DEP},
    {"1.2.840.10045.4.3.1", "ecdsa-with-SHA224", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.10045.4.3.2", "ecdsa-with-SHA256", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.10045.4.3.3", "ecdsa-with-SHA384", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.10045.4.3.4", "ecdsa-with-SHA512", SCEP_OID_SIGNATURE, CUR},
    {"2.16.840.1.101.3.4.3.9", "ecdsa-with-SHA3-224", SCEP_OID_SIGNATURE, CUR},
    {"2.16.840.1.101.3.4.3.10", "ecdsa-with-SHA3-256", SCEP_OID_SIGNATURE, CUR},
    {"2.16.840.1.101.3.4.3.11", "ecdsa-with-SHA3-384", SCEP_OID_SIGNATURE, CUR},
    {"2.16.840.1.101.3.4.3.12", "ecdsa-with-SHA3-512", SCEP_OID_SIGNATURE, CUR},
    {"1.3.101.112", "ED25519", SCEP_OID_SIGNATURE, CUR},
    {"1.3.101.113", "ED448", SCEP_OID_SIGNATURE, CUR},
    {"1.2.840.10040.4.3", "dsa-with-SHA1", SCEP_OID_SIGNATURE, DEP},
    {"2.16.840.1.101.3.4.3.1", "dsa-with-SHA224", SCEP_OID_SIGNATURE, CUR},
    {"2.16.840.1.101.3.4.3.2", "dsa-with-SHA256", SCEP_OID_SIGNATURE, CUR},

    /* Public keys and key transport */
    {"1.2.840.113549.1.1.1", "rsaEncryption", SCEP_OID_PUBLIC_KEY, CUR},
    {"1.2.840.113549.1.1.7", "RSAES-OAEP", SCEP_OID_PUBLIC_KEY, CUR},
    {"1.2.840.10045.2.1", "id-ecPublicKey", SCEP_OID_PUBLIC_KEY, CUR},
    {"1.2.840.10040.4.1", "id-dsa", SCEP_OID_PUBLIC_KEY, CUR},
    {"1.3.101.110", "X25519", SCEP_OID_PUBLIC_KEY, CUR},
    {"1.3.101.111", "X448", SCEP_OID_PUBLIC_KEY, CUR},

    /* Algorithm parameters: MGF, named curves */
    {"1.2.840.113549.1.1.8", "mgf1", SCEP_OID_OTHER, CUR},
    {"1.2.840.113549.1.1.9", "pSpecified", SCEP_OID_OTHER, CUR},
    {"1.2.840.10045.3.1.1", "prime192v1", SCEP_OID_OTHER, CUR},
    {"1.3.132.0.33", "secp224r1", SCEP_OID_OTHER, CUR},
    {"1.2.840.10045.3.1.7", "prime256v1", SCEP_OID_OTHER, CUR},
    {"1.3.132.0.34", "secp384r1", SCEP_OID_OTHER, CUR},
    {"1.3.132.0.35", "secp521r1", SCEP_OID_OTHER, CUR},
    {"1.3.132.0.10", "secp256k1", SCEP_OID_OTHER, CUR},

    /* Content ciphers and key wrap */
    {"1.3.14.3.2.7", "des-cbc", SCEP_OID_CIPHER, DEP},
    {"1.2.840.113549.3.7", "des-ede3-cbc", SCEP_OID_CIPHER, DEP},
    {"1.2.840.113549.3.2", "rc2-cbc", SCEP_OID_CIPHER, DEP},
    {"1.2.840.113549.3.4", "rc4", SCEP_OID_CIPHER, DEP},
    {"2.16.840.1.101.3.4.1.2", "aes128-cbc", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.22", "aes192-cbc", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.42", "aes256-cbc", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.6", "aes128-gcm", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.26", "aes192-gcm", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.46", "aes256-gcm", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.7", "aes128-ccm", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.27", "aes192-ccm", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.47", "aes256-ccm", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.5", "aes128-wrap", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.25", "aes192-wrap", SCEP_OID_CIPHER, CUR},
    {"2.16.840.1.101.3.4.1.45", "aes256-wrap", SCEP_OID_CIPHER, CUR},

    /* Distinguished-name attributes, with RFC 4514's short names where it has one and the
     * names OpenSSL prints otherwise */
    {"2.5.4.3", "CN", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.4", "SN", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.5", "serialNumber", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.6", "C", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.7", "L", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.8", "ST", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.9", "STREET", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.10", "O", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.11", "OU", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.12", "title", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.13", "description", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.15", "businessCategory", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.17", "postalCode", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.20", "telephoneNumber", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.41", "name", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.42", "GN", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.43", "initials", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.44", "generationQualifier", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.45", "x500UniqueIdentifier", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.46", "dnQualifier", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.65", "pseudonym", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"2.5.4.97", "organizationIdentifier", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"0.9.2342.19200300.100.1.1", "UID", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"0.9.2342.19200300.100.1.25", "DC", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.1", "emailAddress", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.2", "unstructuredName", SCEP_OID_DN_ATTRIBUTE, CUR},
    {"1.2.840.113549.1.9.8", "unstructuredAddress", SCEP_OID_DN_ATTRIBUTE, CUR},

    /* Certificate and CRL extensions */
    {"2.5.29.14", "subjectKeyIdentifier", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.15", "keyUsage", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.17", "subjectAltName", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.18", "issuerAltName", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.19", "basicConstraints", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.20", "cRLNumber", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.21", "cRLReason", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.30", "nameConstraints", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.31", "cRLDistributionPoints", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.32", "certificatePolicies", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.35", "authorityKeyIdentifier", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.36", "policyConstraints", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.37", "extKeyUsage", SCEP_OID_EXTENSION, CUR},
    {"2.5.29.54", "inhibitAnyPolicy", SCEP_OID_EXTENSION, CUR},
    {"1.3.6.1.5.5.7.1.1", "authorityInfoAccess", SCEP_OID_EXTENSION, CUR},
    {"1.3.6.1.4.1.311.20.2", "msCertificateTemplateName", SCEP_OID_EXTENSION, CUR},
    {"1.3.6.1.4.1.311.21.7", "msCertificateTemplate", SCEP_OID_EXTENSION, CUR},

    /* Extended key usages */
    {"1.3.6.1.5.5.7.3.1", "serverAuth", SCEP_OID_OTHER, CUR},
    {"1.3.6.1.5.5.7.3.2", "clientAuth", SCEP_OID_OTHER, CUR},
    {"1.3.6.1.5.5.7.3.4", "emailProtection", SCEP_OID_OTHER, CUR},
    {"1.3.6.1.5.5.7.3.9", "OCSPSigning", SCEP_OID_OTHER, CUR},
    {"1.3.6.1.5.5.8.2.2", "ipsecIKEIntermediate", SCEP_OID_OTHER, CUR},
};

/* next_subidentifier reads one base-128 subidentifier (X.690 8.19.2: high bit on all but the
 * last octet, minimal) at |oid|[|*i|]. Returns false when it is not minimal, cut, or does not
 * fit 64 bits. */
static bool next_subidentifier(const uint8_t *oid, size_t len, size_t *i, uint64_t *arc)
{
    if (oid[*i] == 0x80)
        return false; /* leading zero digit: not minimal */
    *arc = 0;
    for (;;) {
        if (*i >= len)
            return false; /* the last subidentifier is cut */
        uint8_t b = oid[(*i)++];
        if (*arc > (UINT64_MAX >> 7))
            return false;
        *arc = *arc << 7 | (b & 0x7Fu);
        if (!(b & 0x80))
            return true;
    }
}

/* The table's OIDs as contents octets, encoded once from their dotted form (the first call
 * to scep_oid_lookup, from any thread: call_once) and chained by length and last octet. A
 * lookup compares the few entries of its chain. */
#define OID_DER_MAX 32 /* longer than any OID of the table */

typedef struct {
    uint8_t length; /* 0: the entry did not encode (cannot happen for a valid table) */
    uint8_t octets[OID_DER_MAX];
} oid_octets;

#define OID_TABLE_SIZE (sizeof oid_table / sizeof oid_table[0])
#define OID_BUCKETS 64 /* chains by length and last octet: a lookup compares one or two */

static oid_octets oid_table_octets[OID_TABLE_SIZE];
static uint8_t oid_bucket_first[OID_BUCKETS]; /* 1 + index into oid_table; 0 ends a chain */
static uint8_t oid_bucket_next[OID_TABLE_SIZE];
static once_flag oid_table_octets_once = ONCE_FLAG_INIT;

_Static_assert(OID_TABLE_SIZE < 255, "chain links are octets");

static size_t oid_bucket(const uint8_t *oid, size_t len)
{
    return (oid[len - 1] ^ (len * 37u)) % OID_BUCKETS;
}

/* dotted_arc reads one decimal arc at |*p|. False when there is none or it exceeds 2^56. */
static bool dotted_arc(const char **p, uint64_t *arc)
{
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return false;
    for (*arc = 0; *s >= '0' && *s <= '9'; s++) {
        if (*arc > (UINT64_C(1) << 56))
            return false;
        *arc = *arc * 10 + (uint64_t)(*s - '0');
    }
    *p = s;
    return true;
}

/* put_subidentifier appends |arc| in base 128, most significant group first, the high bit
 * set on all but the last (X.690 8.19.2). False when it does not fit |out|. */
static bool put_subidentifier(oid_octets *out, uint64_t arc)
{
    uint8_t groups[10];
    size_t n = 0;
    do {
        groups[n++] = (uint8_t)(arc & 0x7Fu);
        arc >>= 7;
    } while (arc != 0);
    if (out->length + n > OID_DER_MAX)
        return false;
    while (n > 0) {
        n--;
        out->octets[out->length++] = (uint8_t)(groups[n] | (n > 0 ? 0x80u : 0u));
    }
    return true;
}

/* encode_dotted encodes |dotted| into |out|; the first two arcs X.Y travel as one
 * subidentifier 40 * X + Y (X.690 8.19.4). */
static bool encode_dotted(const char *dotted, oid_octets *out)
{
    uint64_t top, arc;
    out->length = 0;
    if (!dotted_arc(&dotted, &top) || top > 2 || *dotted++ != '.' || !dotted_arc(&dotted, &arc) ||
        !put_subidentifier(out, 40u * top + arc))
        return false;
    while (*dotted == '.') {
        dotted++;
        if (!dotted_arc(&dotted, &arc) || !put_subidentifier(out, arc))
            return false;
    }
    return *dotted == '\0';
}

static void encode_oid_table(void)
{
    /* Chained last to first, so each chain keeps the table's order. */
    for (size_t i = OID_TABLE_SIZE; i-- > 0;) {
        oid_octets *t = &oid_table_octets[i];
        if (!encode_dotted(oid_table[i].dotted, t)) {
            t->length = 0;
            continue;
        }
        size_t b = oid_bucket(t->octets, t->length);
        oid_bucket_next[i] = oid_bucket_first[b];
        oid_bucket_first[b] = (uint8_t)(i + 1);
    }
}

const scep_oid_info *scep_oid_lookup(const uint8_t *oid, size_t len)
{
    if (oid == NULL || len == 0 || len > OID_DER_MAX)
        return NULL;
    call_once(&oid_table_octets_once, encode_oid_table);
    for (size_t link = oid_bucket_first[oid_bucket(oid, len)]; link != 0; link = oid_bucket_next[link - 1]) {
        const oid_octets *t = &oid_table_octets[link - 1];
        if (t->length == len && memcmp(t->octets, oid, len) == 0)
            return &oid_table[link - 1];
    }
    return NULL;
}

/* oid_valid: does every subidentifier of |oid|/|len| decode? */
static bool oid_valid(const uint8_t *oid, size_t len)
{
    size_t i = 0;
    uint64_t arc = 0;
    while (i < len)
        if (!next_subidentifier(oid, len, &i, &arc))
            return false;
    return len > 0;
}

size_t scep_oid_to_dotted(const uint8_t *oid, size_t len, char *out, size_t cap)
{
    text_sink s;
    text_init(&s, out, cap);
    if (oid == NULL || !oid_valid(oid, len))
        return SCEP_FORMAT_INVALID;
    size_t i = 0;
    uint64_t arc = 0;
    for (bool first = true; i < len; first = false) {
        (void)next_subidentifier(oid, len, &i, &arc); /* checked above: cannot fail */
        if (first) {
            /* The first subidentifier packs two arcs: 40 * X + Y, with Y unbounded when X is
             * 2 (X.690 8.19.4), so 2.999 arrives as one subidentifier 1079. */
            unsigned top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
            text_u64(&s, top);
            arc -= 40u * top;
        }
        text_put(&s, ".", 1);
        text_u64(&s, arc);
    }
    return text_finish(&s);
}

/* The named numbers, indexed by value (gaps are NULL). */
static const char *const message_type_names[] = {
    [SCEP_MSG_CERT_REP] = "CertRep",       [SCEP_MSG_RENEWAL_REQ] = "RenewalReq",
    [SCEP_MSG_UPDATE_REQ] = "UpdateReq",   [SCEP_MSG_PKCS_REQ] = "PKCSReq",
    [SCEP_MSG_CERT_POLL] = "CertPoll",     [SCEP_MSG_GET_CERT] = "GetCert",
    [SCEP_MSG_GET_CRL] = "GetCRL",
};

static const char *const pki_status_names[] = {
    [SCEP_STATUS_SUCCESS] = "SUCCESS",
    [SCEP_STATUS_FAILURE] = "FAILURE",
    [SCEP_STATUS_PENDING] = "PENDING",
};

static const char *const fail_info_names[] = {
    [SCEP_FAIL_BAD_ALG] = "badAlg",         [SCEP_FAIL_BAD_MESSAGE_CHECK] = "badMessageCheck",
    [SCEP_FAIL_BAD_REQUEST] = "badRequest", [SCEP_FAIL_BAD_TIME] = "badTime",
    [SCEP_FAIL_BAD_CERT_ID] = "badCertId",
};

/* name_at returns |names|[|value|] when |value| indexes the table and names something. */
static const char *name_at(const char *const *names, size_t count, long value)
{
    if (value < 0 || (unsigned long)value >= count)
        return NULL;
    return names[value];
}

#define NAME_AT(names, value) name_at(names, sizeof names / sizeof names[0], value)

const char *scep_message_type_name(long message_type)
{
    return NAME_AT(message_type_names, message_type);
}

const char *scep_pki_status_name(long pki_status)
{
    return NAME_AT(pki_status_names, pki_status);
}

const char *scep_fail_info_name(long fail_info)
{
    return NAME_AT(fail_info_names, fail_info);
}

const char *scep_named_value_next(const char *(*name_of)(long), long *value)
{
    static const struct {
        const char *(*name_of)(long);
        const char *const *names;
        size_t count;
    } sets[] = {
        {scep_message_type_name, message_type_names, sizeof message_type_names / sizeof message_type_names[0]},
        {scep_pki_status_name, pki_status_names, sizeof pki_status_names / sizeof pki_status_names[0]},
        {scep_fail_info_name, fail_info_names, sizeof fail_info_names / sizeof fail_info_names[0]},
    };
    if (value == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        if (sets[i].name_of != name_of)
            continue;
        size_t start = *value < 0 ? 0 : (unsigned long)*value >= sets[i].count ? sets[i].count : (size_t)*value + 1;
        for (size_t v = start; v < sets[i].count; v++)
            if (sets[i].names[v] != NULL) {
                *value = (long)v;
                return sets[i].names[v];
            }
    }
    return NULL;
}

const char *scep_cert_role_name(scep_cert_role role)
{
    static const char *const names[] = {
        [SCEP_ROLE_UNKNOWN] = "unknown",
        [SCEP_ROLE_CA] = "CA",
        [SCEP_ROLE_RA_SIGNING] = "RA signing",
        [SCEP_ROLE_RA_ENCRYPTION] = "RA encryption",
        [SCEP_ROLE_RA] = "RA",
        [SCEP_ROLE_END_ENTITY] = "end entity",
    };
    return NAME_AT(names, (long)role);
}

const char *scep_key_usage_name(unsigned flag)
{
    static const char *const names[] = {
        "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
        "keyAgreement",     "keyCertSign",    "cRLSign",         "encipherOnly",
        "decipherOnly",
    };
    for (unsigned bit = 0; bit < sizeof names / sizeof names[0]; bit++)
        if (flag == 1u << bit)
            return names[bit];
    return NULL;
}

const char *scep_base64_form_name(unsigned flag)
{
    static const char *const names[] = {
        "percent-escaped", "raw-plus-slash", "space-as-plus", "url-safe",
        "no-padding",      "line-breaks",    "truncated",
    };
    for (unsigned bit = 0; bit < sizeof names / sizeof names[0]; bit++)
        if (flag == 1u << bit)
            return names[bit];
    return NULL;
}

/* In names.c, not crypto.c: renderers (json.c among them) name check results without
 * needing OpenSSL. */
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

/* The library's kinds, as JSON spells them (a contract: scepdec(1), section JSON), and in the
 * words the text report and the plugin show; NULL for the NONE values. Lists in enum order,
 * checked against the enums at compile time. */
static const char *const bundle_kind_names[] = {NULL, "certificate", "certs-only", "signed"};
static const char *const bundle_kind_words[] = {NULL, "single certificate", "certs-only PKCS#7",
                                                "signed PKCS#7 over certs-only"};
static const char *const content_kind_names[] = {NULL, "csr", "issuer_and_subject", "issuer_and_serial"};
static const char *const content_kind_words[] = {NULL, "PKCS#10 certificate request", "IssuerAndSubject",
                                                 "IssuerAndSerialNumber"};
static const char *const recipient_kind_names[] = {"ktri", "kari", "kekri", "pwri", "other"};
static const char *const input_kind_names[] = {NULL, "request", "pki_message", "bundle", "caps"};
NAME_LIST_CHECK(bundle_kind_names, SCEP_BUNDLE_SIGNED);
NAME_LIST_CHECK(bundle_kind_words, SCEP_BUNDLE_SIGNED);
NAME_LIST_CHECK(content_kind_names, SCEP_CONTENT_ISSUER_AND_SERIAL);
NAME_LIST_CHECK(content_kind_words, SCEP_CONTENT_ISSUER_AND_SERIAL);
NAME_LIST_CHECK(recipient_kind_names, SCEP_RECIP_OTHER);
NAME_LIST_CHECK(input_kind_names, SCEP_INPUT_CAPS);

const char *scep_bundle_kind_name(scep_bundle_kind k) { return NAME_LIST_AT(bundle_kind_names, k); }
const char *scep_content_kind_name(scep_content_kind k) { return NAME_LIST_AT(content_kind_names, k); }
const char *scep_recipient_kind_name(scep_recipient_kind k) { return NAME_LIST_AT(recipient_kind_names, k); }
const char *scep_input_kind_name(scep_input_kind k) { return NAME_LIST_AT(input_kind_names, k); }
const char *scep_bundle_kind_text(scep_bundle_kind k) { return NAME_LIST_AT(bundle_kind_words, k); }
const char *scep_content_kind_text(scep_content_kind k) { return NAME_LIST_AT(content_kind_words, k); }

/* text_copy writes |word| whole or not at all, by the text rule. */
static size_t text_copy(const char *word, char *out, size_t cap)
{
    text_sink s;
    text_init(&s, out, cap);
    text_str(&s, word);
    return text_finish(&s);
}

size_t scep_name_text(const uint8_t *der, size_t len, char *out, size_t cap)
{
    size_t needed = der != NULL ? scep_name_format(der, len, out, cap) : SCEP_FORMAT_INVALID;
    const char *word = der == NULL                        ? SCEP_WORDS_ABSENT
                       : needed == SCEP_FORMAT_INVALID ? SCEP_WORDS_UNREADABLE_NAME
                       : needed == 0                   ? SCEP_WORDS_EMPTY_NAME
                                                       : NULL;
    return word != NULL ? text_copy(word, out, cap) : needed;
}

unsigned scep_flag_next(unsigned *flags)
{
    if (flags == NULL || *flags == 0)
        return 0;
    unsigned lowest = *flags & (~*flags + 1u); /* two's complement: only the lowest bit stays */
    *flags &= ~lowest;
    return lowest;
}

unsigned scep_flag_bit(unsigned flag)
{
    unsigned bit = 0;
    if (flag == 0 || (flag & (flag - 1u)) != 0)
        return 32;
    while (flag >>= 1)
        bit++;
    return bit;
}

size_t scep_flags_format(unsigned flags, const char *(*name_of)(unsigned), char *out, size_t cap)
{
    text_sink s;
    text_init(&s, out, cap);
    for (unsigned rest = flags, flag, first = 1; (flag = scep_flag_next(&rest)) != 0; first = 0) {
        /* The separator and the name are one unit, so a cut text never ends in ", ". */
        char unit[64];
        const char *name = name_of != NULL ? name_of(flag) : NULL;
        if (name != NULL)
            snprintf(unit, sizeof unit, "%s%s", first ? "" : ", ", name);
        else
            snprintf(unit, sizeof unit, "%sbit %u", first ? "" : ", ", scep_flag_bit(flag));
        text_str(&s, unit);
    }
    return text_finish(&s);
}

size_t scep_key_usage_format(unsigned flags, char *out, size_t cap)
{
    if (flags == 0)
        return text_copy(SCEP_WORDS_NO_KEY_USAGE, out, cap);
    return scep_flags_format(flags, scep_key_usage_name, out, cap);
}

size_t scep_base64_forms_format(unsigned flags, char *out, size_t cap)
{
    if (flags == 0)
        return text_copy(SCEP_WORDS_STANDARD_BASE64, out, cap);
    return scep_flags_format(flags, scep_base64_form_name, out, cap);
}
