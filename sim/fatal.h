/* fatal.h: how the simulator stops on an error it cannot go on from. */
#ifndef SIM_FATAL_H
#define SIM_FATAL_H

/* Prints "sixmm-sim: WHAT" on stderr and exits 2. */
_Noreturn void sim_fatal(const char *what);

#endif
