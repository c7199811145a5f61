/* sign.h: REST request signing, as the 6MM request-signing page describes:
 * HMAC-SHA256, keyed with the API secret, over the query string without
 * `signature` (in the order it is sent) followed by the raw body. */
#ifndef PLACE_ORDER_SIGN_H
#define PLACE_ORDER_SIGN_H

#include <stddef.h>

#define SIGN_HEX_LEN 64

/* Writes the lower-case hex signature and a NUL into hex[SIGN_HEX_LEN + 1].
 * Returns 0, or -1 when OpenSSL fails. */
int sign_request(const char *secret, const char *query, const char *body,
                 char hex[SIGN_HEX_LEN + 1]);

#endif
