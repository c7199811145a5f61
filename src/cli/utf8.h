/* utf8.h: the UTF-8 check that guards every input of 6mm-errinfo. */
#ifndef SIXMM_CLI_UTF8_H
#define SIXMM_CLI_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 prefix of s[0..n) that contains no NUL byte;
 * equals n when all of it is valid (overlong forms, surrogates and code
 * points above U+10FFFF are invalid). */
size_t errinfo_utf8_valid(const char *s, size_t n);

#endif
