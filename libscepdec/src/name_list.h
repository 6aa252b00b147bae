/* name_list.h — names of a public enum's values, from a list in the enum's order starting at
 * 0. NAME_LIST_CHECK makes the build fail when the enum gains a value the list lacks;
 * NAME_LIST_AT names a value, NULL outside the list (or where the list says NULL). Internal. */
#ifndef SCEPDEC_NAME_LIST_H
#define SCEPDEC_NAME_LIST_H

#include <stddef.h>

#define NAME_LIST_LENGTH(names) (sizeof(names) / sizeof((names)[0]))

#define NAME_LIST_CHECK(names, last)                                                      \
    _Static_assert(NAME_LIST_LENGTH(names) == (size_t)(last) + 1,                          \
                   #names " names every value up to " #last)

#define NAME_LIST_AT(names, value)                                                        \
    ((size_t)(value) < NAME_LIST_LENGTH(names) ? (names)[(size_t)(value)] : NULL)

#endif
