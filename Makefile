# nodus — build, test and install.
#   make                 build build/nodus and build/nodus-shim
#   make check           unit tests (prove) + end-to-end tests (bats)
#   make check SANITIZE=1  the same, built with ASan + UBSan into build-san/
#   make check PORTABLE=1  the same on the POSIX paths macOS and the BSDs use,
#                        built into build-portable/ (src/platform_compat.h)
#   make check-arm64     linux-arm64 cross-built, tested under qemu-user
#   make check-musl-shim the shim built with musl-gcc, tested
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS     = libcurl libarchive openssl yaml-0.1 jansson

ifeq ($(SANITIZE),1)
B        = build-san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT      = -O1 -g
else
B        = build
SANFLAGS =
OPT      = -O2 -g
endif

# PORTABLE=1: strict POSIX 2008 + XSI, no _GNU_SOURCE, and the POSIX path
# of every Linux-only call (src/platform_compat.h).
ifeq ($(PORTABLE),1)
B        = build-portable$(if $(filter 1,$(SANITIZE)),-san)
FEATURES = -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -DNODUS_PORTABLE
else
FEATURES = -D_GNU_SOURCE
endif

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
CFLAGS  ?= $(OPT)
ALLCFLAGS = -std=c11 $(FEATURES) $(WARN) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) -Isrc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

# Modules the shim is built from. They may use libc only: the shim must not
# pay for the dynamic loader's work on libcurl, libarchive or OpenSSL.
SHIM_MODS = src/msg.c src/visible.c src/paths.c src/semver.c src/spec.c src/vfile.c \
            src/minijson.c src/resolve.c src/strutil.c src/vlist.c src/shimconf.c src/shared.c
SHIM_MODS += src/readfile.c src/homecheck.c
SHIM_MAIN = src/shim.c
CLI_MAIN  = src/main.c
# Modules that need libcurl, libarchive or OpenSSL: only nodus-core has them.
CORE_MODS = src/http.c src/index_fetch.c src/install.c src/pipeline.c src/pgp.c src/pgp_armor.c src/verify.c src/partfile.c \
            src/cmd_install.c src/cmd_ls_remote.c \
            src/docfetch.c src/safety_fetch.c src/cmd_audit.c \
            src/cmd_upgrade.c src/cmd_mirror.c
ALL_MODS  = $(filter-out $(SHIM_MAIN) $(CLI_MAIN),$(wildcard src/*.c))
LIGHT_MODS = $(filter-out $(CORE_MODS) src/cmdtable.c,$(ALL_MODS))

SHIM_OBJS  = $(SHIM_MODS:src/%.c=$(B)/shim/%.o)
LIB_OBJS   = $(ALL_MODS:src/%.c=$(B)/obj/%.o)
LIGHT_OBJS = $(LIGHT_MODS:src/%.c=$(B)/obj/%.o) $(B)/light/cmdtable.o
UNIT_SRCS  = $(wildcard tests/unit/test_*.c)
UNIT_BINS  = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
LIGHT_LIBS := $(shell pkg-config --libs --static yaml-0.1 jansson)

.PHONY: all check unit unit-build e2e cross-arm64 check-arm64 musl-shim check-musl-shim install clean fuzz fuzz-build bench man man-lint check-tools deps bench-deps dist
all: $(B)/nodus $(B)/nodus-core $(B)/nodus-shim

$(B)/obj/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The shim's objects are compiled without any library's include path, so a
# module that reaches for libcurl or OpenSSL fails to build rather than
# silently growing the shim.
$(B)/shim/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -DNODUS_SHIM -c -o $@ $<

# The nodus front binary: the same main and command table, built so that
# commands needing the network hand over to nodus-core.
$(B)/light/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(PKG_CFLAGS) -DNODUS_LIGHT -c -o $@ $<

$(B)/libnodus.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/nodus: $(B)/light/main.o $(LIGHT_OBJS)
	$(CC) $(ALLCFLAGS) $(FRONT_LDFLAGS) -o $@ $^ $(LIGHT_LIBS) $(LDFLAGS)

$(B)/nodus-core: $(B)/obj/main.o $(B)/libnodus.a
	$(CC) $(ALLCFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# The shim and the nodus front are static: no dynamic loader work at all
# before execv, or before `nodus current` in a prompt answers (measured on
# this project's VM: 2.48 ms static against 3.33 ms with libc, libyaml and
# jansson loaded, /bin/true 2.15 ms). The sanitizers need the dynamic
# runtime, so that build stays dynamic; macOS cannot link a static
# program, and the PORTABLE build tests those dynamic programs here.
ifneq ($(filter 1,$(SANITIZE) $(PORTABLE)),)
STATIC_LDFLAGS =
else
STATIC_LDFLAGS = $(if $(filter Darwin,$(shell uname -s)),,-static)
endif
# A distribution package links the front against its shared libyaml and
# jansson, so that their security updates reach it (debian/rules sets
# FRONT_LDFLAGS empty); the shim links libc only and stays static.
FRONT_LDFLAGS ?= $(STATIC_LDFLAGS)
$(B)/nodus-shim: $(B)/shim/shim.o $(SHIM_OBJS)
	$(CC) $(ALLCFLAGS) $(STATIC_LDFLAGS) -o $@ $^ $(LDFLAGS)

$(B)/tests/%: tests/unit/%.c tests/unit/tap.h $(B)/libnodus.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(PKG_CFLAGS) -Itests/unit -o $@ $< $(B)/libnodus.a $(PKG_LIBS) $(LDFLAGS)

unit-build: $(UNIT_BINS)

unit: $(UNIT_BINS)
	NODUS_FIXTURES=$(CURDIR)/tests/fixtures prove --exec '' $(UNIT_BINS)

e2e: all
	NODUS_BUILD=$(CURDIR)/$(B) prove --exec "bats --tap" --ext .bats tests/e2e

check: check-tools all man-lint unit e2e

# Every tool the tests run, before anything is built: the first one missing
# is named in one line, with the package that has it.
check-tools:
	@.ci/check-tools

# What setup.sh and .ci/run install: the packages in .ci/packages.
deps:
	.ci/install-packages

# And what the benchmarks in bench/ need on top (README: Benchmarks).
bench-deps:
	.ci/install-packages .ci/packages .ci/packages-bench

# The man page must lint clean: any mandoc message at warning level or above
# fails the build (mandoc also exits non-zero then; the output is checked
# too, so that nothing printed is ever let through). It must also render in
# an 80-column terminal without a single warning from man and groff.
man-lint: check-tools
	@out=$$(mandoc -Tlint -Wwarning man/nodus.1 2>&1); st=$$?; \
	if [ $$st -ne 0 ] || [ -n "$$out" ]; then \
	    printf '%s\n' "$$out" >&2; \
	    echo "man/nodus.1 does not lint clean (mandoc -Tlint -Wwarning, status $$st)" >&2; \
	    exit 1; \
	fi
	@out=$$(MANWIDTH=80 man --warnings -l man/nodus.1 2>&1 >/dev/null); \
	if [ -n "$$out" ]; then \
	    printf '%s\n' "$$out" >&2; \
	    echo "man/nodus.1 does not render cleanly at 80 columns (MANWIDTH=80 man --warnings -l man/nodus.1)" >&2; \
	    exit 1; \
	fi

# The COMMANDS section of the man page is generated from the help texts in
# src/cmd_help.c: after changing them, run 'make man' and commit the page.
# tests/e2e/50-docs.bats fails while the two differ.
man: $(B)/nodus
	$(B)/nodus help --mdoc > man/.commands.mdoc
	sed -e '/^\.\\" BEGIN GENERATED COMMANDS/,/^\.\\" END GENERATED COMMANDS/{//!d;}' \
	    -e '/^\.\\" BEGIN GENERATED COMMANDS/r man/.commands.mdoc' man/nodus.1 > man/.nodus.1.new
	rm -f man/.commands.mdoc
	mv man/.nodus.1.new man/nodus.1

# Debian puts zsh completions of packages in vendor-completions (debian/rules).
ZSH_COMPDIR ?= $(PREFIX)/share/zsh/site-functions
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/nodus \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/nodus/keys \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	    $(DESTDIR)$(ZSH_COMPDIR) \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(B)/nodus $(DESTDIR)$(PREFIX)/bin/nodus
	install -m 755 $(B)/nodus-shim $(DESTDIR)$(PREFIX)/libexec/nodus/nodus-shim
	install -m 755 $(B)/nodus-core $(DESTDIR)$(PREFIX)/libexec/nodus/nodus-core
	install -m 644 man/nodus.1 $(DESTDIR)$(PREFIX)/share/man/man1/nodus.1
	if [ -d share/keys ]; then install -m 644 share/keys/*.asc $(DESTDIR)$(PREFIX)/share/nodus/keys/; fi
	install -m 644 completions/nodus.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/nodus
	install -m 644 completions/_nodus $(DESTDIR)$(ZSH_COMPDIR)/_nodus
	install -m 644 completions/nodus.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/nodus.fish

# ---- linux-arm64: cross-built, run under qemu-user ----
#   make cross-arm64   build-arm64/: the three programs and the unit tests, with
#                      Debian's gcc-aarch64-linux-gnu and the :arm64 -dev packages
#   make check-arm64   the unit tests and the shim's tests (tests/cross) under
#                      qemu-aarch64 called explicitly: no binfmt_misc needed
ARM64_CC      ?= aarch64-linux-gnu-gcc
ARM64_LIBDIR  ?= /usr/lib/aarch64-linux-gnu
ARM64_SYSROOT ?= /usr/aarch64-linux-gnu
QEMU_ARM64    ?= qemu-aarch64-static
ARM64_RUN      = $(QEMU_ARM64) -L $(ARM64_SYSROOT)
SHIM_E2E       = tests/e2e/20-shims.bats tests/e2e/21-shim-exec.bats

cross-arm64:
	PKG_CONFIG_LIBDIR=$(ARM64_LIBDIR)/pkgconfig:/usr/share/pkgconfig $(MAKE) B=build-arm64 CC=$(ARM64_CC) SANITIZE= PORTABLE= \
	    LDFLAGS="-Wl,-rpath-link,$(ARM64_LIBDIR)" all unit-build

check-arm64: cross-arm64 all
	NODUS_FIXTURES=$(CURDIR)/tests/fixtures prove --exec '$(ARM64_RUN)' build-arm64/tests/test_*
	NODUS_BUILD=$(CURDIR)/$(B) NODUS_TESTS_CROSS_SHIM=$(CURDIR)/build-arm64/nodus-shim NODUS_TESTS_CROSS_RUN='$(ARM64_RUN)' \
	    prove --exec "bats --tap" tests/cross/shim.bats
	@# Where binfmt_misc runs arm64 programs by name, the shim's end-to-end
	@# files run too: the native nodus and nodus-core with the arm64 shim.
	@if build-arm64/nodus-shim 2>/dev/null; [ $$? -eq 2 ]; then \
	    mkdir -p build-arm64/e2e && cp $(B)/nodus $(B)/nodus-core build-arm64/nodus-shim build-arm64/e2e/ && \
	    NODUS_BUILD=$(CURDIR)/build-arm64/e2e prove --exec "bats --tap" $(SHIM_E2E); \
	else \
	    echo "check-arm64: binfmt_misc does not run arm64 programs here: $(SHIM_E2E) not run with the arm64 shim"; \
	fi

# ---- musl (Alpine): the shim linked statically with musl-gcc ----
#   make musl-shim        build-musl/nodus-shim (Debian's musl-tools)
#   make check-musl-shim  tests/cross with it, then the shim's end-to-end
#                         files with it beside the native nodus and nodus-core
MUSL_CC   ?= musl-gcc

musl-shim:
	$(MAKE) B=build-musl CC=$(MUSL_CC) SANITIZE= PORTABLE= build-musl/nodus-shim

check-musl-shim: musl-shim all
	NODUS_BUILD=$(CURDIR)/$(B) NODUS_TESTS_CROSS_SHIM=$(CURDIR)/build-musl/nodus-shim NODUS_TESTS_CROSS_RUN= \
	    prove --exec "bats --tap" tests/cross/shim.bats
	cp $(B)/nodus $(B)/nodus-core build-musl/
	NODUS_BUILD=$(CURDIR)/build-musl prove --exec "bats --tap" $(SHIM_E2E)

# ---- fuzzing (libFuzzer; clang only) ----
#   make fuzz                   build every tests/fuzz/fuzz_*.c into build-fuzz/
#                               and run each for FUZZ_SECONDS (default 60) on a
#                               fresh copy of its seed corpus
#   make fuzz FUZZ_SECONDS=10 FUZZ_TARGETS="fuzz_spec fuzz_pgp"
# A finding stops the run; the input is kept as build-fuzz/artifacts/<target>-*
# (replay it with build-fuzz/<target> FILE). New inputs stay in
# build-fuzz/corpus/<target>; only small, real seeds go in tests/fuzz/corpus.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FB            = build-fuzz
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=all \
                $(filter-out -Werror,$(WARN)) -Wno-format-nonliteral -Isrc
FUZZ_OBJS     = $(ALL_MODS:src/%.c=$(FB)/obj/%.o)

$(FB)/obj/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

$(FB)/libnodus.a: $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c $(FB)/libnodus.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< $(FB)/libnodus.a $(PKG_LIBS)

fuzz-build: $(FUZZ_TARGETS:%=$(FB)/%)

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	    n=$${t#fuzz_}; c=$(FB)/corpus/$$n; rm -rf $$c; mkdir -p $$c $(FB)/artifacts; \
	    if [ -d tests/fuzz/corpus/$$n ]; then cp tests/fuzz/corpus/$$n/* $$c/; fi; \
	    d=; if [ -f tests/fuzz/$$n.dict ]; then d=-dict=tests/fuzz/$$n.dict; fi; \
	    printf 'fuzz: %s for %s s ... ' $$t $(FUZZ_SECONDS); \
	    if $(FB)/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	        $$d -artifact_prefix=$(FB)/artifacts/$$n- $$c >$(FB)/$$t.log 2>&1; then \
	        sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*cov: \([0-9]*\).*corp: \([0-9]*\).*/\1 runs, coverage \2, corpus \3/p' \
	            $(FB)/$$t.log | tail -1; \
	    else \
	        echo FAILED; tail -60 $(FB)/$$t.log; exit 1; \
	    fi; \
	done

# ---- release tarball ----
#   make dist [DISTDIR=dir]   nodus-VERSION.tar.gz (+ .sha256) of the committed
#                             tree (HEAD), uncommitted changes not included.
# Reproducible: git archive stamps every entry with HEAD's commit time and
# root owners, and gzip -n leaves out the name and time it would record, so
# the same commit gives the same bytes (tests/e2e/60-dist-deb.bats).
VERSION := $(shell sed -n 's/^\#define NODUS_VERSION_STR "\(.*\)"$$/\1/p' src/ctx.h)
DISTDIR ?= $(B)
DISTNAME = nodus-$(VERSION)
dist:
	@test -n "$(VERSION)" || { echo "make dist: no NODUS_VERSION_STR in src/ctx.h" >&2; exit 1; }
	@mkdir -p $(DISTDIR)
	git -c tar.umask=0022 archive --format=tar --prefix=$(DISTNAME)/ -o $(DISTDIR)/$(DISTNAME).tar.tmp HEAD
	gzip -n -9 < $(DISTDIR)/$(DISTNAME).tar.tmp > $(DISTDIR)/$(DISTNAME).tar.gz.tmp
	rm -f $(DISTDIR)/$(DISTNAME).tar.tmp
	mv $(DISTDIR)/$(DISTNAME).tar.gz.tmp $(DISTDIR)/$(DISTNAME).tar.gz
	cd $(DISTDIR) && sha256sum $(DISTNAME).tar.gz > $(DISTNAME).tar.gz.sha256.tmp && \
	    mv $(DISTNAME).tar.gz.sha256.tmp $(DISTNAME).tar.gz.sha256
	@echo "wrote $(DISTDIR)/$(DISTNAME).tar.gz and .sha256" >&2

clean:
	rm -rf build build-san build-fuzz build-portable build-portable-san build-arm64 build-musl
