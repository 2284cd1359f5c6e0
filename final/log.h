/* --log FILE, --log-format text|json: runbox's errors, kept for conmon. */
#ifndef RUNBOX_LOG_H
#define RUNBOX_LOG_H

#include <stddef.h>
#include <stdio.h>

#define LOG_LINE_MAX 1024 /* bytes of a message kept; the rest is cut */

struct log {
    int fd; /* the log file, or -1 */
    int json; /* --log-format json */
    FILE *saved; /* stderr as it was, while the log is open */
    char line[LOG_LINE_MAX]; /* the line being written */
    size_t len;
};

/*
 * Without FILE, nothing. Else from now on, what is printed on stderr goes
 * to FILE too, in FORMAT (NULL: text). LG must live until log_close().
 * 0, or -1 after one line.
 */
int log_open(struct log *lg, const char *file, const char *format);

/* stderr as it was; FILE closed. */
void log_close(struct log *lg);

#endif
