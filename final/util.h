/* Small helpers shared by the files of runbox. Each warns on failure. */
#ifndef RUNBOX_UTIL_H
#define RUNBOX_UTIL_H

#include <stddef.h>

/* Writes VALUE whole to an existing file, or warns and returns -1. */
int write_file(const char *path, const char *value);

/* snprintf() that warns and returns -1 on truncation. */
int path_printf(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
