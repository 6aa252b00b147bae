/* hex.h — the value of a hexadecimal digit: the percent escapes of URLs (b64.c, query.c) and
 * the nonces jscep logs (the CLI's scan_jscep.c). Internal. */
#ifndef SCEPDEC_HEX_H
#define SCEPDEC_HEX_H

/* hex_value returns 0-15 for '0'-'9', 'a'-'f', 'A'-'F', and -1 for anything else. */
static inline int hex_value(unsigned char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    unsigned char lower = (unsigned char)(ch | 0x20); /* 'A'-'F' to 'a'-'f', nothing else */
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

#endif
