/* runbox exec: one more process inside a running container, as runc's. */
#ifndef RUNBOX_EXEC_H
#define RUNBOX_EXEC_H

/*
 * runbox [--root ROOT] exec [OPTIONS] ID [CMD...], ARGV from "exec" on.
 * Returns the process's exit status (foreground), 0 (--detach), or -1
 * after one line.
 */
int exec_main(const char *root, int argc, char *argv[]);

#endif
