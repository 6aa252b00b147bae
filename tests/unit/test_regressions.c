/* test_regressions: replays every fuzz corpus and every crash reproducer through the library's
 * fuzz targets, without libFuzzer, in the ordinary (gcc, and ASan+UBSan) builds.
 *
 * Each file under fuzz/regressions/ and fuzz/corpus/ (relative to tests/, the working
 * directory) goes through every target of tests/fuzz/fuzz_targets.h — the same decoders and
 * the same invariants the harnesses check: spans inside their buffers, bounded error lists,
 * status consistent with errors and truncation, well-formed JSON cut like snprintf. A broken
 * invariant is reported with the file and target and counted as a failure; a crash is a crash.
 * (The CLI's harness needs the CLI's sources: tests/scripts/fuzz_cli_replay.sh replays the
 * same files through the scepdec binary instead.) */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <sys/stat.h>

#include "check.h"

static const char *current_path = "";
static const char *current_target = "";

static void regression_fail(const char *what, const char *file, int line)
{
    check_failures++;
    fprintf(stderr, "%s: target %s: invariant broken: %s (%s:%d)\n", current_path,
            current_target, what, file, line);
}

#define FUZZ_FAIL(what) regression_fail((what), __FILE__, __LINE__)
#include "../fuzz/fuzz_targets.h"

static size_t files_replayed, runs;

/* replay runs every target on the file at |path|, from a buffer of exactly its size so that
 * AddressSanitizer sees a read one byte past the input. */
static void replay(const char *path)
{
    size_t len, count;
    unsigned char *data = read_file(path, &len);
    uint8_t *exact = fuzz_alloc(len);
    memcpy(exact, data, len);
    free(data);
    const fuzz_target *targets = fuzz_target_list(&count);
    current_path = path;
    for (size_t i = 0; i < count; i++) {
        current_target = targets[i].name;
        check_count++;
        targets[i].run(exact, len);
        runs++;
    }
    free(exact);
    files_replayed++;
}

/* walk replays every regular file below |dir|. Returns the number of files found. */
static size_t walk(const char *dir)
{
    DIR *d = opendir(dir);
    size_t found = 0;
    if (!d)
        return 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue; /* ".", "..", and hidden files (editor and libFuzzer leftovers) */
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            found += walk(path);
        } else if (S_ISREG(st.st_mode)) {
            replay(path);
            found++;
        }
    }
    closedir(d);
    return found;
}

int main(void)
{
    size_t regressions = walk("fuzz/regressions");
    size_t corpus = walk("fuzz/corpus");
    printf("test_regressions: %zu reproducers, %zu corpus files, %zu target runs\n", regressions,
           corpus, runs);
    /* The corpus is committed: finding none means the test runs from the wrong place. */
    CHECK(corpus > 0);
    CHECK_INT(files_replayed, regressions + corpus);
    return check_report("test_regressions");
}
