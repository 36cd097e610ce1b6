# OpenPES build.  `make` builds build/openpes; `make SAN=1` builds everything under ASan+UBSan
# into build-san/.  `make test` installs what is missing, then runs every test layer (see
# scripts/test-all.sh).  `make run` builds, seeds a demo database and serves it on :8080.
# `make bench` runs the benchmarks (bench/run.sh); `make fuzz` the parser fuzzers (fuzz/).

CC      ?= cc
SAN     ?= 0
PKGS    := libmicrohttpd jansson sqlite3 libpq openssl libargon2 libcurl
BUILD   ?= $(if $(filter 1,$(SAN)),build-san,build)

CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
               -Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -g -Isrc \
               -Wno-error=deprecated-declarations
ifeq ($(SAN),1)
  OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDSAN := -fsanitize=address,undefined
else
  OPT := -O2
  LDSAN :=
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -I$(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ifeq ($(PKG_LIBS),)
  PKG_LIBS := -lmicrohttpd -ljansson -lsqlite3 -lpq -lssl -lcrypto -largon2 -lcurl
endif
# libunistring (Unicode normalisation of names) ships no pkg-config file on Debian 12.
UNISTRING_LIBS := $(shell pkg-config --libs libunistring 2>/dev/null || echo -lunistring)
LIBS := $(PKG_LIBS) $(UNISTRING_LIBS) -lpthread -lm

CFLAGS  := $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS := $(LDSAN) $(EXTRA_LDFLAGS)

# Every .c under src/ except the program entry point goes into a static library that the
# program, the unit tests and the benchmark tools link against.
SRC_ALL  := $(shell find src -name '*.c' | sort)
MAIN_SRC := src/cli/main.c
LIB_SRC  := $(filter-out $(MAIN_SRC),$(SRC_ALL))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test test-fast unit bench clean fmt tools fuzz
all: $(BUILD)/openpes

deps:
	@scripts/setup-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libopenpes.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/openpes: $(MAIN_OBJ) $(BUILD)/libopenpes.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libopenpes.a
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libopenpes.a $(LDFLAGS) $(LIBS) -lcriterion

unit: $(UNIT_BIN)

tools: $(BUILD)/bench-floor

$(BUILD)/bench-floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS) $(LIBS)

# The README commands.
# deps first, then a fresh make so pkg-config sees the packages deps just installed.
run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-demo.sh

test: deps
	@scripts/test-all.sh

# All benchmarks; BENCH="persons search recommend dci" (any subset) selects some.  BENCH=eibatch
# (not in the default set: seeding 1.8 M claims takes minutes and ~6 GB, cached in bench/out/;
# EI_BATCH_CLAIMS picks fewer) runs the recognition + payment batch, bench/ei/batch.sh.
BENCH ?= persons search recommend dci policy
bench: deps
	@$(MAKE) --no-print-directory all tools
	@$(if $(filter persons,$(BENCH)),BUILD=$(BUILD) bench/run.sh)
	@$(if $(filter search,$(BENCH)),echo "== vacancy search" && BUILD=$(BUILD) bench/jobs/run.sh)
	@$(if $(filter recommend,$(BENCH)),echo "== recommendations" && BUILD=$(BUILD) bench/jobs/recommend.sh)
	@$(if $(filter dci,$(BENCH)),echo "== DCI registry" && BUILD=$(BUILD) bench/dci/run.sh)
	@$(if $(filter policy,$(BENCH)),echo "== benefit calculator" && BUILD=$(BUILD) bench/policy/run.sh)
	@$(if $(filter ei,$(BENCH)),echo "== employment detection" && BUILD=$(BUILD) bench/ei/run.sh)
	@$(if $(filter eibatch,$(BENCH)),echo "== EI recognition + payment batch" && BUILD=$(BUILD) bench/ei/batch.sh)

# libFuzzer targets for the parsers (fuzz/), FUZZ_SECONDS each; not part of `make test`.
fuzz:
	@scripts/fuzz.sh

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
