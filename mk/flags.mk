# Compiler flags shared by every step and by final/.
# The warnings are always on: a user's CFLAGS adds to them, never removes
# them. -Werror sits in its own variable so a newer compiler's new warning
# never blocks a learner (make WERROR=).
CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
WARNINGS := -Wall
WARNINGS += -Wextra
WARNINGS += -Wshadow
WARNINGS += -Wstrict-prototypes
WARNINGS += -Wmissing-prototypes
WARNINGS += -Wformat=2
WARNINGS += -Wvla
WARNINGS += -Wundef
ifeq ($(SANITIZE),1)
SANITIZERS := -fsanitize=address,undefined -fno-omit-frame-pointer
endif
ALL_CFLAGS = $(WARNINGS) $(WERROR) $(CFLAGS) $(SANITIZERS)
ALL_LDFLAGS = $(LDFLAGS) $(SANITIZERS)
