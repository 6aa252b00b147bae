/* fuzz_entry.c — the libFuzzer entry point of one library target. Built once per target with
 * FUZZ_TARGET naming its function (fuzz_target_query, ...); see CMakeLists.txt. */
#include "fuzz_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return FUZZ_TARGET(data, size);
}
