/* urls.c — a GET request target as a device log or a capture shows it, to facts: is the URL
 * path (scep_decode_query, then the pkiMessage) as cheap as its parts, base64 and the decode?
 * The alternative is GLib's unescaping and base64 followed by the OpenSSL code of facts.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "scepdec.h"

#ifdef BENCH_HAVE_GLIB
#include <glib.h>
#endif

typedef struct {
    const char *label;
    const char *url_file;  /* bench/data */
    bool der_in_vectors;
    const char *der_file;  /* the same message, extracted by sed and openssl */
} url_case;

static const url_case cases[] = {
    {"micromdm's PKCSReq, escaped base64 (%2B %2F %3D; made from the vector)", "micromdm-pkcsreq.url",
     true, "micromdm/PKCSReq.der"},
    {"certmonger PKCSReq, escaped base64 (real)", "certmonger-pkcsreq.url", false,
     "certmonger-pkcsreq.der"},
    {"iOS-style BER PKCSReq, raw + and / (crafted)", "crafted-ios-ber-pkcsreq.url", false,
     "crafted-ios-ber-pkcsreq.der"},
};
#define CASE_COUNT (sizeof cases / sizeof cases[0])

typedef struct {
    bench_file url;
    scep_span message_text; /* the message parameter inside |url| */
    uint8_t *buf;           /* decoded message */
    size_t cap;
    size_t len;
} url_arg;

static scep_query query;

static bool url_facts(url_arg *a, bench_facts *f)
{
    if (scep_decode_query((const char *)a->url.data, a->url.len, a->buf, a->cap, &query) ==
        SCEP_DECODE_NONE)
        return false;
    a->len = query.message_len;
    a->message_text = query.message_text;
    return scepdec_facts(MSG_PKI_MESSAGE, a->buf, query.message_len, f);
}

static void run_url(void *arg) { url_facts(arg, NULL); }

static void run_base64(void *arg)
{
    url_arg *a = arg;
    size_t n;
    scep_base64_decode((const char *)a->message_text.data, a->message_text.length, a->buf,
                       a->cap, &n, NULL, NULL);
    bench_sink += n;
}

static void run_decode(void *arg)
{
    url_arg *a = arg;
    scepdec_facts(MSG_PKI_MESSAGE, a->buf, a->len, NULL);
}

/* run_parts: the parts one after the other, as a caller who already knows where the message
 * is would run them: base64 into the buffer, then the facts of what it holds. Unlike the sum
 * of the parts timed apart, it pays for the DER decode reading bytes just written. */
static void run_parts(void *arg)
{
    url_arg *a = arg;
    size_t n;
    scep_base64_decode((const char *)a->message_text.data, a->message_text.length, a->buf,
                       a->cap, &n, NULL, NULL);
    scepdec_facts(MSG_PKI_MESSAGE, a->buf, n, NULL);
}

#ifdef BENCH_HAVE_GLIB
/* The alternative: cut the message parameter out, unescape it, base64-decode, OpenSSL. */
static bool alternative_facts(const url_arg *a, bench_facts *f)
{
    const char *text = (const char *)a->url.data;
    const char *start = g_strstr_len(text, (gssize)a->url.len, "message=");
    if (start == NULL)
        return false;
    start += strlen("message=");
    const char *end = memchr(start, '&', a->url.len - (size_t)(start - text));
    if (end == NULL)
        end = text + a->url.len;
    char *unescaped = g_uri_unescape_segment(start, end, NULL);
    gsize n = 0;
    guchar *der = unescaped ? g_base64_decode(unescaped, &n) : NULL;
    bool ok = der != NULL && openssl_facts(MSG_PKI_MESSAGE, der, n, f);
    g_free(der);
    g_free(unescaped);
    return ok;
}

static void run_alternative(void *arg) { alternative_facts(arg, NULL); }
#endif

static url_arg load(const bench_config *cfg, const url_case *c)
{
    url_arg a = {bench_read_file(cfg->data_dir, c->url_file), {0}, NULL, 0, 0};
    a.cap = a.url.len;
    a.buf = malloc(a.cap);
    return a;
}

bool urls_check(const bench_config *cfg)
{
    bool ok = true;
    for (size_t i = 0; i < CASE_COUNT; i++) {
        url_arg a = load(cfg, &cases[i]);
        bench_file der = bench_read_file(cases[i].der_in_vectors ? cfg->vector_dir : cfg->data_dir,
                                         cases[i].der_file);
        bench_facts ours, theirs;
        facts_clear(&ours);
        facts_clear(&theirs);
        if (!url_facts(&a, &ours) || !openssl_facts(MSG_PKI_MESSAGE, der.data, der.len, &theirs) ||
            !facts_same(cases[i].url_file, &ours, &theirs))
            ok = false;
        if (a.len != der.len || memcmp(a.buf, der.data, der.len) != 0) {
            fprintf(stderr, "bench: %s: decoded message differs from %s\n", cases[i].url_file,
                    cases[i].der_file);
            ok = false;
        }
#ifdef BENCH_HAVE_GLIB
        bench_facts alternative;
        facts_clear(&alternative);
        if (!alternative_facts(&a, &alternative) ||
            !facts_same(cases[i].url_file, &ours, &alternative))
            ok = false;
#endif
        free(der.data);
        free(a.url.data);
        free(a.buf);
    }
    return ok;
}

void urls_table(const bench_config *cfg)
{
    bench_heading("GET URL to facts: the whole path against its parts",
                  "| request target | characters | URL → facts | base64 alone | DER → facts alone | "
                  "URL / (base64 + DER) | base64 then DER → facts, in one run | URL / that | "
                  "GLib unescape + g_base64_decode + OpenSSL | that / URL → facts |");
    for (size_t i = 0; i < CASE_COUNT; i++) {
        url_arg a = load(cfg, &cases[i]);
        url_facts(&a, NULL);
        double url = bench_time(cfg, run_url, &a);
        double b64 = bench_time(cfg, run_base64, &a);
        run_base64(&a);
        double der = bench_time(cfg, run_decode, &a);
        double parts = bench_time(cfg, run_parts, &a);
        char t1[32], t2[32], t3[32], t4[32] = "—", t5[32], ratio[32] = "—";
#ifdef BENCH_HAVE_GLIB
        double alt = bench_time(cfg, run_alternative, &a);
        bench_format_time(alt, t4, sizeof t4);
        snprintf(ratio, sizeof ratio, "%.0f×", alt / url);
#endif
        printf("| %s | %zu | %s | %s | %s | %.2f | %s | %.2f | %s | %s |\n", cases[i].label,
               a.url.len, bench_format_time(url, t1, sizeof t1),
               bench_format_time(b64, t2, sizeof t2), bench_format_time(der, t3, sizeof t3),
               url / (b64 + der), bench_format_time(parts, t5, sizeof t5), url / parts, t4,
               ratio);
        fflush(stdout);
        free(a.url.data);
        free(a.buf);
    }
}
