/* scan.h — `scepdec --scan`: every SCEP message in log text (device logs, NDES/IIS logs,
 * pasted PEM or base64), found line by line in constant memory and decoded as `scepdec`
 * decodes one input.
 *
 * scan.c reads a file in chunks (UTF-8, or UTF-16LE with a BOM; CRLF or LF) and hands each
 * line to scan_line.c in windows of at most SCAN_WINDOW bytes; scan_line.c finds URLs with
 * "operation=" and dispatches to scan_iis.c (W3C extended logs), scan_jscep.c (jscep's
 * transport and CertRep lines) and scan_blob.c (PEM blocks, base64 runs); scan_output.c
 * decodes each hit and writes a text line or a JSON Lines record, and the timeline. */
#ifndef SCEPDEC_SCAN_H
#define SCEPDEC_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

/* The most of one line the recognisers see at once, and the longest URL or base64 text
 * decoded: longer ones decode as far as this window goes (as a cut log line would). */
#define SCAN_WINDOW (1u << 20)
/* Bytes kept before a window's end so that a URL's start is found after a window slides. */
#define SCAN_LOOKBACK 4096
#define SCAN_TIME_MAX 64
#define SCAN_CLIENT_MAX 64
#define SCAN_KEY_MAX 256

typedef enum { SCAN_SRC_URL, SCAN_SRC_IIS, SCAN_SRC_JSCEP, SCAN_SRC_PEM, SCAN_SRC_BASE64 } scan_source;

const char *scan_source_name(scan_source source);

/* One message found in a log, before decoding. |text| is what to decode (a URL or query
 * string, PEM or base64 text) and is only valid during the call it is handed to; a CertRep
 * that jscep describes in words has |facts| instead. */
typedef struct {
    uint64_t line;
    char time[SCAN_TIME_MAX];        /* as written; "" when the line has none */
    char client[SCAN_CLIENT_MAX];    /* "" when the log does not name one */
    char method[16];                 /* "" when the log does not say */
    bool has_http_status;
    int http_status;
    bool has_http_substatus;
    int http_substatus;
    scan_source source;
    const char *text;
    size_t text_len;
    bool has_facts;
    scep_signer facts;               /* spans point into |facts_buf| */
    uint8_t facts_buf[2 * SCAN_KEY_MAX];
} scan_hit;

/* ---- scan_iis.c ---- */

/* Column numbers of the W3C extended fields the scanner uses; -1 when absent. */
typedef struct {
    bool active;   /* a #Fields: directive was seen in this file */
    int date, time, client_ip, method, uri_stem, uri_query, status, substatus;
    int count;
} iis_columns;

/* iis_fields_directive reads a "#Fields: date time ..." line into |cols|. Returns false when
 * the line is no #Fields: directive. */
bool iis_fields_directive(const char *line, size_t len, iis_columns *cols);

/* iis_record reads a data line per |cols| into |hit| (time, client, method, status) and builds
 * the request target "stem?query" in |target| (at most |cap| bytes). Returns false when the
 * line's query has no "operation=" (no SCEP request). */
bool iis_record(const char *line, size_t len, const iis_columns *cols, scan_hit *hit,
                char *target, size_t cap, size_t *target_len);

/* ---- scan_jscep.c ---- */

/* jscep_certrep parses "org.jscep.message.CertRep@…[failInfo=…,pkiStatus=…,
 * recipientNonce=Nonce [hex],…,messageType=CERT_REP,senderNonce=Nonce [hex],transId=…]" into
 * |hit|'s facts. Returns false when the line has no such text. */
bool jscep_certrep(const char *line, size_t len, scan_hit *hit);

/* jscep_sending finds "Sending X to " and copies X (cut to SCAN_KEY_MAX - 1) to |key|. */
bool jscep_sending(const char *line, size_t len, char *key);

/* jscep_received finds "Received 'NNN REASON' when sending X to ": the status and X. */
bool jscep_received(const char *line, size_t len, int *status, char *key);

/* ---- scan_line.c: one line's recognisers ---- */

/* scan_find_operation returns the offset of the next "operation=" (any case) at or after
 * |from| in |s|, or |len|. */
size_t scan_find_operation(const char *s, size_t len, size_t from);

/* scan_url_bounds: the URL or query string around the "operation=" at |at|: from the start
 * of its blank- or quote-delimited word (at its scheme when it has one) to the first blank,
 * quote, backslash, '>' or control character. |*end| == |len| when the text runs on. */
void scan_url_bounds(const char *s, size_t len, size_t at, size_t *start, size_t *end);

/* scan_find_time copies the line's time as written ("2018-02-27T05:16:08.2500000",
 * "18:30:53.691033 -0500", "2026-11-29 12:00:00") into |out|; "" when there is none. */
void scan_find_time(const char *line, size_t len, char *out, size_t cap);

/* scan_time_seconds turns such a time into seconds (since the epoch when it has a date, of
 * the day otherwise) for differences. Returns false when it cannot. */
bool scan_time_seconds(const char *time, double *seconds);

/* ---- scan_blob.c: PEM blocks and base64 runs, which may span lines ---- */

typedef struct {
    bool in_pem;
    bool in_base64;
    uint64_t first_line;
    char time[SCAN_TIME_MAX];
    size_t width;       /* a wrapped base64 run's line width */
    size_t cap;         /* the scanner's window: the most text a block keeps */
    char *buf;          /* SCAN_WINDOW bytes */
    size_t len;
} blob_state;

/* ---- scan_output.c ---- */

typedef struct {
    char tid[SCAN_KEY_MAX / 2];
    char time[SCAN_TIME_MAX];
    const char *file;
    uint64_t line;
    char what[96];      /* "PKCSReq", "CertRep SUCCESS", "CertRep FAILURE/badRequest" */
    int http_status;    /* 0 when not known */
    bool has_seconds;   /* seconds from the time, for the time between messages */
    double seconds;
} timeline_entry;

#define SCAN_TIMELINE_MAX 4096

/* The whole scan: options, the current file's state, and what outlives a file. */
typedef struct {
    bool json;
    FILE *out;
    bool verify;                /* check each pkiMessage's digest and signature (OpenSSL) */
    size_t window;              /* SCAN_WINDOW, or less for tests of the window logic */
    size_t lookback;            /* SCAN_LOOKBACK, or a quarter of a smaller window */
    const char *file;
    uint64_t line_no;
    iis_columns iis;
    blob_state blob;
    /* A jscep "Sending X" request waits for its "Received 'NNN' when sending X". */
    bool has_pending;
    char pending_key[SCAN_KEY_MAX];
    scan_hit *pending_hit;
    char *line_window;          /* SCAN_WINDOW bytes: the line reader's window */
    char *pending_text;         /* SCAN_WINDOW bytes: the request text, kept */
    bool header_written;
    timeline_entry *timeline;   /* SCAN_TIMELINE_MAX entries */
    size_t timeline_count;
    size_t timeline_dropped;
    /* The line being read: what its first window told about the rest of it. */
    const char *line_head;      /* the first window, while scan_line_piece reads it */
    size_t line_head_len;
    bool line_claimed;          /* an IIS, jscep or PEM/base64 line: no URL search of its own */
    bool line_has_time;
    char line_time[SCAN_TIME_MAX];
    char line_jscep_key[SCAN_KEY_MAX]; /* "Sending X to": X, else "" */
    bool line_has_status;       /* "Received 'NNN' when sending" with no request waiting */
    int line_status;
    size_t messages;
    int worst;                  /* exit status over the messages */
} scanner;

/* scan_emit decodes |hit| and writes it, or, with |jscep_key|, keeps it until its jscep
 * "Received" line (scan_jscep_status) or the next message. */
void scan_emit(scanner *s, const scan_hit *hit, const char *jscep_key);

/* scan_jscep_status gives the waiting request sent as |key| its HTTP status and writes it.
 * Returns false when no request waits under that key. */
bool scan_jscep_status(scanner *s, const char *key, int status);

/* scan_flush writes the waiting jscep request, if any. */
void scan_flush(scanner *s);

/* scan_timeline writes the timeline per transactionID (text output only). */
void scan_timeline(scanner *s);

/* ---- scan_line.c and scan_blob.c, driven by scan.c ---- */

/* scan_line_piece handles one piece of line |s->line_no|: the whole line (|first| and |last|),
 * or one window of a longer line (bytes before |search_from| were searched already). For a
 * window that is not the last it returns the offset from which the window's bytes are kept
 * for the next one (a URL still running, or the lookback) and sets |*resume| to where the
 * search goes on in the kept bytes; it returns SIZE_MAX when the URL running at the window's
 * end was decoded as cut: the rest of it is to be skipped. */
size_t scan_line_piece(scanner *s, const char *text, size_t len, size_t search_from, bool first,
                       bool last, size_t *resume);

/* scan_blob_line feeds a line to the PEM / base64 recogniser. Returns true when the line
 * belongs to a block (nothing else in it is looked at). */
bool scan_blob_line(scanner *s, const char *line, size_t len);

/* scan_blob_end ends a block the file ended in. */
void scan_blob_end(scanner *s);

/* ---- scan.c ---- */

bool scanner_init(scanner *s, bool json, FILE *out);

/* scanner_set_window sets the window to |size| bytes (64 to SCAN_WINDOW): tests and the fuzz
 * harness exercise windows sliding over lines of a few hundred bytes. */
void scanner_set_window(scanner *s, size_t size);
void scanner_free(scanner *s);

/* scan_stream scans |f|, named |name| in the output. Returns false on a read error. */
bool scan_stream(scanner *s, FILE *f, const char *name);

/* scan_file scans |path| ("-": standard input). Returns false when it cannot be read. */
bool scan_file(scanner *s, const char *path);

/* scan_main runs `scepdec --scan [--json] FILE...`; returns the exit status. */
int scan_main(int argc, char **argv, int first, bool json);

#endif
