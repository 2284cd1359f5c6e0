/*
 * libFuzzer target for config.json: whatever the bytes, bundle_parse()
 * returns 0 or -1, and bundle_free() releases all it made. Built by
 * `make fuzz` with clang's -fsanitize=fuzzer,address,undefined, so an
 * overflow, a leak or undefined behaviour is a crash. Seed corpus:
 * fuzz/corpus/bundle/ (real configs: `crun spec`, the tests' bundles).
 *
 * The bundle directory does not exist, so a relative root.path fails as
 * it would; an absolute one is resolved on this machine, read-only.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>

#include "../../final/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config cfg;

    bundle_parse(&cfg, (const char *)data, size, "/nonexistent-bundle");
    bundle_free(&cfg);
    return 0;
}
