/* seed_split.c — a helper of make-corpus: decodes one DER/BER file (pkiMessage or certificate
 * bundle) with libscepdec and writes the parts other harnesses take as their whole input: the
 * pkcsPKIEnvelope, every Name (issuers and subjects) and every OID, one file each, named
 * <out>/<kind>-<n>. Usage: seed_split FILE OUTDIR. Not a test; a corpus maker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scepdec.h"

static const char *outdir;
static int counter;

static void put(const char *kind, scep_span s)
{
    if (!s.data || s.length == 0)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s-%d", outdir, kind, counter++);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(s.data, 1, s.length, f);
    fclose(f);
}

static void put_identifier(const scep_identifier *id) { put("name", id->issuer); }

static void put_algorithm(const scep_algorithm *a) { put("oid", a->oid); }

static void put_certificate(const scep_certificate *c)
{
    put("name", c->issuer);
    put("name", c->subject);
    put_algorithm(&c->signature_algorithm);
    put_algorithm(&c->public_key_algorithm);
}

static void put_signed_data(const scep_signed_data *sd)
{
    put("oid", sd->content_type);
    put("oid", sd->encap_content_type);
    for (size_t i = 0; i < sd->certificate_count; i++)
        put_certificate(&sd->certificates[i]);
    put_identifier(&sd->signer.sid);
    put_algorithm(&sd->signer.digest_algorithm);
    put_algorithm(&sd->signer.signature_algorithm);
    for (size_t i = 0; i < sd->signer.attribute_count; i++)
        put("oid", sd->signer.attributes[i].oid);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    outdir = argv[2];
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 2;
    static uint8_t data[1 << 20], content[1 << 20];
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    static scep_pki_message m;
    static scep_cert_bundle b;
    if (scep_decode_pki_message(data, len, content, sizeof content, &m) != SCEP_DECODE_NONE) {
        put_signed_data(&m.signed_data);
        if (m.has_envelope) {
            put("envelope", m.envelope.span);
            put("oid", m.envelope.content_type);
            put_algorithm(&m.envelope.content_encryption_algorithm);
            for (size_t i = 0; i < m.envelope.recipient_count; i++) {
                put_identifier(&m.envelope.recipients[i].rid);
                put_algorithm(&m.envelope.recipients[i].key_encryption_algorithm);
            }
        }
    }
    if (scep_decode_cert_bundle(data, len, content, sizeof content, &b) != SCEP_DECODE_NONE) {
        for (size_t i = 0; i < b.certificate_count; i++)
            put_certificate(&b.certificates[i]);
        put_signed_data(&b.outer);
    }
    return 0;
}
