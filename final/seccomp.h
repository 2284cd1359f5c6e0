/* The system-call filter: what Docker's default profile forbids. */
#ifndef RUNBOX_SECCOMP_H
#define RUNBOX_SECCOMP_H

/* In the child, after caps_drop(), just before exec. 0 or -1. */
int seccomp_apply(void);

#endif
