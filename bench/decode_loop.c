/* decode_loop.c — runs one library path many times, for an instruction count that does not
 * depend on the machine's load (bench/instructions runs it under callgrind).
 *
 * usage: scepdec-decode-loop message|bundle|url|parts|base64 FILE COUNT
 *   message  scep_decode_pki_message on the DER or BER file
 *   bundle   scep_decode_cert_bundle on it
 *   url      scep_decode_query on the request target in the file, then scep_decode_pki_message
 *            of the message it yields (the GET path)
 *   parts    scep_base64_decode of the URL's message parameter, then scep_decode_pki_message
 *            of what it gives: the GET path's parts as a caller who knows where the message
 *            is would run them
 *   base64   only scep_base64_decode of the URL's message parameter (the first part) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scepdec.h"

static uint8_t message_buf[1 << 16], content_buf[1 << 16];
static scep_pki_message message;
static scep_cert_bundle bundle;
static scep_query query;
static volatile size_t sink;

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    static uint8_t data[1 << 20];
    *len = fread(data, 1, sizeof data, f);
    fclose(f);
    while (*len > 0 && (data[*len - 1] == '\n' || data[*len - 1] == '\r'))
        (*len)--; /* a URL file ends with its line break */
    return data;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s message|bundle|url|parts|base64 FILE COUNT\n", argv[0]);
        return 2;
    }
    size_t len;
    const uint8_t *data = read_all(argv[2], &len);
    long count = strtol(argv[3], NULL, 10);
    const char *mode = argv[1];
    size_t text_off = 0, text_len = 0;
    if (strcmp(mode, "base64") == 0 || strcmp(mode, "parts") == 0) {
        scep_decode_query((const char *)data, len, message_buf, sizeof message_buf, &query);
        text_off = query.message_text.offset;
        text_len = query.message_text.length;
    }
    enum { MESSAGE, BUNDLE, URL, PARTS, BASE64 } path;
    if (strcmp(mode, "message") == 0)
        path = MESSAGE;
    else if (strcmp(mode, "bundle") == 0)
        path = BUNDLE;
    else if (strcmp(mode, "url") == 0)
        path = URL;
    else if (strcmp(mode, "parts") == 0)
        path = PARTS;
    else if (strcmp(mode, "base64") == 0)
        path = BASE64;
    else {
        fprintf(stderr, "%s: unknown mode %s\n", argv[0], mode);
        return 2;
    }
    for (long i = 0; i < count; i++) {
        size_t n;
        switch (path) {
        case MESSAGE:
            scep_decode_pki_message(data, len, content_buf, sizeof content_buf, &message);
            sink += message.errors.count;
            break;
        case BUNDLE:
            scep_decode_cert_bundle(data, len, content_buf, sizeof content_buf, &bundle);
            sink += bundle.certificate_count;
            break;
        case URL:
            scep_decode_query((const char *)data, len, message_buf, sizeof message_buf, &query);
            scep_decode_pki_message(message_buf, query.message_len, content_buf,
                                    sizeof content_buf, &message);
            sink += message.errors.count;
            break;
        case PARTS:
            scep_base64_decode((const char *)data + text_off, text_len, message_buf,
                               sizeof message_buf, &n, NULL, NULL);
            scep_decode_pki_message(message_buf, n, content_buf, sizeof content_buf, &message);
            sink += message.errors.count;
            break;
        case BASE64:
            scep_base64_decode((const char *)data + text_off, text_len, message_buf,
                               sizeof message_buf, &n, NULL, NULL);
            sink += n;
            break;
        }
    }
    return 0;
}
