/* Small helpers shared by the files of runbox. Each warns on failure. */
#ifndef RUNBOX_UTIL_H
#define RUNBOX_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Writes VALUE whole to an existing file, or warns and returns -1. */
int write_file(const char *path, const char *value);

/* vsnprintf(3) into BUF: 0 if all of it fitted, else -1 (no message). */
int format_whole(char *buf, size_t size, const char *fmt, va_list ap)
        __attribute__((format(printf, 3, 0)));

/* snprintf() that warns and returns -1 on truncation. */
int path_printf(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
