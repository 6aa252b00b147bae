/* scan.c reads logs for `scepdec --scan`: a file (or standard input) in fixed chunks, UTF-8
 * or UTF-16LE with a BOM (converted to UTF-8 on the way), CRLF or LF, any line length. A line
 * inside one chunk goes to scan_line_piece in place; a line that is not is gathered into a
 * window of SCAN_WINDOW bytes, and a longer line goes on in windows that keep only a
 * lookback (or the start of a URL still running). Memory is the same for any file size. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, fileno, isatty */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scan.h"

#define CHUNK (256u * 1024)
#define PROGRESS_MIN_SIZE (100ull * 1000 * 1000)

typedef struct {
    char *win;          /* SCAN_WINDOW bytes: the current line, or its latest window */
    size_t win_len;
    size_t search_from; /* bytes of |win| already searched for "operation=" */
    bool started;       /* the line's first window was handed over */
    bool skipping;      /* dropping the rest of a URL longer than a window */
    uint64_t lines;     /* lines completed */
} line_reader;

/* UTF-16LE to UTF-8, across chunk boundaries. */
typedef struct {
    bool active;
    bool has_odd;
    uint8_t odd;
    unsigned high;      /* a high surrogate waiting for its low half, or 0 */
} utf16_state;

static size_t put_utf8(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* utf16le_to_utf8 converts |n| bytes; |out| must hold n / 2 * 3 + 8 bytes. Unpaired
 * surrogates become U+FFFD. */
static size_t utf16le_to_utf8(utf16_state *st, const uint8_t *in, size_t n, char *out)
{
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned unit;
        if (st->has_odd) {
            unit = st->odd | (unsigned)in[i] << 8;
            st->has_odd = false;
            i++;
        } else if (i + 1 < n) {
            unit = in[i] | (unsigned)in[i + 1] << 8;
            i += 2;
        } else {
            st->has_odd = true;
            st->odd = in[i++];
            break;
        }
        if (st->high && unit >= 0xDC00 && unit <= 0xDFFF) {
            o += put_utf8(0x10000 + ((st->high - 0xD800) << 10) + (unit - 0xDC00), out + o);
            st->high = 0;
            continue;
        }
        if (st->high)
            o += put_utf8(0xFFFD, out + o);
        st->high = 0;
        if (unit >= 0xD800 && unit <= 0xDBFF)
            st->high = unit;
        else
            o += put_utf8(unit >= 0xDC00 && unit <= 0xDFFF ? 0xFFFD : unit, out + o);
    }
    return o;
}

/* window_full hands a full window to the line recogniser and keeps what it asks for. */
static void window_full(scanner *s, line_reader *r)
{
    size_t resume;
    s->line_no = r->lines + 1;
    size_t keep = scan_line_piece(s, r->win, r->win_len, r->search_from, !r->started, false,
                                  &resume);
    r->started = true;
    if (keep == SIZE_MAX) {
        r->win_len = 0;
        r->search_from = 0;
        r->skipping = true;
        return;
    }
    if (keep > r->win_len)
        keep = r->win_len;
    memmove(r->win, r->win + keep, r->win_len - keep);
    r->win_len -= keep;
    r->search_from = resume < r->win_len ? resume : r->win_len;
}

static void line_end(scanner *s, line_reader *r, const char *text, size_t len)
{
    size_t resume;
    if (len > 0 && text[len - 1] == '\r')
        len--;
    s->line_no = r->lines + 1;
    scan_line_piece(s, text, len, r->started ? r->search_from : 0, !r->started, true, &resume);
    r->lines++;
    r->win_len = 0;
    r->search_from = 0;
    r->started = false;
    r->skipping = false;
}

/* skip_url drops the bytes of a URL too long for a window, up to its end. */
static size_t skip_url(line_reader *r, const char *data, size_t pos, size_t end)
{
    while (pos < end) {
        unsigned char c = (unsigned char)data[pos];
        if (c <= ' ' || c == '"' || c == '\'' || c == '\\' || c == '>' || c == 0x7F) {
            r->skipping = false;
            break;
        }
        pos++;
    }
    return pos;
}

static void feed(scanner *s, line_reader *r, const char *data, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        if (nl && r->win_len == 0 && !r->started && !r->skipping) {
            line_end(s, r, data + pos, end - pos); /* the common case: in place */
            pos = end + 1;
            continue;
        }
        if (r->skipping)
            pos = skip_url(r, data, pos, end);
        while (pos < end) {
            size_t room = s->window - r->win_len;
            size_t take = end - pos < room ? end - pos : room;
            memcpy(r->win + r->win_len, data + pos, take);
            r->win_len += take;
            pos += take;
            if (r->win_len == s->window) {
                window_full(s, r);
                if (r->skipping)
                    pos = skip_url(r, data, pos, end);
            }
        }
        if (nl) {
            line_end(s, r, r->win, r->win_len);
            pos = end + 1;
        }
    }
}

typedef struct {
    bool enabled;
    unsigned long long size, done;
    struct timespec last;
} progress;

static void progress_update(progress *p, const char *name, size_t more, bool final)
{
    struct timespec now;
    p->done += more;
    if (!p->enabled)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!final && now.tv_sec - p->last.tv_sec < 1)
        return;
    p->last = now;
    fprintf(stderr, "\rscepdec: scanning %s: %3llu%% (%llu of %llu MB)%s", name,
            p->size ? p->done * 100 / p->size : 100, p->done / 1000000, p->size / 1000000,
            final ? "\n" : "");
}

static void progress_start(progress *p, FILE *f)
{
    struct stat st;
    memset(p, 0, sizeof *p);
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (unsigned long long)st.st_size > PROGRESS_MIN_SIZE && isatty(STDERR_FILENO)) {
        p->enabled = true;
        p->size = (unsigned long long)st.st_size;
        clock_gettime(CLOCK_MONOTONIC, &p->last);
    }
}

/* read_all feeds |f| to the line reader, converting UTF-16LE when a BOM says so. */
static bool read_all(scanner *s, FILE *f, line_reader *r, uint8_t *chunk, char *converted)
{
    utf16_state utf16 = {0};
    progress p;
    progress_start(&p, f);
    bool first = true;
    size_t n;
    while ((n = fread(chunk, 1, CHUNK, f)) > 0) {
        size_t skip = 0;
        if (first && n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0)
            skip = 3;
        else if (first && n >= 2 && chunk[0] == 0xFF && chunk[1] == 0xFE)
            skip = 2, utf16.active = true;
        first = false;
        if (utf16.active)
            feed(s, r, converted, utf16le_to_utf8(&utf16, chunk + skip, n - skip, converted));
        else
            feed(s, r, (const char *)chunk + skip, n - skip);
        progress_update(&p, s->file, n, false);
    }
    if (r->win_len > 0 || r->started)
        line_end(s, r, r->win, r->win_len); /* the last line has no line end */
    if (p.enabled)
        progress_update(&p, s->file, 0, true);
    return !ferror(f);
}

bool scan_stream(scanner *s, FILE *f, const char *name)
{
    static uint8_t chunk[CHUNK];
    static char converted[CHUNK / 2 * 3 + 8];
    line_reader r = {0};
    r.win = s->line_window;
    s->file = name;
    memset(&s->iis, 0, sizeof s->iis);
    s->blob.in_pem = s->blob.in_base64 = false;
    s->blob.len = 0;
    bool ok = r.win && read_all(s, f, &r, chunk, converted);
    if (!r.win)
        fprintf(stderr, "scepdec: out of memory\n");
    else if (!ok)
        fprintf(stderr, "scepdec: cannot read %s: %s\n", name, strerror(errno));
    scan_blob_end(s);
    scan_flush(s);
    return ok;
}

bool scan_file(scanner *s, const char *path)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "scepdec: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = scan_stream(s, f, is_stdin ? "stdin" : path);
    if (!is_stdin)
        fclose(f);
    return ok;
}

bool scanner_init(scanner *s, bool json, FILE *out)
{
    memset(s, 0, sizeof *s);
    s->json = json;
    s->out = out;
    s->verify = true;
    s->blob.buf = malloc(SCAN_WINDOW);
    s->pending_text = malloc(SCAN_WINDOW);
    s->line_window = malloc(SCAN_WINDOW);
    s->pending_hit = malloc(sizeof *s->pending_hit);
    s->timeline = malloc(SCAN_TIMELINE_MAX * sizeof *s->timeline);
    scanner_set_window(s, SCAN_WINDOW);
    return s->blob.buf && s->pending_text && s->line_window && s->pending_hit && s->timeline;
}

void scanner_set_window(scanner *s, size_t size)
{
    s->window = size < 64 ? 64 : size > SCAN_WINDOW ? SCAN_WINDOW : size;
    s->lookback = s->window / 4 < SCAN_LOOKBACK ? s->window / 4 : SCAN_LOOKBACK;
    s->blob.cap = s->window;
}

void scanner_free(scanner *s)
{
    free(s->blob.buf);
    free(s->pending_text);
    free(s->line_window);
    free(s->pending_hit);
    free(s->timeline);
    memset(s, 0, sizeof *s);
}

int scan_main(int argc, char **argv, int first, bool json)
{
    static scanner s;
    if (!scanner_init(&s, json, stdout)) {
        fprintf(stderr, "scepdec: out of memory\n");
        scanner_free(&s);
        return 2;
    }
    bool unreadable = false;
    for (int i = first; i < argc; i++)
        unreadable |= !scan_file(&s, argv[i]);
    scan_timeline(&s);
    int status = s.worst;
    if (s.messages == 0) {
        fprintf(stderr, "scepdec: no SCEP message found\n");
        status = 2;
    }
    if (unreadable)
        status = 2;
    scanner_free(&s);
    fflush(stdout);
    return status;
}
