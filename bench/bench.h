/* bench.h — the benchmark's shared pieces: timing, the table it prints, files, and the facts
 * both decoders must agree on before any time is printed. */
#ifndef SCEPDEC_BENCH_H
#define SCEPDEC_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How hard to measure: --quick (CI) takes few, short samples; the full run takes more. */
typedef struct {
    bool quick;
    const char *data_dir;   /* bench/data */
    const char *vector_dir; /* tests/vectors */
} bench_config;

/* ------------------------------------------------------------------ timing ---- */

typedef void (*bench_fn)(void *arg);

/* bench_time runs |fn|(|arg|) in batches long enough to time (a calibrated count per batch)
 * and returns the median of several batches, in nanoseconds per call. */
double bench_time(const bench_config *cfg, bench_fn fn, void *arg);

/* bench_sink keeps the compiler from dropping work whose result is otherwise unused. */
extern volatile size_t bench_sink;

/* Heap allocations counted while |fn| runs once; -1 when counting is unavailable (a
 * sanitizer build, or not glibc). */
long bench_count_allocations(bench_fn fn, void *arg);

/* ------------------------------------------------------------------ output ---- */

/* bench_format_time writes |ns| as "123 ns", "4.56 µs" or "7.89 ms" into |out|. */
const char *bench_format_time(double ns, char *out, size_t cap);

/* bench_heading prints a section title and the header row of a Markdown table. */
void bench_heading(const char *title, const char *columns);

/* ------------------------------------------------------------------ files ----- */

typedef struct {
    uint8_t *data;
    size_t len;
} bench_file;

/* bench_read_file reads |dir|/|name| whole, with a NUL after its |len| bytes. Exits with a
 * message when it cannot. */
bench_file bench_read_file(const char *dir, const char *name);

/* ------------------------------------------------------------------ facts ----- */

/* What a user wants from a message, rendered as text so two decoders can be compared:
 * messageType, pkiStatus, failInfo, transactionID, both nonces, the envelope's recipients'
 * serials, and the certificates' serials. */
typedef struct {
    char text[4096];
    size_t len;
} bench_facts;

void facts_clear(bench_facts *f);
void facts_number(bench_facts *f, const char *key, long value);
void facts_bytes(bench_facts *f, const char *key, const uint8_t *data, size_t len);

/* facts_same prints both renderings when they differ, naming |what|. */
bool facts_same(const char *what, const bench_facts *ours, const bench_facts *openssl);

/* ------------------------------------------------------------------ sections -- */

/* Each section has a check, run for every section before any time is printed (false: the
 * decoders disagree, and the reason went to stderr), and a table, which times and prints. */
bool messages_check(const bench_config *cfg);
void messages_table(const bench_config *cfg);
bool urls_check(const bench_config *cfg);
void urls_table(const bench_config *cfg);
bool base64_check(const bench_config *cfg);
void base64_table(const bench_config *cfg);
bool scaling_check(const bench_config *cfg);
void scaling_table(const bench_config *cfg);

/* The two decoders of a pkiMessage or a certificate bundle, as the sections time them. */
typedef enum { MSG_PKI_MESSAGE, MSG_CERT_BUNDLE } message_kind;

/* scepdec_facts / openssl_facts decode |data|/|len| and fill |f| (when not NULL). Both return
 * false when nothing could be decoded. */
bool scepdec_facts(message_kind kind, const uint8_t *data, size_t len, bench_facts *f);
bool openssl_facts(message_kind kind, const uint8_t *data, size_t len, bench_facts *f);
void openssl_facts_init(void);

/* One message to decode, as bench_time and bench_count_allocations hand it to a runner. */
typedef struct {
    message_kind kind;
    const uint8_t *data;
    size_t len;
} facts_job;

/* The runners the tables time: |arg| is a facts_job; the facts are not kept. */
void run_scepdec_facts(void *arg);
void run_openssl_facts(void *arg);

#endif
