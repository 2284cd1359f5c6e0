# The rule shared by every step: stepNN-name/container.c builds ./stepNN at
# the top of the repository. Each step's Makefile is one include of this
# file, so `make` inside a step directory works as well as `make stepNN`
# at the top.
STEP_DIR := $(notdir $(CURDIR))
STEP := $(firstword $(subst -, ,$(STEP_DIR)))
TOP := $(abspath $(CURDIR)/..)

# make grade builds a learner's copy with the same rule: BIN names its
# program, TOP this repository (tools/grade).
BIN = $(TOP)/$(STEP)

include $(TOP)/mk/flags.mk

$(BIN): container.c $(TOP)/mk/flags.mk $(TOP)/mk/step.mk
	$(CC) $(ALL_CFLAGS) -o $@ container.c $(ALL_LDFLAGS)

.PHONY: clean
clean:
	rm -f $(BIN)
