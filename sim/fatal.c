/* fatal.c: see fatal.h. */
#include "fatal.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void sim_fatal(const char *what)
{
    fprintf(stderr, "sixmm-sim: %s\n", what);
    exit(2);
}
