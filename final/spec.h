/* runbox spec: a config.json to start from, as runc spec writes one. */
#ifndef RUNBOX_SPEC_H
#define RUNBOX_SPEC_H

/*
 * Writes DIR/config.json: sh on a terminal, in ./rootfs, read-only, in
 * new pid, network, ipc, uts and mount namespaces. ROOTLESS: in a user
 * namespace mapping root to the caller, without the network namespace
 * or cgroup settings. An existing config.json is left alone: one line,
 * -1.
 */
int spec_write(const char *dir, int rootless);

#endif
