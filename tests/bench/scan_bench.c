/* scan_bench.c — how fast `scepdec --scan` reads log text: prints MB/s (wall clock and CPU)
 * and the peak memory, never asserts a figure (the machine decides those).
 *
 *   scan_bench [MB]          scan a generated log of MB megabytes (default 256) with no SCEP
 *                            in it: Android-style lines with '=', '@', "MI" and times, the
 *                            bytes each recogniser must look at and reject
 *   scan_bench FILE...       scan these files instead
 *
 * The generated log is written to a temporary file first, so the figure includes reading it
 * (from the page cache) as scepdec does. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "scan.h"

static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* write_log writes |megabytes| MB of log lines without a SCEP message into |f|. */
static unsigned long long write_log(FILE *f, unsigned megabytes)
{
    unsigned long long written = 0, target = (unsigned long long)megabytes * 1000000;
    for (unsigned long i = 0; written < target; i++) {
        int n = fprintf(f,
                        "2026-11-29T12:%02lu:%02lu.%07lu    VERB    Event     "
                        "com.microsoft.omadm.platforms.android.certmgr.CertificateEnrollmentManager"
                        "    18327       %2lu    Processing id=%lu user=alice@example.com "
                        "state=CERT_ACCESS_REQUESTED Manager MIME text/plain size %lu\n",
                        i / 60 % 60, i % 60, i % 10000000, i % 30, i, i * 7);
        if (n < 0)
            return 0;
        written += (unsigned long long)n;
    }
    return written;
}

int main(int argc, char **argv)
{
    static scanner s;
    FILE *sink = fopen("/dev/null", "w");
    if (!sink || !scanner_init(&s, false, sink)) {
        fprintf(stderr, "scan_bench: cannot set up\n");
        return 1;
    }
    char path[] = "/tmp/scan_bench_XXXXXX";
    bool generated = argc < 2 || strspn(argv[1], "0123456789") == strlen(argv[1]);
    unsigned long long bytes = 0;
    if (generated) {
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        bytes = f ? write_log(f, argc < 2 ? 256 : (unsigned)atoi(argv[1])) : 0;
        if (!f || fclose(f) != 0 || bytes == 0) {
            fprintf(stderr, "scan_bench: cannot write %s\n", path);
            return 1;
        }
    }
    double wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
    if (generated) {
        scan_file(&s, path);
    } else {
        for (int i = 1; i < argc; i++) {
            FILE *f = fopen(argv[i], "rb");
            if (f && fseek(f, 0, SEEK_END) == 0)
                bytes += (unsigned long long)ftell(f);
            if (f)
                fclose(f);
            scan_file(&s, argv[i]);
        }
    }
    wall = seconds(CLOCK_MONOTONIC) - wall;
    cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("scan_bench: %.1f MB, %zu SCEP messages: %.0f MB/s wall (%.2f s), %.0f MB/s CPU "
           "(%.2f s), peak RSS %ld KB\n",
           (double)bytes / 1e6, s.messages, (double)bytes / 1e6 / wall, wall,
           (double)bytes / 1e6 / cpu, cpu, usage.ru_maxrss);
    if (generated)
        unlink(path);
    scanner_free(&s);
    fclose(sink);
    return 0;
}
