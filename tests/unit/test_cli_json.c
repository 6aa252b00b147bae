/* test_cli_json.c — scepdec --json's own keys go through the library's JSON writer: a
 * decryption error whose text is hostile (quote, backslash, control characters, invalid UTF-8)
 * still yields one well-formed object, as an independent parser, jq, reads it, with the text
 * intact (invalid UTF-8 as U+FFFD, RFC 8259 / RFC 3629). Built with the CLI's sources
 * (tests/CMakeLists.txt: test_cli_*), run on micromdm's real PKCSReq (vectors/micromdm). jq is
 * required, not optional: ./run-tests installs it. */
#define _POSIX_C_SOURCE 200809L /* popen, mkstemp, fdopen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"

/* Every byte a careless printf would let break the object. */
static const char HOSTILE[] = "say \"no\" \\ C:\\keys\\ca.key\n\ttab\r\x01\x1f\x7f "
                              "bad \xff\xc0\xaf cut \xe2\x82 end";
/* The same text as a JSON parser hands it back: each byte that is not well-formed UTF-8
 * becomes U+FFFD (EF BF BD), the rest unchanged. */
static const char HOSTILE_PARSED[] = "say \"no\" \\ C:\\keys\\ca.key\n\ttab\r\x01\x1f\x7f "
                                     "bad \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd cut "
                                     "\xef\xbf\xbd\xef\xbf\xbd end";

/* jq_read runs `jq -j FILTER` on |path| and returns its standard output (heap, NUL-ended), or
 * NULL when jq fails (an unparsable object, or no jq: both are failures here). */
static char *jq_read(const char *filter, const char *path)
{
    char command[512];
    snprintf(command, sizeof command, "jq -j '%s' '%s' 2>&1", filter, path);
    FILE *p = popen(command, "r");
    if (!p)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *text = malloc(cap);
    while (text && (got = fread(text + n, 1, cap - 1 - n, p)) > 0)
        n += got;
    int status = pclose(p);
    if (!text)
        return NULL;
    text[n] = '\0';
    if (status != 0) {
        fprintf(stderr, "jq %s failed (%d): %s\n", filter, status, text);
        free(text);
        return NULL;
    }
    return text;
}

static void check_jq(const char *filter, const char *path, const char *want)
{
    char *got = jq_read(filter, path);
    CHECK(got != NULL);
    if (got) {
        CHECK_STR(got, want);
        free(got);
    }
}

/* render_to_file writes report_json's output for |d| into a fresh temporary file. */
static void render_to_file(const decoded *d, char *path)
{
    strcpy(path, "/tmp/scepdec-test-cli-json-XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "cannot create %s\n", path);
        exit(2);
    }
    CHECK(report_json(f, d));
    fclose(f);
}

static void test_hostile_decrypt_error(const uint8_t *der, size_t len)
{
    static decoded d;
    size_t consumed;
    key_material no_key = {0};
    decode_input(der, len, false, SCEP_OP_NONE, &d, &consumed);
    open_message(&d, &no_key);
    CHECK(d.verified);
    /* As if --key had been given and scep_decrypt_envelope had failed saying HOSTILE. */
    d.decrypt_attempted = true;
    d.decrypt_error.message = HOSTILE;
    char path[64];
    render_to_file(&d, path);
    check_jq("type", path, "object");
    check_jq(".decrypt_error", path, HOSTILE_PARSED);
    check_jq(".decrypted == null and has(\"decrypted\")", path, "true");
    /* The library's own keys are all still there, before the CLI's (PKCSReq = 19, RFC 8894
     * section 3.2.1.2). */
    check_jq(".message_type", path, "19");
    check_jq("keys_unsorted | .[-3:] | join(\",\")", path, "verification,decrypted,decrypt_error");
    unlink(path);

    /* No text at all: "unknown", as before. */
    d.decrypt_error.message = NULL;
    render_to_file(&d, path);
    check_jq(".decrypt_error", path, "unknown");
    unlink(path);
    d.decrypt_attempted = false;
    decoded_free(&d);
}

int main(void)
{
    size_t len;
    uint8_t *der = read_file("vectors/micromdm/PKCSReq.der", &len);
    test_hostile_decrypt_error(der, len);
    free(der);
    printf("%d checks, %d failures\n", check_count, check_failures);
    return check_failures != 0;
}
