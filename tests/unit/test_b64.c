/* test_b64.c — scep_base64_decode against RFC 4648's vectors, every URL form scepdec.h lists
 * (SCEP_B64_*), and micromdm's real PKCSReq. Expected encodings come from RFC 4648 section 10 or from coreutils
 * `base64` run in a shell (quoted next to each), never from the decoder itself. */
#include "b64_encode.h"
#include "check.h"
#include "scepdec.h"

#include <stdint.h>

/* decode runs the decoder on a C string with room to spare and returns its status. */
static scep_status decode(const char *text, uint8_t *out, size_t *n, unsigned *forms,
                          scep_error *err)
{
    *forms = 0;
    return scep_base64_decode(text, strlen(text), out, 256, n, forms, err);
}

#define CHECK_BYTES(out, n, want, want_len)                                            \
    do {                                                                               \
        CHECK_INT(n, want_len);                                                        \
        CHECK((n) == (want_len) && memcmp(out, want, want_len) == 0);                   \
    } while (0)

static void test_rfc4648_vectors(void)
{
    static const struct {
        const char *text, *plain;
    } vectors[] = {
        {"Zg==", "f"},         {"Zm8=", "fo"},         {"Zm9v", "foo"},
        {"Zm9vYg==", "foob"},  {"Zm9vYmE=", "fooba"},  {"Zm9vYmFy", "foobar"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        uint8_t out[256];
        size_t n = 99;
        unsigned forms;
        scep_error err;
        CHECK_INT(decode(vectors[i].text, out, &n, &forms, &err), SCEP_DECODE_OK);
        CHECK_BYTES(out, n, vectors[i].plain, strlen(vectors[i].plain));
        CHECK_INT(forms, 0);
        CHECK_INT(err.code, SCEP_ERR_NONE);
    }
    uint8_t out[4];
    size_t n = 99;
    unsigned forms = 0;
    scep_error err;
    CHECK_INT(scep_base64_decode("", 0, out, sizeof out, &n, &forms, &err), SCEP_DECODE_NONE);
    CHECK_INT(n, 0);
    CHECK_INT(err.code, SCEP_ERR_NONE);
}

/* printf '\xfb\xff\xbf' | base64  ->  +/+/ ;  printf 'hello\x00\xff' | base64  ->  aGVsbG8A/w== */
static void test_alphabets(void)
{
    static const uint8_t fbffbf[] = {0xfb, 0xff, 0xbf};
    static const uint8_t hello[] = {'h', 'e', 'l', 'l', 'o', 0x00, 0xff};
    static const struct {
        const char *text;
        const uint8_t *want;
        size_t want_len;
        unsigned forms;
    } cases[] = {
        {"+/+/", fbffbf, 3, SCEP_B64_RAW_PLUS_SLASH},
        {"-_-_", fbffbf, 3, SCEP_B64_URL_SAFE},
        {"%2B%2F%2B%2F", fbffbf, 3, SCEP_B64_PERCENT_ESCAPED},
        {"%2b%2f%2b%2f", fbffbf, 3, SCEP_B64_PERCENT_ESCAPED},
        {" / /", fbffbf, 3, SCEP_B64_SPACE_AS_PLUS | SCEP_B64_RAW_PLUS_SLASH},
        {"%20%2F%20%2F", fbffbf, 3, SCEP_B64_SPACE_AS_PLUS | SCEP_B64_PERCENT_ESCAPED},
        {"+_-/", fbffbf, 3, SCEP_B64_RAW_PLUS_SLASH | SCEP_B64_URL_SAFE},
        {"aGVsbG8A/w==", hello, 7, SCEP_B64_RAW_PLUS_SLASH},
        {"aGVsbG8A_w", hello, 7, SCEP_B64_URL_SAFE | SCEP_B64_NO_PADDING},
        {"aGVsbG8A%2Fw%3D%3D", hello, 7, SCEP_B64_PERCENT_ESCAPED},
        {"aGVsbG8A%2Fw%3d=", hello, 7, SCEP_B64_PERCENT_ESCAPED},
        /* An escape of a plain letter is odd but harmless: %61 is 'a'. */
        {"%61GVsbG8A/w==", hello, 7, SCEP_B64_PERCENT_ESCAPED | SCEP_B64_RAW_PLUS_SLASH},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t out[256];
        size_t n;
        unsigned forms;
        scep_error err;
        CHECK_INT(decode(cases[i].text, out, &n, &forms, &err), SCEP_DECODE_OK);
        CHECK_BYTES(out, n, cases[i].want, cases[i].want_len);
        if (forms != cases[i].forms)
            fprintf(stderr, "case %zu: %s\n", i, cases[i].text);
        CHECK_INT(forms, cases[i].forms);
    }
}

static void test_padding_and_line_breaks(void)
{
    static const struct {
        const char *text, *plain;
        unsigned forms;
    } cases[] = {
        {"Zg", "f", SCEP_B64_NO_PADDING},
        {"Zg=", "f", SCEP_B64_NO_PADDING}, /* half the padding */
        {"Zm8", "fo", SCEP_B64_NO_PADDING},
        {"Zm9vYmE", "fooba", SCEP_B64_NO_PADDING},
        {"Zm9v\r\nYmFy\r\n", "foobar", SCEP_B64_LINE_BREAKS},
        {"Zm9v\nYmFy", "foobar", SCEP_B64_LINE_BREAKS},
        {"Zm9v%0AYmFy%0a", "foobar", SCEP_B64_LINE_BREAKS},
        {"Zm9v%0D%0AYmFy", "foobar", SCEP_B64_LINE_BREAKS},
        {"Z\nm\r\n9\rv", "foo", SCEP_B64_LINE_BREAKS}, /* breaks inside a quantum */
        {"Zg=\n=", "f", SCEP_B64_LINE_BREAKS},           /* and inside the padding */
        {"Zm9vYg%3D%0A%3D", "foob", SCEP_B64_LINE_BREAKS | SCEP_B64_PERCENT_ESCAPED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t out[256];
        size_t n;
        unsigned forms;
        scep_error err;
        CHECK_INT(decode(cases[i].text, out, &n, &forms, &err), SCEP_DECODE_OK);
        CHECK_BYTES(out, n, cases[i].plain, strlen(cases[i].plain));
        if (forms != cases[i].forms)
            fprintf(stderr, "case %zu\n", i);
        CHECK_INT(forms, cases[i].forms);
    }
}

static void test_truncation(void)
{
    uint8_t out[256];
    size_t n;
    unsigned forms;
    scep_error err;

    /* A lone last character holds 6 bits: dropped, flagged. */
    CHECK_INT(decode("Zm9vY", out, &n, &forms, &err), SCEP_DECODE_PARTIAL);
    CHECK_BYTES(out, n, "foo", 3);
    CHECK_INT(forms, SCEP_B64_TRUNCATED);
    CHECK_INT(err.code, SCEP_ERR_NONE);

    CHECK_INT(decode("Z", out, &n, &forms, &err), SCEP_DECODE_NONE);
    CHECK_INT(n, 0);
    CHECK_INT(forms, SCEP_B64_TRUNCATED);

    /* A log line cut inside a percent escape is a cut, not a stray '%'. */
    CHECK_INT(decode("Zm9v%2", out, &n, &forms, &err), SCEP_DECODE_PARTIAL);
    CHECK_BYTES(out, n, "foo", 3);
    CHECK_INT(forms, SCEP_B64_TRUNCATED);
    CHECK_INT(err.code, SCEP_ERR_NONE);

    CHECK_INT(decode("Zm8%", out, &n, &forms, &err), SCEP_DECODE_PARTIAL);
    CHECK_BYTES(out, n, "fo", 2);
    CHECK_INT(forms, SCEP_B64_TRUNCATED);
}

static void test_stray_characters(void)
{
    static const struct {
        const char *text, *plain;
        size_t offset;
    } cases[] = {
        {"Zm9v!Zm9v", "foo", 4},
        {"Zm9vYm!", "foob", 6},    /* complete bytes before the stray one are kept */
        {"Zm\tv", "f", 2},         /* a tab is no alphabet's */
        {"Zm9v%zzYmFy", "foo", 4}, /* '%' without hex digits */
        {"Zm9v%g", "foo", 4},      /* ... even at the end, when what follows is no hex */
        {"Zm9v%25", "foo", 4},     /* %25 is '%': no double decoding */
        {"Zm9v%26", "foo", 4},     /* '&' */
        {"Z=", "", 1},             /* '=' after one character pads nothing */
        {"=Zg", "", 0},
        {"Zm9v=", "foo", 4},
        {"Zg===", "f", 4},         /* one '=' too many */
        {"Zg==Zg==", "f", 4},      /* data after the padding */
        {"Zm9v.", "foo", 4},
        {"Zm9v\xc3\xa9", "foo", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t out[256];
        size_t n;
        unsigned forms;
        scep_error err;
        scep_status want = cases[i].plain[0] ? SCEP_DECODE_PARTIAL : SCEP_DECODE_NONE;
        if (decode(cases[i].text, out, &n, &forms, &err) != want)
            fprintf(stderr, "case %zu: %s\n", i, cases[i].text);
        CHECK_INT(decode(cases[i].text, out, &n, &forms, &err), want);
        CHECK_BYTES(out, n, cases[i].plain, strlen(cases[i].plain));
        CHECK_INT(err.code, SCEP_ERR_BAD_BASE64);
        CHECK_INT(err.offset, cases[i].offset);
        CHECK_INT(err.source, SCEP_SRC_INPUT);
        CHECK(err.message != NULL);
    }
}

static void test_capacity(void)
{
    uint8_t out[8];
    size_t n;
    unsigned forms = 0;
    scep_error err;
    memset(out, 0xAA, sizeof out);
    CHECK_INT(scep_base64_decode("Zm9vYmFy", 8, out, 4, &n, &forms, &err), SCEP_DECODE_PARTIAL);
    CHECK_BYTES(out, n, "foob", 4);
    CHECK_INT(out[4], 0xAA); /* nothing written past |cap| */
    CHECK_INT(err.code, SCEP_ERR_CAPACITY);

    /* Room for the full quanta but not for the final partial one. */
    memset(out, 0xAA, sizeof out);
    CHECK_INT(scep_base64_decode("Zm9vYg==", 8, out, 3, &n, &forms, &err), SCEP_DECODE_PARTIAL);
    CHECK_BYTES(out, n, "foo", 3);
    CHECK_INT(out[3], 0xAA);
    CHECK_INT(err.code, SCEP_ERR_CAPACITY);

    CHECK_INT(scep_base64_decode("Zm9v", 4, NULL, 0, &n, &forms, &err), SCEP_DECODE_NONE);
    CHECK_INT(n, 0);
    CHECK_INT(err.code, SCEP_ERR_CAPACITY);

    /* |forms| and |error| are optional; |forms| accumulates. printf '\xff' | base64 -> /w== */
    forms = SCEP_B64_LINE_BREAKS;
    CHECK_INT(scep_base64_decode("_w", 2, out, sizeof out, &n, &forms, NULL), SCEP_DECODE_OK);
    CHECK_INT(forms, SCEP_B64_LINE_BREAKS | SCEP_B64_URL_SAFE | SCEP_B64_NO_PADDING);
    CHECK_INT(scep_base64_decode("_w", 2, out, sizeof out, &n, NULL, NULL), SCEP_DECODE_OK);
    CHECK_INT(out[0], 0xff);
}

/* ------------------------------------------------------------------------------------------
 * The fast path's boundaries. The decoder takes runs of whole quanta of plain characters by
 * table and everything else (escapes, line breaks, spaces, padding, a partial quantum) one
 * character at a time. Each case below interrupts a run at every position of texts of every
 * length (so at every alignment to the quanta and to the two-quanta rounds), from pointers at
 * four alignments, and must decode to the encoder's input with exactly the forms the case put
 * in. Expected bytes are the input of encode_b64; expected forms follow from the text built. */

typedef enum {
    CUT_NONE,          /* the clean text */
    CUT_ESCAPE,        /* the character at the position written as %XX */
    CUT_CRLF,          /* "\r\n" inserted */
    CUT_ESCAPED_CRLF,  /* "%0D%0A" inserted */
    CUT_SPACE,         /* a '+' at the position form-decoded into ' ' (only where there is one) */
    CUT_KINDS,
} cut_kind;

/* fast_case_text builds the text for |kind| at |pos| of |clean| into |text| and returns its
 * length, or 0 when the case does not apply there. Sets |*forms| to the forms it contains. */
static size_t fast_case_text(const char *clean, size_t clean_len, cut_kind kind, size_t pos,
                             char *text, unsigned *forms)
{
    size_t n = 0;
    *forms = 0;
    if ((kind == CUT_ESCAPE || kind == CUT_SPACE) && pos >= clean_len)
        return 0;
    if (kind == CUT_SPACE && clean[pos] != '+')
        return 0;
    for (size_t i = 0; i <= clean_len; i++) {
        if (i == pos && kind == CUT_CRLF) {
            n += (size_t)sprintf(text + n, "\r\n");
            *forms |= SCEP_B64_LINE_BREAKS;
        } else if (i == pos && kind == CUT_ESCAPED_CRLF) {
            n += (size_t)sprintf(text + n, "%%0D%%0A");
            *forms |= SCEP_B64_LINE_BREAKS;
        }
        if (i == clean_len)
            break;
        if (i == pos && kind == CUT_ESCAPE) {
            n += (size_t)sprintf(text + n, "%%%02X", (unsigned char)clean[i]);
            *forms |= SCEP_B64_PERCENT_ESCAPED;
            continue;
        }
        if (i == pos && kind == CUT_SPACE) {
            text[n++] = ' ';
            *forms |= SCEP_B64_SPACE_AS_PLUS;
            continue;
        }
        if (clean[i] == '+' || clean[i] == '/')
            *forms |= SCEP_B64_RAW_PLUS_SLASH;
        if (clean[i] == '-' || clean[i] == '_')
            *forms |= SCEP_B64_URL_SAFE;
        text[n++] = clean[i];
    }
    return n;
}

/* fast_case_check decodes |text| from |shift| bytes into an aligned buffer, with room to
 * spare and with exactly |want_len| bytes, and, when |want_len| > 0, with one byte too few. */
static void fast_case_check(const char *text, size_t text_len, size_t shift, const uint8_t *want,
                            size_t want_len, unsigned want_forms)
{
    char placed[160];
    uint8_t out[64];
    memcpy(placed + shift, text, text_len);
    for (size_t room = want_len + (want_len > 0 ? 0 : 1); room <= want_len + 1; room++) {
        size_t cap = room == want_len + 1 ? sizeof out : room, n = 99;
        unsigned forms = 0;
        scep_error err;
        scep_status st = scep_base64_decode(placed + shift, text_len, out, cap, &n, &forms, &err);
        bool ok = n == want_len && memcmp(out, want, want_len) == 0 && forms == want_forms &&
                  err.code == SCEP_ERR_NONE && st == (want_len ? SCEP_DECODE_OK : SCEP_DECODE_NONE);
        if (ok && want_len > 0 && room == want_len) {
            st = scep_base64_decode(placed + shift, text_len, out, want_len - 1, &n, NULL, &err);
            ok = st == (want_len > 1 ? SCEP_DECODE_PARTIAL : SCEP_DECODE_NONE) &&
                 err.code == SCEP_ERR_CAPACITY && n == want_len - 1 &&
                 memcmp(out, want, want_len - 1) == 0;
        }
        CHECK(ok);
        if (!ok)
            fprintf(stderr, "  text \"%.*s\" (shift %zu, cap %zu): %zu bytes, forms %#x, want %zu, %#x\n",
                    (int)text_len, text, shift, cap, n, forms, want_len, want_forms);
    }
}

static void test_fast_path_boundaries(void)
{
    uint8_t data[40];
    uint32_t x = 0x9E3779B9u; /* xorshift32: bytes whose encoding has '+' and '/' here and there */
    for (size_t i = 0; i < sizeof data; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (uint8_t)(x >> 24);
    }
    for (size_t len = 0; len <= sizeof data; len++) {
        char clean[64], text[160];
        size_t clean_len = encode_b64(data, len, clean);
        for (int variant = 0; variant < 3; variant++) {
            /* 0: standard and padded; 1: url-safe alphabet; 2: padding left out. */
            size_t variant_len = clean_len;
            for (size_t i = 0; i < clean_len && variant == 1; i++)
                clean[i] = clean[i] == '+' ? '-' : clean[i] == '/' ? '_' : clean[i];
            while (variant == 2 && variant_len > 0 && clean[variant_len - 1] == '=')
                variant_len--;
            for (int kind = 0; kind < CUT_KINDS; kind++) {
                for (size_t pos = 0; pos <= variant_len; pos++) {
                    unsigned forms;
                    size_t n = fast_case_text(clean, variant_len, (cut_kind)kind, pos, text, &forms);
                    if (n == 0 && variant_len > 0)
                        continue;
                    if (variant_len < clean_len)
                        forms |= SCEP_B64_NO_PADDING;
                    for (size_t shift = 0; shift < 4; shift++)
                        fast_case_check(text, n, shift, data, len, forms);
                    if (kind == CUT_NONE)
                        break; /* one clean text is enough */
                }
            }
        }
    }
}

/* encode_b64 (b64_encode.h) is the tests' own encoder: checked here against coreutils' output
 * before anything relies on it. */
static void test_pkcsreq(void)
{
    size_t der_len;
    uint8_t *der = read_file("vectors/micromdm/PKCSReq.der", &der_len);
    char *text = malloc(der_len * 2 + 8);
    uint8_t *out = malloc(der_len + 8);
    size_t text_len = encode_b64(der, der_len, text);

    /* base64 -w0 vectors/micromdm/PKCSReq.der | head -c 80 ; ... | tail -c 40 ; ... | wc -c */
    CHECK_INT(text_len, 3284);
    CHECK(memcmp(text, "MIIJmQYJKoZIhvcNAQcCoIIJijCCCYYCAQExCzAJBgUrDgMCGgUAMIIEWAYJKoZIhvcNAQcBoIIESQSC",
                 80) == 0);
    CHECK(memcmp(text + text_len - 40, "1WZwS2VrE0i25GrM+77RN1QTtn4rayXHtryLNA==", 40) == 0);

    size_t n;
    unsigned forms = 0;
    scep_error err;
    CHECK_INT(scep_base64_decode(text, text_len, out, der_len + 8, &n, &forms, &err),
              SCEP_DECODE_OK);
    CHECK_BYTES(out, n, der, der_len);
    CHECK_INT(forms, SCEP_B64_RAW_PLUS_SLASH);

    /* Exactly |der_len| bytes of room is enough; one fewer is not. */
    CHECK_INT(scep_base64_decode(text, text_len, out, der_len, &n, &forms, &err), SCEP_DECODE_OK);
    CHECK_INT(n, der_len);
    CHECK_INT(scep_base64_decode(text, text_len, out, der_len - 1, &n, &forms, &err),
              SCEP_DECODE_PARTIAL);
    CHECK_INT(n, der_len - 1);
    CHECK_INT(err.code, SCEP_ERR_CAPACITY);
    free(der);
    free(text);
    free(out);
}

int main(void)
{
    test_rfc4648_vectors();
    test_alphabets();
    test_padding_and_line_breaks();
    test_truncation();
    test_stray_characters();
    test_capacity();
    test_fast_path_boundaries();
    test_pkcsreq();
    return check_report("test_b64");
}
