/* ascii.h — the protocol's keywords compared as HTTP and RFC 8894 ask, ignoring ASCII case
 * (header names, media types, GetCACaps keywords), and tables of keyword spellings. Internal,
 * header-only: the comparisons sit on the HTTP recognition path. */
#ifndef SCEPDEC_ASCII_H
#define SCEPDEC_ASCII_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static inline unsigned char ascii_lower(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (unsigned char)(ch - 'A' + 'a') : ch;
}

/* ascii_starts_nocase: does |s|/|len| begin with |prefix|, ignoring ASCII case? */
static inline bool ascii_starts_nocase(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (s == NULL || len < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)prefix[i]))
            return false;
    return true;
}

/* ascii_equal_nocase: is |s|/|len| the whole of |word|, ignoring ASCII case? One pass that
 * stops at the first difference: keyword tables are matched word by word. */
static inline bool ascii_equal_nocase(const char *s, size_t len, const char *word)
{
    if (s == NULL)
        return false;
    size_t i = 0;
    for (; i < len && word[i] != 0; i++)
        if (ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)word[i]))
            return false;
    return i == len && word[i] == 0;
}

/* A keyword's spelling and the enum value it stands for. A table may list several spellings
 * of one value: the first is the one to write. */
typedef struct {
    const char *spelling;
    int value;
} keyword;

/* keyword_spelling returns the first spelling of |value| in |table|/|count|, or NULL. */
static inline const char *keyword_spelling(const keyword *table, size_t count, int value)
{
    for (size_t i = 0; i < count; i++)
        if (table[i].value == value)
            return table[i].spelling;
    return NULL;
}

/* keyword_match returns the value whose spelling |s|/|len| is, ignoring ASCII case, or |none|. */
static inline int keyword_match(const keyword *table, size_t count, const char *s, size_t len,
                                int none)
{
    for (size_t i = 0; i < count; i++)
        if (ascii_equal_nocase(s, len, table[i].spelling))
            return table[i].value;
    return none;
}

#endif
