/* base64.c — scep_base64_decode against OpenSSL's and GLib's decoders, in MB of text per
 * second, on the forms SCEP's base64 takes: clean, wrapped in CRLF lines of 64 (older NDES
 * clients), percent-escaped (certmonger, NDES), url-safe (micromdm's client). Where a library
 * cannot read a form at all the cell says so. Every output must equal the original bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bench.h"
#include "scepdec.h"

#ifdef BENCH_HAVE_GLIB
#include <glib.h>
#endif

typedef enum { FORM_CLEAN, FORM_WRAPPED, FORM_ESCAPED, FORM_URL_SAFE, FORM_COUNT } text_form;

static const char *const form_labels[FORM_COUNT] = {
    "clean", "CRLF every 64 characters", "percent-escaped (%2B %2F)", "url-safe (- _)",
};

typedef struct {
    char *text;
    size_t len;
    uint8_t *out;
    size_t cap;
    size_t out_len;
} b64_arg;

static uint8_t *original;
static size_t original_len;

/* make_text encodes |original| with OpenSSL's encoder and reshapes it into |form|. */
static b64_arg make_text(text_form form)
{
    size_t clean_len = 4 * ((original_len + 2) / 3);
    char *clean = malloc(clean_len + 1);
    EVP_EncodeBlock((unsigned char *)clean, original, (int)original_len);
    b64_arg a = {malloc(clean_len * 3 + 1), 0, NULL, 0, 0};
    for (size_t i = 0; i < clean_len; i++) {
        char ch = clean[i];
        if (form == FORM_WRAPPED && i > 0 && i % 64 == 0) {
            a.text[a.len++] = '\r';
            a.text[a.len++] = '\n';
        }
        if (form == FORM_ESCAPED && (ch == '+' || ch == '/' || ch == '=')) {
            a.len += (size_t)sprintf(a.text + a.len, "%%%02X", (unsigned char)ch);
            continue;
        }
        if (form == FORM_URL_SAFE && (ch == '+' || ch == '/'))
            ch = ch == '+' ? '-' : '_';
        a.text[a.len++] = ch;
    }
    free(clean);
    a.cap = a.len;
    a.out = malloc(a.cap);
    return a;
}

static void run_scepdec(void *arg)
{
    b64_arg *a = arg;
    scep_base64_decode(a->text, a->len, a->out, a->cap, &a->out_len, NULL, NULL);
}

static void run_openssl(void *arg)
{
    b64_arg *a = arg;
    int n = EVP_DecodeBlock(a->out, (const unsigned char *)a->text, (int)a->len);
    a->out_len = n < 0 ? 0 : (size_t)n;
}

/* The PEM path of OpenSSL, which skips line ends. */
static void run_openssl_lines(void *arg)
{
    b64_arg *a = arg;
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    int n = 0, tail = 0;
    EVP_DecodeInit(ctx);
    if (EVP_DecodeUpdate(ctx, a->out, &n, (const unsigned char *)a->text, (int)a->len) < 0 ||
        EVP_DecodeFinal(ctx, a->out + n, &tail) < 0)
        n = tail = 0;
    EVP_ENCODE_CTX_free(ctx);
    a->out_len = (size_t)(n + tail);
}

#ifdef BENCH_HAVE_GLIB
static void run_glib(void *arg)
{
    b64_arg *a = arg;
    gint state = 0;
    guint save = 0;
    a->out_len = g_base64_decode_step(a->text, a->len, a->out, &state, &save);
}

/* GLib has no base64 for URLs: unescape first, then decode. */
static void run_glib_unescape(void *arg)
{
    b64_arg *a = arg;
    char *plain = g_uri_unescape_segment(a->text, a->text + a->len, NULL);
    gint state = 0;
    guint save = 0;
    a->out_len = plain ? g_base64_decode_step(plain, strlen(plain), a->out, &state, &save) : 0;
    g_free(plain);
}
#endif

/* The decoder each library offers for a form; NULL when it has none. */
static bench_fn openssl_for(text_form form)
{
    return form == FORM_CLEAN ? run_openssl : form == FORM_WRAPPED ? run_openssl_lines : NULL;
}

static bench_fn glib_for(text_form form)
{
#ifdef BENCH_HAVE_GLIB
    return form == FORM_CLEAN || form == FORM_WRAPPED ? run_glib
           : form == FORM_ESCAPED                     ? run_glib_unescape
                                                      : NULL;
#else
    (void)form;
    return NULL;
#endif
}

static void make_original(const bench_config *cfg)
{
    if (original)
        return;
    original_len = cfg->quick ? 3 * 256 * 1024 : 3 * 2816 * 1024; /* 1 MB / 11.5 MB of text */
    original = malloc(original_len);
    uint32_t x = 2463534242u; /* xorshift32: arbitrary, repeatable bytes */
    for (size_t i = 0; i < original_len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        original[i] = (uint8_t)(x >> 24);
    }
}

static bool same_bytes(const char *who, text_form form, const b64_arg *a)
{
    if (a->out_len == original_len && memcmp(a->out, original, original_len) == 0)
        return true;
    fprintf(stderr, "bench: base64 %s on %s text: %zu bytes, not the %zu original ones\n", who,
            form_labels[form], a->out_len, original_len);
    return false;
}

bool base64_check(const bench_config *cfg)
{
    make_original(cfg);
    bool ok = true;
    for (int form = 0; form < FORM_COUNT; form++) {
        b64_arg a = make_text((text_form)form);
        const struct {
            const char *who;
            bench_fn fn;
        } decoders[] = {{"scepdec", run_scepdec}, {"OpenSSL", openssl_for(form)},
                        {"GLib", glib_for(form)}};
        for (size_t d = 0; d < 3; d++) {
            if (decoders[d].fn == NULL)
                continue;
            memset(a.out, 0, a.cap);
            decoders[d].fn(&a);
            ok &= same_bytes(decoders[d].who, (text_form)form, &a);
        }
        free(a.text);
        free(a.out);
    }
    return ok;
}

static double throughput(const bench_config *cfg, bench_fn fn, b64_arg *a, char *cell, size_t cap)
{
    if (fn == NULL) {
        snprintf(cell, cap, "cannot");
        return 0;
    }
    double mb_per_s = (double)a->len / bench_time(cfg, fn, a) * 1e3;
    snprintf(cell, cap, "%.0f MB/s", mb_per_s);
    return mb_per_s;
}

void base64_table(const bench_config *cfg)
{
    make_original(cfg);
    bench_heading("Base64 decoding, MB of text per second (1 MB = 10^6 bytes)",
                  "| text | size | scepdec | OpenSSL | GLib | scepdec / fastest other |");
    for (int form = 0; form < FORM_COUNT; form++) {
        b64_arg a = make_text((text_form)form);
        char ours[32], openssl[32], glib[32], ratio[32] = "—";
        double o = throughput(cfg, run_scepdec, &a, ours, sizeof ours);
        double s = throughput(cfg, openssl_for(form), &a, openssl, sizeof openssl);
        double g = throughput(cfg, glib_for(form), &a, glib, sizeof glib);
#ifndef BENCH_HAVE_GLIB
        snprintf(glib, sizeof glib, "not built");
#endif
        double best = s > g ? s : g;
        if (best > 0)
            snprintf(ratio, sizeof ratio, "%.1f×", o / best);
        printf("| %s | %.1f MB | %s | %s | %s | %s |\n", form_labels[form], (double)a.len / 1e6,
               ours, openssl, glib, ratio);
        fflush(stdout);
        free(a.text);
        free(a.out);
    }
}
