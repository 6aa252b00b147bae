/* main.c — scepdec, the command-line SCEP (RFC 8894) decoder: options, reading inputs, and
 * the exit status. Detection and transport unwrapping live in detect.c and decode.c,
 * rendering in report.c; every fact comes from libscepdec. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "scan.h"

static const char usage_text[] =
    "usage: scepdec [--json | --text] [--operation OP] INPUT...\n"
    "       scepdec --scan [--json] LOG...\n"
    "\n"
    "Decode SCEP (RFC 8894) messages and show operation, messageType, pkiStatus, failInfo,\n"
    "transactionID, nonces, signer, envelope recipients and cipher, and the certificates\n"
    "carried.\n"
    "\n"
    "INPUT is a file, '-' for standard input, or a URL or query string given as the argument\n"
    "exactly as pasted from a device log (an argument that is not an existing file and\n"
    "contains 'operation=', '://' or '?'). Quote it for the shell.\n"
    "\n"
    "Input forms, detected in this order:\n"
    "  HTTP message   a saved request (request line, headers, body: the target is decoded too)\n"
    "                 or response; Content-Length and chunked transfer-encoding are honoured\n"
    "  URL / query    https://host/scep?operation=PKIOperation&message=MIAG... ; base64 escaped\n"
    "                 or not, url-safe, unpadded, with line breaks; a cut URL decodes as far as\n"
    "                 it goes\n"
    "  PEM            -----BEGIN PKCS7----- / CMS / CERTIFICATE\n"
    "  DER or BER     pkiMessage, certs-only PKCS#7, GetNextCACert, or a single certificate\n"
    "  GetCACaps      text/plain capability lines\n"
    "  base64 text    of any of the binary forms, possibly wrapped\n"
    "\n"
    "Options:\n"
    "  -j, --json          one JSON object per decoded message (see scepdec(1) for the keys)\n"
    "  -t, --text          a readable report (the default)\n"
    "  -o, --operation OP  the operation the input answers or carries, when the input does not\n"
    "                      say (GetCACert, GetCACaps, GetNextCACert, PKIOperation, ...)\n"
    "      --scan          find and decode every SCEP message in logs (LOG '-': standard\n"
    "                      input): URLs, IIS logs, jscep lines, PEM, base64 (see scepdec(1))\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n"
    "  -k, --key FILE      the envelope recipient's private key (PEM or DER, unencrypted or with\n"
    "                      an empty password): decrypt the envelope and show what it holds (a\n"
    "                      request's CSR, a CertRep's issued certificates)\n"
    "      --cert FILE     that recipient's certificate, to pick its RecipientInfo (optional)\n"
    "\n"
    "Every pkiMessage's messageDigest and signature are checked (OpenSSL) and the result shown.\n"
    "\n"
    "Exit status: 0 decoded cleanly, 1 decoded with errors or truncation, 2 nothing decodable\n"
    "or bad usage.\n";

/* read_stream reads all of |f| into a heap buffer. */
static uint8_t *read_stream(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            uint8_t *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static bool looks_like_url_argument(const char *arg)
{
    return strstr(arg, "operation=") || strstr(arg, "OPERATION=") || strstr(arg, "://") ||
           strchr(arg, '?');
}

static bool parse_operation(const char *text, scep_operation *op)
{
    for (int candidate = SCEP_OP_GET_CA_CERT; candidate <= SCEP_OP_NDES_GET_CA_CERT_THUMBPRINT;
         candidate++) {
        const char *name = scep_operation_name((scep_operation)candidate);
        if (!name || strlen(name) != strlen(text))
            continue;
        bool same = true;
        for (size_t i = 0; name[i] && same; i++) {
            char a = name[i], b = text[i];
            if (a >= 'A' && a <= 'Z')
                a = (char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (char)(b - 'A' + 'a');
            same = a == b;
        }
        if (same) {
            *op = (scep_operation)candidate;
            return true;
        }
    }
    return false;
}

static bool only_whitespace(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

/* process decodes every message in one input and renders each. Returns the worst exit status. */
static int process(const uint8_t *buf, size_t len, bool is_argument, const char *source,
                   bool json, scep_operation forced, const key_material *keys)
{
    int worst = 0;
    size_t offset = 0, messages = 0;
    static decoded d;
    do {
        size_t consumed;
        decode_input(buf + offset, len - offset, is_argument, forced, &d, &consumed);
        open_message(&d, keys);
        int status = decoded_exit_status(&d);
        if (status == 2) {
            fprintf(stderr, "scepdec: %s: %s\n", source,
                    d.form == SCEP_FORM_NONE
                        ? "nothing decodable as SCEP (tried HTTP, URL/query, PEM, DER, "
                          "GetCACaps text, base64 text)"
                        : "nothing decodable as SCEP in this input");
            if (!json && d.form != SCEP_FORM_NONE)
                report_text(stdout, &d, source);
        } else if (json) {
            if (d.problem) /* not part of the library's JSON object: say it beside it */
                fprintf(stderr, "scepdec: %s: %s\n", source, d.problem);
            if (!report_json(stdout, &d)) {
                fprintf(stderr, "scepdec: out of memory\n");
                status = 2;
            }
        } else {
            if (messages > 0)
                fputs("\n", stdout);
            report_text(stdout, &d, source);
        }
        if (status > worst)
            worst = status;
        messages++;
        decoded_free(&d);
        offset += consumed ? consumed : len - offset;
        /* An HTTP stream saved whole ("Follow TCP stream") holds request and response: go on
         * while another HTTP message follows. */
        while (offset < len && (buf[offset] == '\r' || buf[offset] == '\n'))
            offset++;
    } while (offset < len && !only_whitespace(buf + offset, len - offset) &&
             scep_looks_like_http(buf + offset, len - offset));
    return worst;
}

/* decode_argument decodes one input argument: "-" (standard input), a file, or a URL or
 * query given on the command line. Returns its exit status (2 when it cannot be read). */
static int decode_argument(const char *arg, bool json, scep_operation forced,
                           const key_material *keys)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int status;
    if (strcmp(arg, "-") == 0) {
        buf = read_stream(stdin, &len);
        if (!buf) {
            fprintf(stderr, "scepdec: cannot read standard input\n");
            return 2;
        }
        status = process(buf, len, false, "stdin", json, forced, keys);
    } else {
        FILE *f = fopen(arg, "rb");
        if (f) {
            buf = read_stream(f, &len);
            int err = errno;
            fclose(f);
            if (!buf) {
                fprintf(stderr, "scepdec: cannot read %s: %s\n", arg, strerror(err));
                return 2;
            }
            status = process(buf, len, false, arg, json, forced, keys);
        } else if (looks_like_url_argument(arg)) {
            status = process((const uint8_t *)arg, strlen(arg), true, "argument", json, forced,
                             keys);
        } else {
            fprintf(stderr, "scepdec: cannot open %s: %s\n", arg, strerror(errno));
            return 2;
        }
    }
    free(buf);
    return status;
}

int main(int argc, char **argv)
{
    bool json = false;
    bool scan = false;
    key_material keys = {0};
    scep_operation forced = SCEP_OP_NONE;
    int first_input = argc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            first_input = i + 1;
            break;
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--scan") == 0) {
            scan = true;
        } else if (strcmp(a, "-t") == 0 || strcmp(a, "--text") == 0) {
            json = false;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            printf("scepdec %s\n", SCEPDEC_VERSION);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--operation") == 0 ||
                   strncmp(a, "--operation=", 12) == 0) {
            const char *value = strncmp(a, "--operation=", 12) == 0 ? a + 12
                                 : i + 1 < argc                     ? argv[++i]
                                                                    : NULL;
            if (!value || !parse_operation(value, &forced)) {
                fprintf(stderr, "scepdec: --operation needs one of GetCACert, GetCACaps, "
                                "GetNextCACert, PKIOperation, NDESGenerateChallenge, "
                                "NDESGetCACertThumbprint\n");
                return 2;
            }
        } else if (strcmp(a, "-k") == 0 || strcmp(a, "--key") == 0 || strcmp(a, "--cert") == 0) {
            bool is_key = strcmp(a, "--cert") != 0;
            const char *path = i + 1 < argc ? argv[++i] : NULL;
            uint8_t **slot = is_key ? &keys.key : &keys.cert;
            size_t *slot_len = is_key ? &keys.key_len : &keys.cert_len;
            FILE *f = path ? fopen(path, "rb") : NULL;
            if (f) {
                free(*slot);
                *slot = read_stream(f, slot_len);
                fclose(f);
            }
            if (!f || !*slot) {
                fprintf(stderr, "scepdec: %s needs a readable PEM or DER file%s%s\n", a,
                        path ? ": " : "", path ? path : "");
                return 2;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "scepdec: unknown option %s\n\n%s", a, usage_text);
            return 2;
        } else {
            first_input = i;
            break;
        }
    }
    if (first_input >= argc) {
        fputs(usage_text, stderr);
        return 2;
    }
    if (scan)
        return scan_main(argc, argv, first_input, json);

    int worst = 0;
    for (int i = first_input; i < argc; i++) {
        int status = decode_argument(argv[i], json, forced, &keys);
        if (status > worst)
            worst = status;
    }
    free(keys.key);
    free(keys.cert);
    fflush(stdout);
    return worst;
}
