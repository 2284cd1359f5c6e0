/* Small helpers shared by the files of runbox. Each warns on failure. */
#ifndef RUNBOX_UTIL_H
#define RUNBOX_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* The number of elements of the array A. */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* "/proc/self/fd/" and an int: the path of an fd of this process. */
#define FD_PATH_SIZE 32

/* Writes VALUE whole to an existing file, or warns and returns -1. */
int write_file(const char *path, const char *value);

/* vsnprintf(3) into BUF: 0 if all of it fitted, else -1 (no message). */
int format_whole(char *buf, size_t size, const char *fmt, va_list ap)
        __attribute__((format(printf, 3, 0)));

/* snprintf() that warns and returns -1 on truncation. */
int path_printf(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Whether FD is a file or directory of a procfs (statfs(2)). */
int on_procfs(int fd);

/*
 * Opens NAME ("self/oom_score_adj") of the procfs mounted at /proc, with
 * FLAGS, and only there: never a file that a mount over /proc or a
 * symlink leads to instead. -1 after one line.
 */
int proc_open(const char *name, int flags);

/* Writes VALUE whole to NAME of the procfs at /proc (proc_open()). */
int proc_write(const char *name, const char *value);

/*
 * Whether a mount may cover DESTINATION, as runc allows: /proc only with a
 * procfs (IS_PROC), nothing under it but the files lxcfs emulates.
 */
int proc_mount_allowed(const char *destination, int is_proc);

/* "512", "64k", "64m", "1g" (powers of 1024, as docker): 0, or -1. */
int parse_size(const char *s, long long *out);

/* strdup(3), which warns when it fails. */
char *xstrdup(const char *s);

#endif
