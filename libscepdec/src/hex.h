/* hex.h — the value of a hexadecimal digit, for the percent escapes of URLs (b64.c, query.c).
 * Internal. */
#ifndef SCEPDEC_HEX_H
#define SCEPDEC_HEX_H

/* hex_value returns 0-15 for '0'-'9', 'a'-'f', 'A'-'F', and -1 for anything else. */
static inline int hex_value(unsigned char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

#endif
