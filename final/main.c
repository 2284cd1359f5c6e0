/*
 * runbox: the command line. It checks every option before anything is
 * made, fills one struct config, and maps the outcome to an exit status:
 * CMD's own, 128+N for a signal, 126/127 when CMD cannot run, and 125
 * when runbox itself fails (with one line saying why).
 *
 * Usage: sudo ./runbox run [OPTIONS] [--] CMD [ARG...]
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "config.h"
#include "oci.h"
#include "options.h"
#include "runtime.h"

#define RUNBOX_VERSION "0.1.0"

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: runbox run [OPTIONS] [--] CMD [ARG...]\n"
            "       runbox cleanup\n"
            "       runbox [--root DIR] create|run --bundle DIR [--pid-file F] "
            "ID\n"
            "       runbox [--root DIR] start|state|kill [SIG]|delete [-f] "
            "ID, or list\n"
            "\n"
            "  -r, --rootfs DIR        root filesystem (default ./rootfs)\n"
            "      --hostname NAME     hostname inside (default container)\n"
            "  -m, --memory SIZE       memory limit, e.g. 100m (k, m, g)\n"
            "      --pids N            at most N processes\n"
            "      --cpus X            at most X CPUs' worth of time, e.g. 0.5\n"
            "      --net none          network: only lo (the default)\n"
            "  -v, --volume SRC:DST[:ro]  bind SRC at DST (repeatable)\n"
            "  -e, --env KEY=VALUE     set an environment variable (repeatable)\n"
            "  -w, --workdir DIR       working directory inside (default /)\n"
            "  -u, --user UID[:GID]    run CMD as this user\n"
            "      --read-only         mount the root filesystem read-only\n"
            "  -t, --tty               give CMD a terminal of its own\n"
            "  -h, --help              this text\n"
            "  -V, --version           the version\n");
}

int
main(int argc, char *argv[])
{
    struct config cfg;
    int status;

    if (argc >= 2 &&
            (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 &&
            (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
        printf("runbox %s\n", RUNBOX_VERSION);
        return 0;
    }
    if (oci_wanted(argc, argv))
        return oci_main(argc, argv);
    if (argc < 2)
        errx(EXIT_RUNTIME, "missing command; see runbox --help");
    if (strcmp(argv[1], "cleanup") == 0)
        return cleanup_leftovers() == 0 ? 0 : EXIT_RUNTIME;
    if (strcmp(argv[1], "run") != 0)
        errx(EXIT_RUNTIME, "unknown command %s; see runbox --help", argv[1]);
    /* getopt_long(3) starts its messages with argv[0]. */
    argv[1] = program_invocation_short_name;
    if (options_parse(&cfg, argc - 1, argv + 1) == -1) {
        options_free(&cfg);
        return EXIT_RUNTIME;
    }
    /* Namespaces, cgroups and mounts need root: say so, not EPERM. */
    if (geteuid() != 0) {
        warnx("run: needs root: run with sudo");
        options_free(&cfg);
        return EXIT_RUNTIME;
    }
    status = runtime_run(&cfg);
    options_free(&cfg);
    return status;
}
