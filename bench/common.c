/* common.c — timing, table output, file reading and the facts text every section shares. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

volatile size_t bench_sink;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double run_batch(bench_fn fn, void *arg, size_t count)
{
    double start = now_ns();
    for (size_t i = 0; i < count; i++)
        fn(arg);
    return now_ns() - start;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_time(const bench_config *cfg, bench_fn fn, void *arg)
{
    /* Time is the CPU time of this thread, not wall time: the machine is shared, and time spent
     * running other processes is not ours. A batch lasts at least 2 ms (quick: 0.5 ms) so the
     * clock's resolution and the loop do not show; the median of the batches hides the odd
     * cache-cold batch after another process ran. */
    const double batch_ns = cfg->quick ? 0.5e6 : 2e6;
    const size_t batches = cfg->quick ? 3 : 15;
    fn(arg); /* warm caches and lazy initialisation */
    size_t count = 1;
    double elapsed;
    while ((elapsed = run_batch(fn, arg, count)) < batch_ns && count < ((size_t)1 << 40))
        count = elapsed > 0 ? (size_t)(count * (batch_ns / elapsed) * 1.2) + 1 : count * 2;
    double per_call[15];
    for (size_t b = 0; b < batches; b++)
        per_call[b] = run_batch(fn, arg, count) / (double)count;
    qsort(per_call, batches, sizeof per_call[0], compare_doubles);
    return per_call[batches / 2];
}

const char *bench_format_time(double ns, char *out, size_t cap)
{
    if (ns < 1e3)
        snprintf(out, cap, "%.0f ns", ns);
    else if (ns < 1e6)
        snprintf(out, cap, "%.2f µs", ns / 1e3);
    else if (ns < 1e9)
        snprintf(out, cap, "%.2f ms", ns / 1e6);
    else
        snprintf(out, cap, "%.2f s", ns / 1e9);
    return out;
}

void bench_heading(const char *title, const char *columns)
{
    printf("\n### %s\n\n%s\n|", title, columns);
    for (const char *p = columns; *p; p++)
        if (*p == '|' && p != columns)
            printf("---|");
    printf("\n");
    fflush(stdout);
}

bench_file bench_read_file(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    bench_file file = {NULL, 0};
    if (fp == NULL || fseek(fp, 0, SEEK_END) != 0) {
        fprintf(stderr, "bench: cannot read %s\n", path);
        exit(2);
    }
    long size = ftell(fp);
    rewind(fp);
    file.data = malloc((size > 0 ? (size_t)size : 0) + 1); /* NUL-terminated for text users */
    if (size < 0 || file.data == NULL || fread(file.data, 1, (size_t)size, fp) != (size_t)size) {
        fprintf(stderr, "bench: cannot read %s\n", path);
        exit(2);
    }
    file.len = (size_t)size;
    file.data[file.len] = 0;
    fclose(fp);
    return file;
}

void facts_clear(bench_facts *f)
{
    f->len = 0;
    f->text[0] = '\0';
}

static void facts_append(bench_facts *f, const char *text)
{
    size_t n = strlen(text);
    if (n > sizeof f->text - 1 - f->len)
        n = sizeof f->text - 1 - f->len;
    memcpy(f->text + f->len, text, n);
    f->len += n;
    f->text[f->len] = '\0';
}

void facts_number(bench_facts *f, const char *key, long value)
{
    char line[128];
    snprintf(line, sizeof line, "%s=%ld\n", key, value);
    facts_append(f, line);
}

void facts_bytes(bench_facts *f, const char *key, const uint8_t *data, size_t len)
{
    facts_append(f, key);
    facts_append(f, "=");
    for (size_t i = 0; i < len; i++) {
        char hex[3];
        snprintf(hex, sizeof hex, "%02x", data[i]);
        facts_append(f, hex);
    }
    facts_append(f, "\n");
}

bool facts_same(const char *what, const bench_facts *ours, const bench_facts *openssl)
{
    if (ours->len == openssl->len && memcmp(ours->text, openssl->text, ours->len) == 0)
        return true;
    fprintf(stderr, "bench: CORRECTNESS CHECK FAILED for %s\n--- scepdec:\n%s--- OpenSSL:\n%s",
            what, ours->text, openssl->text);
    return false;
}
