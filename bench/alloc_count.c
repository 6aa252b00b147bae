/* alloc_count.c — counts heap allocations while one call runs, by standing in for malloc,
 * calloc and realloc in this program (glibc's own allocator does the work). Sanitizer builds
 * keep their own allocator: there the count is unavailable. */
#include <stdbool.h>
#include <stdlib.h>

#include "bench.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BENCH_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define BENCH_SANITIZED 1
#endif

#if defined(__GLIBC__) && !defined(BENCH_SANITIZED)
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);

static bool counting;
static long allocations;

void *malloc(size_t size)
{
    if (counting)
        allocations++;
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    if (counting)
        allocations++;
    return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size)
{
    if (counting)
        allocations++;
    return __libc_realloc(ptr, size);
}

void free(void *ptr)
{
    __libc_free(ptr);
}

long bench_count_allocations(bench_fn fn, void *arg)
{
    allocations = 0;
    counting = true;
    fn(arg);
    counting = false;
    return allocations;
}
#else
long bench_count_allocations(bench_fn fn, void *arg)
{
    (void)fn;
    (void)arg;
    return -1;
}
#endif
