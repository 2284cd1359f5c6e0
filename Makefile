# The top of the tutorial. `make help` lists the targets; docs/contract.md
# fixes what each one does.
STEP_DIRS := $(sort $(wildcard step0[1-9]-*))
STEPS := $(foreach d,$(STEP_DIRS),$(firstword $(subst -, ,$(d))))
# From step04 on, a step chroots into ./rootfs.
ROOTFS_STEPS := $(filter-out step01 step02 step03,$(STEPS))
BATS ?= bats
BATS_FLAGS ?= --print-output-on-failure

include mk/flags.mk
FINAL_SRCS := $(sort $(wildcard final/*.c))
FINAL_OBJS := $(FINAL_SRCS:.c=.o)
# The seccomp filter is compiled by libseccomp at build time, by a program
# of its own: runbox loads the finished table (final/seccomp.c).
FILTER_GEN := final/bpf/seccomp-filter
# runbox is linked dynamically: libmnl comes only as a shared library
# (Debian ships no libmnl.a), and a static glibc cannot load one. json-c
# and libseccomp (which compiles a config.json's seccomp profile,
# final/seccomp-oci.c) are linked in, as runc links libseccomp: each is one
# library fewer for ld.so to find, map and relocate at every start
# (docs/performance.md). libseccomp is LGPL-2.1: this tree is what relinks
# runbox with another build of it.
FINAL_LIBS := -Wl,-Bstatic -ljson-c -lseccomp -Wl,-Bdynamic -lmnl -pthread

.PHONY: fuzz
FUZZ_TIME ?= 60
FUZZ_SRCS := tests/fuzz/bundle_fuzz.c final/bundle.c final/ocimount.c final/util.c
FUZZ_SRCS += final/caps.c final/process.c final/sysctl.c
FUZZ_SRCS += final/resources.c final/cgroup.c final/devices.c
FUZZ_SRCS += final/namespaces.c final/seccomp-oci.c final/json.c

.PHONY: all final help $(STEPS) rootfs rootfs-alpine test test-deps test-vm check format \
	diffs clean distclean doctor install uninstall bench

all: $(STEPS) final

help:
	@echo 'make                build every step and the final runtime'
	@echo 'make final          build ./runbox (needs libseccomp-dev, libmnl-dev, libjson-c-dev)'
	@echo 'make stepNN         build ./stepNN (01-07); from 04 on also ./rootfs'
	@echo 'make rootfs         build ./rootfs offline from the static busybox'
	@echo 'make rootfs-alpine  fetch and verify the Alpine minirootfs (ALPINE_URL=...)'
	@echo 'sudo make test      install test dependencies, build, run every test'
	@echo 'sudo make test-vm   the cgroup tests again in a VM: pure cgroup v2, then v1'
	@echo '                    (STRICT=1: a skipped test fails; SANITIZE=1: ASan+UBSan)'
	@echo 'make check          format check, shellcheck, cppcheck, step consistency'
	@echo 'make diffs          regenerate the lesson diffs in docs/diffs/'
	@echo 'make workshop       the learner'"'"'s copy: workshop/stepNN/container.c, the'
	@echo '                    lesson taken out, a TODO in its place (02-07)'
	@echo 'sudo make grade     build workshop/stepNN and run step NN'"'"'s tests on it'
	@echo '                    (STEP=NN; without it, the first step not yet passing)'
	@echo 'make doctor         check this machine: what stops a step, and the fix'
	@echo 'sudo make install   install runbox and its man pages (PREFIX, DESTDIR)'
	@echo 'sudo make uninstall remove what make install installed'
	@echo 'sudo make bench     runbox against crun, runc and unshare (QUICK=1: a check)'
	@echo 'make fuzz           fuzz the config.json parser with libFuzzer (clang),'
	@echo '                    FUZZ_TIME=60 seconds; a crash is kept in tests/fuzz/work/'
	@echo 'make clean          remove built programs (distclean: also ./rootfs)'

# Each step is built by its own Makefile, so `make` inside a step works too.
$(STEPS):
	@$(MAKE) --no-print-directory -C $(filter $@-%,$(STEP_DIRS))

$(ROOTFS_STEPS): | rootfs-if-missing

final: runbox | rootfs-if-missing

runbox: $(FINAL_OBJS)
	$(CC) -o $@ $(FINAL_OBJS) $(ALL_LDFLAGS) $(FINAL_LIBS)

final/%.o: final/%.c $(wildcard final/*.h) mk/flags.mk
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# runbox --version's commit line, as runc prints its own (features.c).
final/features.o: ALL_CFLAGS += -DRUNBOX_COMMIT='"$(shell git describe --always --dirty 2>/dev/null || echo unknown)"'

# config.h's #error first: elsewhere than Linux, it says why before any
# missing <linux/...> header does. Before it, a missing library is one
# line naming its package, not the compiler's fatal error.
$(FINAL_OBJS) $(FILTER_GEN) fuzz-bundle: | final-linux-only
.PHONY: final-linux-only final-libs steps-libs
final-linux-only: | final-libs
final-libs steps-libs:
	@CC='$(CC)' CPPFLAGS='$(CPPFLAGS)' CFLAGS='$(CFLAGS)' tools/need-libs $(@:-libs=)
$(STEPS): | steps-libs
final-linux-only:
	@$(CC) $(ALL_CFLAGS) -fsyntax-only -x c final/config.h

final/seccomp.o: final/seccomp-filter.h

# Runs at build time, on this machine: no sanitizer.
$(FILTER_GEN): $(FILTER_GEN).c mk/flags.mk
	$(CC) $(WARNINGS) $(WERROR) $(CFLAGS) -o $@ $< $(LDFLAGS) -lseccomp

final/seccomp-filter.h: $(FILTER_GEN)
	$(FILTER_GEN) >$@.tmp && mv $@.tmp $@

.PHONY: rootfs-if-missing
rootfs-if-missing:
	@test -d rootfs || tools/mkrootfs rootfs

rootfs:
	tools/mkrootfs rootfs

rootfs-alpine:
	tools/rootfs-alpine rootfs

test-deps:
	@tools/install-test-deps

test: test-deps all
	$(BATS) $(BATS_FLAGS) tests

# The cgroup tests again in a throwaway VM: pure cgroup v2, then v1.
VM_TESTS ?= tests/step06-cgroups.bats tests/final-cgroups.bats tests/oci-cgroups.bats \
	tests/docs-tryit-cgroups.bats
# Everything the guest runs is built here first: its writes are thrown away.
PROBES := $(patsubst tests/probes/%.c,tests/bin/%,$(wildcard tests/probes/*.c))
test-vm: all $(PROBES)
	tools/vm-test --cgroup both $(VM_TESTS)

# The tests' static probes, as tests/helper.bash builds them on demand.
tests/bin/%: tests/probes/%.c
	@mkdir -p tests/bin
	cc -static -O2 -Wall -Wextra -Werror -o $@ $<

check:
	@tools/check

doctor:
	@tools/doctor

# make install: runbox in $(PREFIX)/bin and the man pages; DESTDIR stages
# the tree for a package. The steps are lessons, run from the checkout as
# ./stepNN beside their source: they are not installed (runbox-steps(7)).
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1
MAN7DIR = $(DESTDIR)$(PREFIX)/share/man/man7
install: runbox
	install -d "$(BINDIR)" "$(MAN1DIR)" "$(MAN7DIR)"
	install -m 755 runbox "$(BINDIR)/runbox"
	install -m 644 docs/man/runbox.1 "$(MAN1DIR)/runbox.1"
	install -m 644 docs/man/runbox-steps.7 "$(MAN7DIR)/runbox-steps.7"

uninstall:
	rm -f "$(BINDIR)/runbox"
	rm -f "$(MAN1DIR)/runbox.1" "$(MAN7DIR)/runbox-steps.7"

format:
	clang-format -i step0*/container.c final/*.c final/*.h final/bpf/*.c tests/probes/*.c tests/fuzz/*.c tools/*.c

# runbox against crun, runc and the unshare limit: docs/performance.md.
bench: final build/bench/lifecycle
	tools/bench $(if $(filter 1,$(QUICK)),--quick) $(BENCH_FLAGS)

# The OCI lifecycle as an engine drives it, for tools/bench.
build/bench/lifecycle: tools/lifecycle.c
	@mkdir -p build/bench
	$(CC) $(WARNINGS) $(WERROR) $(CFLAGS) -o $@ $< $(LDFLAGS)

# The lesson of each step is its diff against the step before.
diffs:
	@tools/lesson-diff docs/diffs

# Workshop mode: the learner writes each step's primitive, and the step's
# own tests grade it (tools/workshop, tools/grade).
.PHONY: workshop grade
workshop:
	@tools/workshop

grade: rootfs-if-missing
	@tools/grade $(STEP)

# libFuzzer: new inputs go to tests/fuzz/work/, the seed corpus stays as it is.
fuzz-bundle: $(FUZZ_SRCS) $(wildcard final/*.h)
	clang $(WARNINGS) $(WERROR) -g -O1 -fsanitize=fuzzer,address,undefined \
		-o $@ $(FUZZ_SRCS) -ljson-c -lseccomp

fuzz: fuzz-bundle
	@mkdir -p tests/fuzz/work/corpus
	./fuzz-bundle -max_total_time=$(FUZZ_TIME) -close_fd_mask=2 \
		-artifact_prefix=tests/fuzz/work/ tests/fuzz/work/corpus tests/fuzz/corpus/bundle

clean:
	rm -f $(STEPS) runbox fuzz-bundle final/*.o $(FILTER_GEN) final/seccomp-filter.h
	rm -rf rootfs.tmp.*
	rm -f $(foreach s,$(STEPS),workshop/$(s)/$(s))

distclean: clean
	rm -rf rootfs build
