/* test_crypto_threads — eight threads open envelopes at the same moment, each the library's
 * first crypto call in this process: micromdm's real PKCSReq (DES-EDE3-CBC) and scepclient's
 * real PKCSReq (single DES-CBC, OpenSSL's legacy provider). Every thread must get the
 * plaintext OpenSSL's command line gets, and the process's default OpenSSL context must be
 * left as it was: the library keeps its providers in a context of its own.
 * tests/scripts/tsan_crypto.sh builds this same file with -fsanitize=thread.
 *
 * Expected values (OpenSSL's command line; see the vectors' READMEs):
 *   micromdm/PKCSReq.der → 428 bytes, sha256 e14be4f4...b5e370 (full below);
 *   scepclient-des/PKCSReq-des.der → 680 bytes, sha256 4f09bf2f...09cf3 (full below). */
#define _POSIX_C_SOURCE 200809L /* pthread barriers */
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <pthread.h>

#include "check.h"
#include "sha256_hex.h"
#include "scepdec.h"

#define THREADS 8
#define ROUNDS 4

typedef struct {
    const char *message_path, *key_path;
    size_t want_len;
    const char *want_sha256;
    uint8_t *data, *key;
    size_t len, key_len;
    scep_pki_message msg;
    uint8_t content[8192];
} vector;

typedef struct {
    const vector *v;
    uint8_t plain[4096];
    size_t plain_len;
    int failures;
} job;

static pthread_barrier_t start_line;

static void *open_envelope(void *arg)
{
    job *j = arg;
    pthread_barrier_wait(&start_line);
    for (int round = 0; round < ROUNDS; round++) {
        scep_error err = {0};
        size_t n = 0;
        if (scep_decrypt_envelope(&j->v->msg, j->v->key, j->v->key_len, NULL, 0, j->plain,
                                  sizeof j->plain, &n, &err) != SCEP_DECODE_OK ||
            n != j->v->want_len) {
            fprintf(stderr, "%s: %s\n", j->v->message_path,
                    err.message ? err.message : "wrong length");
            j->failures++;
        }
        j->plain_len = n;
    }
    return NULL;
}

int main(void)
{
    static vector vectors[2] = {
        {.message_path = "vectors/micromdm/PKCSReq.der",
         .key_path = "vectors/micromdm/ca.key",
         .want_len = 428,
         .want_sha256 = "e14be4f45b58155f2d1f81a46123af1c8acceb23e338c063226bf1c270b5e370"},
        {.message_path = "vectors/scepclient-des/PKCSReq-des.der",
         .key_path = "vectors/scepclient-des/ca.key",
         .want_len = 680,
         .want_sha256 = "4f09bf2f43ca4491e734a99e71422bb3ada8b7e8fffe1f11fd28d1c472809cf3"},
    };
    for (int i = 0; i < 2; i++) {
        vector *v = &vectors[i];
        v->data = read_file(v->message_path, &v->len);
        v->key = read_file(v->key_path, &v->key_len);
        CHECK_INT(scep_decode_pki_message(v->data, v->len, v->content, sizeof v->content, &v->msg),
                  SCEP_DECODE_OK);
    }

    static job jobs[THREADS];
    pthread_t threads[THREADS];
    pthread_barrier_init(&start_line, NULL, THREADS);
    for (int t = 0; t < THREADS; t++) {
        jobs[t].v = &vectors[t % 2];
        CHECK_INT(pthread_create(&threads[t], NULL, open_envelope, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    pthread_barrier_destroy(&start_line);

    /* Before anything here uses OpenSSL itself: the library loaded no provider into the
     * default context (single DES worked, so legacy was loaded somewhere: in the library's
     * own context). */
    CHECK(!OSSL_PROVIDER_available(NULL, "legacy"));

    for (int t = 0; t < THREADS; t++) {
        char hex[65] = "";
        CHECK_INT(jobs[t].failures, 0);
        sha256_hex(jobs[t].plain, jobs[t].plain_len, hex);
        CHECK_STR(hex, jobs[t].v->want_sha256);
    }
    for (int i = 0; i < 2; i++) {
        free(vectors[i].data);
        free(vectors[i].key);
    }
    return check_report("test_crypto_threads");
}
