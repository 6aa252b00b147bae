/* messages.c — real and crafted SCEP messages, decoded to the same facts by libscepdec and by
 * the OpenSSL code a user writes instead. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

typedef struct {
    const char *label;
    bool in_vectors;  /* under tests/vectors, else bench/data */
    const char *file;
    message_kind kind;
} message_case;

static const message_case cases[] = {
    {"micromdm PKCSReq (micromdm's test vector, DER)", true, "micromdm/PKCSReq.der", MSG_PKI_MESSAGE},
    {"strongSwan PKCSReq (POST body)", false, "strongswan-pkcsreq.der", MSG_PKI_MESSAGE},
    {"certmonger PKCSReq (from its GET URL)", false, "certmonger-pkcsreq.der", MSG_PKI_MESSAGE},
    {"iOS-style BER PKCSReq (crafted: indefinite lengths, chunked content)", false,
     "crafted-ios-ber-pkcsreq.der", MSG_PKI_MESSAGE},
    {"CertRep SUCCESS with 2 certificates (micromdm CA to strongSwan)", false,
     "strongswan-certrep.der", MSG_PKI_MESSAGE},
    {"CertRep SUCCESS (micromdm CA to certmonger)", false, "certmonger-certrep.der", MSG_PKI_MESSAGE},
    {"GetCACert RA bundle, 3 certificates (crafted, NDES-like)", false,
     "crafted-ndes-ra-bundle.der", MSG_CERT_BUNDLE},
};
#define CASE_COUNT (sizeof cases / sizeof cases[0])

static bench_file load(const bench_config *cfg, const message_case *c)
{
    return bench_read_file(c->in_vectors ? cfg->vector_dir : cfg->data_dir, c->file);
}

bool messages_check(const bench_config *cfg)
{
    bool ok = true;
    for (size_t i = 0; i < CASE_COUNT; i++) {
        bench_file file = load(cfg, &cases[i]);
        bench_facts ours, theirs;
        facts_clear(&ours);
        facts_clear(&theirs);
        bool decoded = scepdec_facts(cases[i].kind, file.data, file.len, &ours) &
                       openssl_facts(cases[i].kind, file.data, file.len, &theirs);
        if (!decoded || ours.len == 0) {
            fprintf(stderr, "bench: %s: not decoded\n", cases[i].file);
            ok = false;
        } else if (!facts_same(cases[i].file, &ours, &theirs)) {
            ok = false;
        }
        free(file.data);
    }
    return ok;
}

void messages_table(const bench_config *cfg)
{
    bench_heading("Message to facts: libscepdec vs OpenSSL d2i_PKCS7",
                  "| message | bytes | scepdec | heap allocations | OpenSSL | heap allocations | OpenSSL / scepdec |");
    for (size_t i = 0; i < CASE_COUNT; i++) {
        bench_file file = load(cfg, &cases[i]);
        facts_job job = {cases[i].kind, file.data, file.len};
        double ours = bench_time(cfg, run_scepdec_facts, &job);
        double theirs = bench_time(cfg, run_openssl_facts, &job);
        long ours_allocs = bench_count_allocations(run_scepdec_facts, &job);
        long theirs_allocs = bench_count_allocations(run_openssl_facts, &job);
        char t1[32], t2[32], a1[32] = "n/a", a2[32] = "n/a";
        if (ours_allocs >= 0) {
            snprintf(a1, sizeof a1, "%ld", ours_allocs);
            snprintf(a2, sizeof a2, "%ld", theirs_allocs);
        }
        printf("| %s | %zu | %s | %s | %s | %s | %.0f× |\n", cases[i].label, file.len,
               bench_format_time(ours, t1, sizeof t1), a1,
               bench_format_time(theirs, t2, sizeof t2), a2, theirs / ours);
        fflush(stdout);
        free(file.data);
    }
}
