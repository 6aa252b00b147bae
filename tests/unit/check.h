/* check.h — the unit tests' assertions: each failure prints what was expected and what was
 * got, and the test's exit status counts the failures. */
#ifndef SCEPDEC_TEST_CHECK_H
#define SCEPDEC_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        check_count++;                                                                 \
        if (!(cond)) {                                                                 \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);        \
        }                                                                              \
    } while (0)

#define CHECK_INT(got, want)                                                           \
    do {                                                                               \
        long long got_ = (long long)(got), want_ = (long long)(want);                  \
        check_count++;                                                                 \
        if (got_ != want_) {                                                           \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s: expected %lld, got %lld\n", __FILE__, __LINE__, \
                    #got, want_, got_);                                                \
        }                                                                              \
    } while (0)

#define CHECK_STR(got, want)                                                           \
    do {                                                                               \
        const char *got_ = (got), *want_ = (want);                                     \
        check_count++;                                                                 \
        if (got_ == NULL || strcmp(got_, want_) != 0) {                                \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s: expected \"%s\", got \"%s\"\n", __FILE__,       \
                    __LINE__, #got, want_, got_ ? got_ : "(null)");                    \
        }                                                                              \
    } while (0)

/* CHECK_SPAN_STR compares a span's bytes with a C string. */
#define CHECK_SPAN_STR(span, want)                                                     \
    do {                                                                               \
        scep_span s_ = (span);                                                         \
        const char *want_ = (want);                                                    \
        check_count++;                                                                 \
        if (s_.data == NULL || s_.length != strlen(want_) ||                           \
            memcmp(s_.data, want_, s_.length) != 0) {                                  \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s: expected \"%s\", got \"%.*s\"\n", __FILE__,     \
                    __LINE__, #span, want_, s_.data ? (int)s_.length : 6,              \
                    s_.data ? (const char *)s_.data : "(none)");                       \
        }                                                                              \
    } while (0)

/* CHECK_SPAN_HEX compares a span's bytes with lowercase hex. */
#define CHECK_SPAN_HEX(span, want_hex)                                                 \
    do {                                                                               \
        scep_span s_ = (span);                                                         \
        char got_hex_[1024];                                                           \
        size_t n_ = 0;                                                                 \
        for (size_t i_ = 0; s_.data && i_ < s_.length && n_ + 3 < sizeof got_hex_; i_++) \
            n_ += (size_t)snprintf(got_hex_ + n_, sizeof got_hex_ - n_, "%02x", s_.data[i_]); \
        got_hex_[n_] = 0;                                                              \
        check_count++;                                                                 \
        if (strcmp(got_hex_, want_hex) != 0) {                                         \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s: expected %s, got %s\n", __FILE__, __LINE__,    \
                    #span, want_hex, s_.data ? got_hex_ : "(none)");                   \
        }                                                                              \
    } while (0)

static inline int check_report(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

/* read_file loads a whole file; exits the test when it cannot. */
static inline unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        exit(2);
    *len = n;
    return buf;
}

#endif
