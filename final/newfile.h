/*
 * A file that runbox writes at a path it was given (--pid-file, --log):
 * made anew beside it and renamed over it, never opened through a link
 * that someone planted at that path.
 */
#ifndef RUNBOX_NEWFILE_H
#define RUNBOX_NEWFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * A new empty file in PATH's directory, its name in TMP: the fd, open for
 * writing, or -1 after one line.
 */
int newfile_open(const char *path, char *tmp, size_t size);

/* TMP renamed to PATH, or removed after one line. 0 or -1. */
int newfile_commit(const char *tmp, const char *path);

/* TEXT written to a new file that then takes PATH's place. 0 or -1. */
int newfile_write(const char *path, const char *text);

/* PID, in decimal, as newfile_write() writes it: a --pid-file. */
int newfile_pid(const char *path, pid_t pid);

#endif
