/* fuzz_scan.c — `scepdec --scan` over arbitrary log text: the line reader (chunks, UTF-16LE
 * conversion, windows sliding over long lines, URLs running across windows), the IIS, jscep,
 * PEM and base64 recognisers, decoding of every hit and both outputs with the timeline.
 *
 * The first byte picks the output (bit 0: JSON Lines) and the window (64 to 1080 bytes, so
 * that inputs of a few hundred bytes slide windows as a multi-megabyte line does with the
 * real 1 MiB); the rest is the log. Invariants: the exit status is 0, 1 or 2; in JSON mode
 * every output line is one well-formed JSON object and there is one per message counted;
 * the timeline never holds more than its capacity. */
#define _POSIX_C_SOURCE 200809L /* fmemopen, open_memstream */
#include "../../libscepdec/cli/scan.h"
#include "fuzz_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_json_lines(const char *out, size_t len, size_t messages)
{
    size_t lines = 0, start = 0;
    for (size_t i = 0; i < len; i++) {
        if (out[i] != '\n')
            continue;
        INVARIANT(fuzz_json_valid(out + start, i - start));
        INVARIANT(i - start > 2 && out[start] == '{' && out[i - 1] == '}');
        lines++;
        start = i + 1;
    }
    INVARIANT(start == len);
    INVARIANT(lines == messages);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static scanner s;
    static bool ready;
    if (size < 2)
        return 0;
    if (!ready) {
        if (!scanner_init(&s, false, NULL))
            abort();
        ready = true;
    }
    char *out = NULL;
    size_t out_len = 0;
    FILE *sink = open_memstream(&out, &out_len);
    FILE *in = fmemopen((void *)(data + 1), size - 1, "rb");
    if (!sink || !in)
        abort();
    /* What outlives a file in a real run starts empty. */
    s.json = data[0] & 1;
    s.out = sink;
    s.timeline_count = s.timeline_dropped = s.messages = 0;
    s.worst = 0;
    s.has_pending = false;
    s.header_written = false;
    scanner_set_window(&s, 64 + (size_t)(data[0] >> 1) * 8);
    /* OpenSSL's checks are fuzzed elsewhere (and slow under ASan): one input in 8 runs them. */
    s.verify = (data[0] & 0x0E) == 0x0E;

    scan_stream(&s, in, "fuzz.log");
    scan_timeline(&s);
    fclose(in);
    fclose(sink);
    INVARIANT(s.worst >= 0 && s.worst <= 2);
    INVARIANT(s.timeline_count <= SCAN_TIMELINE_MAX);
    INVARIANT(!s.has_pending);
    if (s.json)
        check_json_lines(out, out_len, s.messages);
    free(out);
    return 0;
}
