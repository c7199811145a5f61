/*
 * Counts every heap allocation of the process, the library's included.
 *
 * In a normal build this file defines malloc() and friends, forwarding to
 * glibc's __libc_* entry points: an executable's definitions take
 * precedence over libc's for every caller, the library included (static or
 * shared), and any allocation inside libc on the library's behalf. Under
 * AddressSanitizer, which owns malloc, the sanitizer's allocation hooks feed
 * the counter instead. With SIXMM_ALLOC_COUNTER_OFF nothing is defined and
 * alloc_counter_install() returns 0.
 */
#include "alloc_counter.h"

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#  define ALLOC_COUNTER_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define ALLOC_COUNTER_ASAN 1
#  endif
#endif

static volatile unsigned long allocations;

unsigned long alloc_count(void)
{
    return allocations;
}

#if defined(SIXMM_ALLOC_COUNTER_OFF)
int alloc_counter_install(void)
{
    return 0;
}
#elif defined(ALLOC_COUNTER_ASAN)
/* GCC ships no sanitizer/allocator_interface.h; libasan exports this. */
int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *p, size_t n),
    void (*free_hook)(const volatile void *p));

static void count_malloc(const volatile void *p, size_t n)
{
    (void)p;
    (void)n;
    allocations++;
}

static void count_free(const volatile void *p)
{
    (void)p;
}

int alloc_counter_install(void)
{
    __sanitizer_install_malloc_and_free_hooks(count_malloc, count_free);
    return 1;
}
#else
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void __libc_free(void *p);

void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
void *memalign(size_t align, size_t n);
void *aligned_alloc(size_t align, size_t n);
int posix_memalign(void **out, size_t align, size_t n);

void *malloc(size_t n)
{
    allocations++;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    allocations++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    allocations++;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    __libc_free(p);
}

void *memalign(size_t align, size_t n)
{
    allocations++;
    return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    allocations++;
    return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p;
    allocations++;
    p = __libc_memalign(align, n);
    if (!p)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}

int alloc_counter_install(void)
{
    return 1;
}
#endif
