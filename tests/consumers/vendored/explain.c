/* Explain a 6MM REST error code with the vendored library. */
#include <stdio.h>
#include <stdlib.h>

#include <sixmm/errinfo.h>

int main(int argc, char **argv)
{
    long long code = argc > 1 ? atoll(argv[1]) : 1002;
    const sixmm_entry *e = sixmm_lookup(SIXMM_DOMAIN_REST, code, NULL);

    printf("%lld: %s\n", code, e ? sixmm_entry_name(e) : "unknown");
    return e ? 0 : 1;
}
