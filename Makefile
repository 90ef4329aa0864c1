# virtkit front door: make deps | make | make check | make demo | make bench
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
MESON ?= meson
NINJA ?= ninja

.PHONY: all deps build check check-unit check-asan demo bench survey torture guest clean fuzz fuzz-build

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) -Dwerror=true

build: $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

# Every suite: unit and data-driven (also under ASan+UBSan), integration with
# real QEMU, daemon and real clients. scripts/run-tests.sh prints the summary.
check: deps
	$(MAKE) build
	$(MAKE) $(ASAN_BUILD)/build.ninja
	$(NINJA) -C $(ASAN_BUILD)
	$(MAKE) fuzz-build
	scripts/build-test-guest.sh
	scripts/run-tests.sh $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

demo: deps
	$(MAKE) build
	scripts/demo.sh $(BUILD)

bench: deps
	$(MAKE) build
	scripts/bench.sh $(BUILD)

# Breadth: ~100 everyday virsh commands against virtkitd and libvirtd in the
# same run (Debian's virsh; a command works when it exits 0); the table is
# written to docs/virsh-survey.md.
survey: deps
	$(MAKE) build
	scripts/virsh-survey.py --build $(BUILD) --md docs/virsh-survey.md

# The daemon crash torture, longer than in `make check` (VKD_TORTURE_KILLS,
# VKD_TORTURE_SEED, VKD_TORTURE_CLIENTS). The counts table is printed and
# kept in $(BUILD)/torture-counts.md.
torture: deps
	$(MAKE) build
	VKD_TORTURE_KILLS=$${VKD_TORTURE_KILLS:-2000} \
	VKD_TORTURE_REPORT=$(CURDIR)/$(BUILD)/torture-counts.md \
	    meson test -C $(BUILD) --no-rebuild --verbose --timeout-multiplier 10 daemon-torture

# libFuzzer targets (tests/fuzz, docs/reliability.md): a clang build with
# ASan+UBSan and coverage instrumentation; `make check` replays the corpora
# and fuzzes each target briefly, `make fuzz` for FUZZ_SECONDS each
# (FUZZ_JOBS at once; new inputs and crashes in $(FUZZ_BUILD)/fuzz-out).
$(FUZZ_BUILD)/build.ninja:
	CC=clang $(MESON) setup $(FUZZ_BUILD) -Dfuzz=true -Db_sanitize=address,undefined \
	    -Db_lundef=false -Dbuildtype=debugoptimized

fuzz-build: $(FUZZ_BUILD)/build.ninja
	$(NINJA) -C $(FUZZ_BUILD) fuzz-targets

fuzz: deps
	$(MAKE) fuzz-build
	tests/fuzz/run-fuzz.py fuzz --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
