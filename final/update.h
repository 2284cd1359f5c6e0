/* runbox update: new limits for a container that exists. */
#ifndef RUNBOX_UPDATE_H
#define RUNBOX_UPDATE_H

/*
 * update [--resources FILE|-] [--memory N ...] ID, ARGV[0] "update", with
 * the states under ROOT. 0, or -1 after one line.
 */
int update_main(const char *root, int argc, char *argv[]);

#endif
