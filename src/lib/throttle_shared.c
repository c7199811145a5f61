/*
 * A throttle in a file that every process of a host maps (MAP_SHARED), so
 * that they share one quota. The region is a header and one sixmm_throttle:
 *     magic "6MMQUOTA", layout version, header size, region size,
 *     the numbers (rate, burst, concurrency, lease), the boot id,
 *     then the throttle, 64-byte aligned.
 * The first opener creates and fills it; later openers check every field
 * and attach only to a region of this layout with the same numbers. Setup
 * runs under flock(), which the kernel also drops when a process dies, so a
 * creator killed half-way leaves a zeroed header that the next opener
 * fills. After setup no lock is taken: the throttle's words are lock-free
 * 64-bit atomics, which are address-free, so they work from every mapping.
 *
 * Times in the throttle are the callers' monotonic milliseconds, which
 * restart at each boot: a region written under another boot id is reset
 * (no process of an earlier boot can still use it).
 */
#define _DEFAULT_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "retry_policy.h"
#include "throttle_internal.h"

#define MAGIC   "6MMQUOTA"
#define VERSION 1u
#define BOOT_ID_LEN 40

struct region {
    char magic[8];
    uint32_t version, header_size;
    uint64_t size;
    uint32_t rate_per_s, burst, concurrency, lease_ms;
    char boot_id[BOOT_ID_LEN];
    _Alignas(64) sixmm_throttle throttle;
};

_Static_assert(offsetof(struct region, throttle) == 128, "the header is 128 bytes");

struct numbers {
    uint32_t rate_per_s, burst, concurrency, lease_ms;
};

/* The kernel's id of this boot, or "" when it cannot be read. */
static void read_boot_id(char out[BOOT_ID_LEN])
{
    int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
    ssize_t n = 0;

    memset(out, 0, BOOT_ID_LEN);
    if (fd < 0)
        return;
    n = read(fd, out, BOOT_ID_LEN - 1);
    close(fd);
    if (n <= 0)
        memset(out, 0, BOOT_ID_LEN);
    else if (out[n - 1] == '\n')
        out[n - 1] = '\0';
}

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n--)
        if (*b++)
            return 0;
    return 1;
}

/* Fill a new (or unfinished) region. */
static int fill(struct region *r, const struct numbers *num, const char *boot_id)
{
    memset(r, 0, offsetof(struct region, throttle));
    if (sixmm__throttle_init_lease(&r->throttle, num->rate_per_s, num->burst, num->concurrency,
                                   num->lease_ms) != 0)
        return SIXMM_SHARED_E_ARGUMENT;
    r->version = VERSION;
    r->header_size = (uint32_t)offsetof(struct region, throttle);
    r->size = sizeof *r;
    r->rate_per_s = num->rate_per_s;
    r->burst = num->burst;
    r->concurrency = num->concurrency;
    r->lease_ms = num->lease_ms;
    memcpy(r->boot_id, boot_id, BOOT_ID_LEN);
    /* The magic last: a region with it is complete. */
    memcpy(r->magic, MAGIC, sizeof r->magic);
    return SIXMM_SHARED_OK;
}

/* Check the header that pread() gave, before anything is mapped. */
static int check_header(const struct region *h, off_t file_size, const struct numbers *num)
{
    if (memcmp(h->magic, MAGIC, sizeof h->magic) != 0)
        return SIXMM_SHARED_E_FOREIGN;
    if (h->version != VERSION || h->header_size != offsetof(struct region, throttle))
        return SIXMM_SHARED_E_VERSION;
    if (h->size != sizeof *h || file_size != (off_t)sizeof *h)
        return SIXMM_SHARED_E_SIZE;
    if (h->rate_per_s != num->rate_per_s || h->burst != num->burst ||
        h->concurrency != num->concurrency || h->lease_ms != num->lease_ms)
        return SIXMM_SHARED_E_NUMBERS;
    return SIXMM_SHARED_OK;
}

/* Close fd and return rc, keeping the errno of the call that failed. */
static int give_up(int fd, int rc)
{
    int e = errno;
    flock(fd, LOCK_UN);
    close(fd);
    errno = e;
    return rc;
}

static int open_region(const char *path, const struct numbers *num, sixmm_throttle **out)
{
    struct region head, *r;
    struct stat st;
    char boot_id[BOOT_ID_LEN];
    ssize_t got;
    int fd, rc = SIXMM_SHARED_OK, fresh;
    void *map;

    if (!path || !out)
        return SIXMM_SHARED_E_ARGUMENT;
    *out = NULL;
    {
        sixmm_throttle probe;
        if (!atomic_is_lock_free(sixmm__atomic_word(&probe.opaque[0])))
            return SIXMM_SHARED_E_SYSTEM;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return SIXMM_SHARED_E_SYSTEM;
    if (flock(fd, LOCK_EX) != 0 || fstat(fd, &st) != 0)
        return give_up(fd, SIXMM_SHARED_E_SYSTEM);
    memset(&head, 0, sizeof head);
    got = st.st_size > 0 ? pread(fd, &head, sizeof head, 0) : 0;
    if (got < 0)
        return give_up(fd, SIXMM_SHARED_E_SYSTEM);
    /* Empty, or a creator died before the magic: ours to fill. */
    fresh = st.st_size == 0 ||
            (st.st_size == (off_t)sizeof head && all_zero(&head, offsetof(struct region, throttle)));
    if (!fresh) {
        rc = check_header(&head, st.st_size, num);
        if (rc != SIXMM_SHARED_OK)
            return give_up(fd, rc);
    } else if (ftruncate(fd, (off_t)sizeof head) != 0) {
        return give_up(fd, SIXMM_SHARED_E_SYSTEM);
    }
    map = mmap(NULL, sizeof head, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        return give_up(fd, SIXMM_SHARED_E_SYSTEM);
    r = map;
    read_boot_id(boot_id);
    if (fresh)
        rc = fill(r, num, boot_id);
    else if (memcmp(r->boot_id, boot_id, BOOT_ID_LEN) != 0)
        rc = fill(r, num, boot_id); /* written under another boot: its times mean nothing now */
    /* The mapping keeps the open file, and so the lock, alive: drop it. */
    flock(fd, LOCK_UN);
    close(fd);
    if (rc != SIXMM_SHARED_OK) {
        munmap(map, sizeof head);
        return rc;
    }
    *out = &r->throttle;
    return SIXMM_SHARED_OK;
}

int sixmm_throttle_open_shared(const char *path, sixmm_domain domain, sixmm_throttle **out)
{
    const struct sixmm__retry_policy *p;
    struct numbers num;

    if (out)
        *out = NULL;
    if ((unsigned)domain >= SIXMM_DOMAIN_COUNT)
        return SIXMM_SHARED_E_ARGUMENT;
    p = &sixmm__retry_policies[domain];
    if (p->quota_rate_per_s == 0)
        return SIXMM_SHARED_E_ARGUMENT;
    num.rate_per_s = p->quota_rate_per_s;
    num.burst = p->quota_burst;
    num.concurrency = p->quota_concurrency ? p->quota_concurrency : UINT32_MAX;
    num.lease_ms = p->lease_ms;
    return open_region(path, &num, out);
}

int sixmm_throttle_open_shared_custom(const char *path, uint32_t rate_per_s, uint32_t burst,
                                      uint32_t concurrency, sixmm_throttle **out)
{
    struct numbers num;

    if (out)
        *out = NULL;
    if (rate_per_s == 0 || burst == 0 || concurrency == 0)
        return SIXMM_SHARED_E_ARGUMENT;
    num.rate_per_s = rate_per_s;
    num.burst = burst;
    num.concurrency = concurrency;
    num.lease_ms = sixmm__retry_policies[0].lease_ms;
    return open_region(path, &num, out);
}

int sixmm_throttle_close_shared(sixmm_throttle *t)
{
    struct region *r;

    if (!t)
        return SIXMM_SHARED_E_ARGUMENT;
    r = (struct region *)(void *)((char *)t - offsetof(struct region, throttle));
    /* Only a throttle that open_shared() returned has the region around it. */
    if (((uintptr_t)r & 4095u) != 0 || memcmp(r->magic, MAGIC, sizeof r->magic) != 0)
        return SIXMM_SHARED_E_ARGUMENT;
    return munmap(r, sizeof *r) == 0 ? SIXMM_SHARED_OK : SIXMM_SHARED_E_SYSTEM;
}

const char *sixmm_shared_strerror(int status)
{
    switch (status) {
    case SIXMM_SHARED_OK:
        return "ok";
    case SIXMM_SHARED_E_ARGUMENT:
        return "bad argument: no path, no quota documented for the domain, a zero number, or "
               "not a shared throttle";
    case SIXMM_SHARED_E_SYSTEM:
        return "the system refused (open, flock, ftruncate or mmap): see errno";
    case SIXMM_SHARED_E_FOREIGN:
        return "the file is not a sixmm throttle region";
    case SIXMM_SHARED_E_VERSION:
        return "the region has another layout version: made by another version of the library";
    case SIXMM_SHARED_E_SIZE:
        return "the file has the wrong size for a throttle region";
    case SIXMM_SHARED_E_NUMBERS:
        return "the region was made with other numbers (rate, burst, concurrency or lease)";
    default:
        return "";
    }
}
