/* sign.c: see sign.h. */
#include "sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

int sign_request(const char *secret, const char *query, const char *body,
                 char hex[SIGN_HEX_LEN + 1])
{
    size_t qlen = strlen(query), blen = body ? strlen(body) : 0;
    unsigned char *payload = malloc(qlen + blen + 1);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    if (!payload)
        return -1;
    memcpy(payload, query, qlen);
    if (blen)
        memcpy(payload + qlen, body, blen);
    const unsigned char *ok = HMAC(EVP_sha256(), secret, (int)strlen(secret), payload,
                                   qlen + blen, mac, &maclen);
    free(payload);
    if (!ok || maclen * 2 != SIGN_HEX_LEN)
        return -1;
    for (unsigned i = 0; i < maclen; i++)
        snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    return 0;
}
