/*
 * runbox: the command line. It checks every option before anything is
 * made, fills one struct config, and maps the outcome to an exit status:
 * CMD's own, 128+N for a signal, 126/127 when CMD cannot run, and 125
 * when runbox itself fails (with one line saying why).
 *
 * Usage: sudo ./runbox run [OPTIONS] [--] CMD [ARG...]
 *        ./runbox run [OPTIONS] [--] CMD [ARG...]   (rootless, see userns.c)
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
#include "features.h"
#include "oci.h"
#include "options.h"
#include "runtime.h"
#include "sealed.h"
#include "userns.h"

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
            "       runbox [--root DIR] pause|resume|ps [--format json] ID\n"
            "       runbox [--root DIR] exec [-d] [-t] [--process F] ID "
            "[CMD...]\n"
            "       runbox features | spec [--rootless] [--bundle DIR]\n"
            "\n"
            "  -r, --rootfs DIR        root filesystem (default ./rootfs)\n"
            "      --hostname NAME     hostname inside (default container)\n"
            "  -m, --memory SIZE       memory limit, e.g. 100m (k, m, g)\n"
            "      --pids N            at most N processes\n"
            "      --cpus X            at most X CPUs' worth of time, e.g. 0.5\n"
            "      --net none|bridge   network: only lo (the default), or eth0 on\n"
            "                          a bridge, with an address and a route\n"
            "      --bridge NAME       the bridge (default runbox0)\n"
            "      --subnet CIDR       its subnet (default 10.77.0.0/24)\n"
            "      --nat               masquerade what leaves the bridge (nftables)\n"
            "  -v, --volume SRC:DST[:ro]  bind SRC at DST (repeatable)\n"
            "  -e, --env KEY=VALUE     set an environment variable (repeatable)\n"
            "  -w, --workdir DIR       working directory inside (default /)\n"
            "  -u, --user UID[:GID]    run CMD as this user\n"
            "      --read-only         mount the root filesystem read-only\n"
            "  -t, --tty               give CMD a terminal of its own\n"
            "      --init              PID 1 is a small init that reaps zombies\n"
            "      --userns            a user namespace: root inside is uid %d\n"
            "                          and up outside (without sudo, always:\n"
            "                          root inside is then the caller)\n"
            "  -h, --help              this text\n"
            "  -V, --version           the version\n",
            USERNS_BASE);
}

/* Rootless, only the caller's own state directory is looked at. */
static int
run_cleanup(void)
{
    struct config cfg;

    memset(&cfg, 0, sizeof(cfg));
    if (userns_configure(&cfg) == -1)
        return EXIT_RUNTIME;
    return cleanup_leftovers(&cfg) == 0 ? 0 : EXIT_RUNTIME;
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
        features_print_version();
        return 0;
    }
    if (oci_wanted(argc, argv)) {
        /* Before anything of a container is made: sealed.c. */
        if (sealed_needed(argc, argv) && sealed_reexec(argv) == -1)
            return EXIT_RUNTIME;
        return oci_main(argc, argv);
    }
    if (argc < 2)
        errx(EXIT_RUNTIME, "missing command; see runbox --help");
    if (strcmp(argv[1], "cleanup") == 0)
        return run_cleanup();
    if (strcmp(argv[1], "run") != 0)
        errx(EXIT_RUNTIME, "unknown command %s; see runbox --help", argv[1]);
    /* getopt_long(3) starts its messages with argv[0]. */
    argv[1] = program_invocation_short_name;
    if (options_parse(&cfg, argc - 1, argv + 1) == -1) {
        options_free(&cfg);
        return EXIT_RUNTIME;
    }
    /* Without root, a user namespace first: see userns.c. */
    if (userns_configure(&cfg) == -1 || options_complete(&cfg) == -1) {
        options_free(&cfg);
        return EXIT_RUNTIME;
    }
    status = runtime_run(&cfg);
    options_free(&cfg);
    return status;
}
