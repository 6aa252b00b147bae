/* main.c — scepdec-bench: libscepdec against what users use instead (OpenSSL, GLib), on real
 * and crafted SCEP messages. Every section's correctness check runs first; no time is printed
 * unless all of them pass. Prints Markdown tables; asserts nothing about time.
 *
 * usage: scepdec-bench [--quick] [--only messages|urls|base64|scaling] DATA_DIR VECTOR_DIR */
#include <stdio.h>
#include <string.h>

#include <openssl/opensslv.h>

#include "bench.h"
#include "scepdec.h"

#ifdef BENCH_HAVE_GLIB
#include <glib.h>
#endif

typedef struct {
    const char *name;
    bool (*check)(const bench_config *cfg);
    void (*table)(const bench_config *cfg);
} section;

static const section sections[] = {
    {"messages", messages_check, messages_table},
    {"urls", urls_check, urls_table},
    {"base64", base64_check, base64_table},
    {"scaling", scaling_check, scaling_table},
};
#define SECTION_COUNT (sizeof sections / sizeof sections[0])

static int usage(void)
{
    fprintf(stderr, "usage: scepdec-bench [--quick] [--only messages|urls|base64|scaling] "
                    "DATA_DIR VECTOR_DIR\n");
    return 2;
}

static bool selected(const char *only, const section *s)
{
    return only == NULL || strcmp(only, s->name) == 0;
}

int main(int argc, char **argv)
{
    bench_config cfg = {false, NULL, NULL};
    const char *only = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            cfg.quick = true;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else
            return usage();
    }
    if (argc - i != 2)
        return usage();
    cfg.data_dir = argv[i];
    cfg.vector_dir = argv[i + 1];
    openssl_facts_init();

    bool ok = true, any = false;
    for (size_t s = 0; s < SECTION_COUNT; s++) {
        if (!selected(only, &sections[s]))
            continue;
        any = true;
        if (!sections[s].check(&cfg)) {
            fprintf(stderr, "bench: %s: correctness check failed\n", sections[s].name);
            ok = false;
        }
    }
    if (!any)
        return usage();
    if (!ok)
        return 1;
    printf("Correctness: every decoder found the same facts (messageType, pkiStatus, failInfo, "
           "transactionID, nonces, recipients' and certificates' serials) and the same bytes.\n");
    printf("libscepdec %s, %s", SCEPDEC_VERSION, OPENSSL_VERSION_TEXT);
#ifdef BENCH_HAVE_GLIB
    printf(", GLib %u.%u.%u", glib_major_version, glib_minor_version, glib_micro_version);
#endif
    printf(", %s mode\n", cfg.quick ? "quick" : "full");
    for (size_t s = 0; s < SECTION_COUNT; s++)
        if (selected(only, &sections[s]))
            sections[s].table(&cfg);
    return 0;
}
