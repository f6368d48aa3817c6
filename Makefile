# linkmatrix -- GNU make.  Run ./configure first; it writes config.mk.
#
#   make                 build $(B)/linkmatrix            (B=build)
#   make run             build, then run the bundled matrix (RUNFLAGS=...)
#   make check           build, then run the unit and end-to-end tests
#   make check-san       the same with ASan+UBSan, in build-san/
#   make check-valgrind  the end-to-end tests with the program under valgrind
#                        memcheck (-O1, in build-vg/); fails on any error or
#                        definite or indirect leak in its logs
#   make fuzz            libFuzzer targets (clang) FUZZ_SECONDS each, in build-fuzz/
#   make install         PREFIX, DESTDIR (the program, its data, the man pages
#                        and the bash and zsh completions; install-man and
#                        install-completion alone do the last two)
#   make uninstall | clean | distclean
#
# Variables: B (build directory), SAN=1 (sanitizers; B defaults to
# build-san), VALGRIND=1 (for valgrind; B defaults to build-vg), WERROR=1
# (-Werror), CC, CFLAGS, CPPFLAGS, LDFLAGS (appended to the defaults),
# RUNFLAGS (for make run), PROVE, PROVEFLAGS (for make check).

# config.mk is needed by every goal but these.
NOCONFIG_GOALS = clean distclean help
ifeq ($(wildcard config.mk),)
ifneq ($(if $(MAKECMDGOALS),$(filter-out $(NOCONFIG_GOALS),$(MAKECMDGOALS)),all),)
$(error config.mk not found: run ./configure first (./configure --help for the options))
endif
else
include config.mk
endif

SAN ?= 0
FUZZ ?= 0
VALGRIND ?= 0
WERROR ?= 0
ifeq ($(SAN),1)
B = build-san
else ifeq ($(FUZZ),1)
B = build-fuzz
else ifeq ($(VALGRIND),1)
B = build-vg
else
B = build
endif
PREFIX ?= /usr/local
DATADIR ?= $(PREFIX)/share/linkmatrix
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
PROVE = prove
PROVEFLAGS = --failures
RUNFLAGS =

PROG = $(B)/linkmatrix

# -O1 under valgrind: its manual's advice, for exact line numbers and no
# false "uninitialised value" reports from -O2's code.
ifeq ($(VALGRIND),1)
OPT_FLAGS = -O1
else
OPT_FLAGS = -O2
endif
BASE_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -Wall -Wextra $(OPT_FLAGS) -g
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ifeq ($(SAN),1)
MODE_FLAGS = $(SAN_FLAGS)
endif
# libFuzzer is clang's: the harness's objects get its coverage hooks, the
# targets (tests/fuzz/fuzz_*.c) its main.
ifeq ($(FUZZ),1)
CC = clang
MODE_FLAGS = -fsanitize=fuzzer-no-link,$(patsubst -fsanitize=%,%,$(SAN_FLAGS))
endif
FUZZ_SECONDS = 60
ifeq ($(WERROR),1)
WERROR_FLAGS = -Werror
endif
LIB_CFLAGS = $(LIBELF_CFLAGS) $(YAML_CFLAGS) $(PCRE2_CFLAGS) $(PTHREAD_CFLAGS)
LIBS = $(LIBELF_LIBS) $(YAML_LIBS) $(PCRE2_LIBS) $(PTHREAD_LIBS)

ALL_CFLAGS = $(BASE_CFLAGS) $(MODE_FLAGS) $(WERROR_FLAGS) -Iharness -I$(B)/gen \
	-DLM_DATADIR='"$(DATADIR)"' $(LIB_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(MODE_FLAGS) $(PTHREAD_CFLAGS) $(CFLAGS) $(LDFLAGS)

SRCS := $(sort $(wildcard harness/*.c harness/*/*.c))
OBJS := $(SRCS:%.c=$(B)/obj/%.o)
MAIN_OBJ = $(B)/obj/harness/main.o
LIB_OBJS := $(filter-out $(MAIN_OBJ),$(OBJS))

TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TEST_OBJS := $(TEST_SRCS:%.c=$(B)/obj/%.o)
TEST_PROGS := $(TEST_SRCS:tests/unit/%.c=$(B)/tests/%)
E2E_TESTS := $(sort $(wildcard tests/e2e/*.t))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_PROGS := $(FUZZ_SRCS:tests/fuzz/%.c=$(B)/fuzz/%)

# What the tests (and, with SAN=1, make run) see.
ifeq ($(SAN),1)
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
endif
# With VALGRIND=1 the end-to-end tests run the program through
# tests/valgrind/linkmatrix, one log a run in $(VG_LOGS); the unit tests,
# which do not run it, are built (html.t uses test_reports) but not run.
# The tests check the program's own exit status, so valgrind's verdict is
# read from the logs after prove, whatever prove said. The directory is
# open to all, as /tmp is: hostile.t runs the program as nobody.
ifeq ($(VALGRIND),1)
VG_LOGS = $(abspath $(B))/valgrind
VG_ENV = LM_VALGRIND_PROGRAM='$(abspath $(PROG))' LM_VALGRIND_LOGS='$(VG_LOGS)'
TEST_PROG = tests/valgrind/linkmatrix
CHECK_TESTS = $(E2E_TESTS)
CHECK_LOGS = ; s=$$?; sh tests/valgrind/check-logs '$(VG_LOGS)' || s=1; exit $$s
else
TEST_PROG = $(PROG)
CHECK_TESTS = $(TEST_PROGS) $(E2E_TESTS)
endif
TEST_ENV = LINKMATRIX='$(abspath $(TEST_PROG))' LM_SRCDIR='$(abspath .)' \
	LM_BUILDDIR='$(abspath $(B))' $(SAN_ENV) $(VG_ENV)

.PHONY: all run check check-san check-valgrind fuzz fuzz-run install install-man install-completion \
	uninstall clean distclean help FORCE
.SUFFIXES:
.DELETE_ON_ERROR:

all: $(PROG)

# Everything is rebuilt when the compile or link command changes (CFLAGS,
# DATADIR, SAN, ...): the command is kept in $(B)/build-flags, rewritten only
# when it differs, and every object depends on it.
FLAGS_FILE = $(B)/build-flags
BUILD_CMD = $(CC) $(ALL_CFLAGS) | $(CC) $(ALL_LDFLAGS) ... $(LIBS)
$(FLAGS_FILE): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','\'',$(BUILD_CMD))' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

$(B)/obj/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The HTML report's page, as a C string: one literal per line of page.html.
# "?" becomes "\?": -std=c11 reads trigraphs, and "??)" would be "]".
$(B)/gen/page_html.h: harness/report/page.html
	@mkdir -p $(@D)
	@{ echo '/* Generated from harness/report/page.html by the Makefile. */'; \
	  echo 'static const char page_html[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } >$@.tmp && mv -f $@.tmp $@
$(B)/obj/harness/report/html.o: $(B)/gen/page_html.h

$(PROG): $(OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(OBJS) $(LIBS)

# One program per tests/unit/test_*.c, linked with every harness object but
# main.o.
$(B)/tests/%: $(B)/obj/tests/unit/%.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJS) $(LIBS)

# One libFuzzer program per tests/fuzz/fuzz_*.c (make fuzz).
$(B)/fuzz/%: $(B)/obj/tests/fuzz/%.o $(B)/obj/tests/fuzz/memfile.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $< $(B)/obj/tests/fuzz/memfile.o $(LIB_OBJS) $(LIBS)

# Not intermediate files: keep them between builds.
.SECONDARY: $(TEST_OBJS) $(FUZZ_SRCS:%.c=$(B)/obj/%.o) $(B)/obj/tests/fuzz/memfile.o

-include $(OBJS:.o=.d) $(TEST_OBJS:.o=.d)

# The program's exit status is 0, 1 (something failed) or 2 (usage); make
# turns any nonzero one into its own failure.
run: $(PROG)
	$(SAN_ENV) $(PROG) run $(RUNFLAGS)

# prove runs each test directly (--exec ''): the unit tests are programs and
# the end-to-end tests are executable sh scripts.
check: $(PROG) $(TEST_PROGS)
	@if [ -z '$(strip $(CHECK_TESTS))' ]; then \
		echo 'make check: no tests in tests/unit/test_*.c or tests/e2e/*.t' >&2; exit 1; fi
	$(if $(VG_LOGS),rm -rf '$(VG_LOGS)' && mkdir -p '$(VG_LOGS)' && chmod 1777 '$(VG_LOGS)')
	$(TEST_ENV) $(PROVE) --exec '' $(PROVEFLAGS) $(CHECK_TESTS)$(CHECK_LOGS)

check-san:
	$(MAKE) SAN=1 check

check-valgrind:
	@command -v valgrind >/dev/null || { \
		echo 'make check-valgrind: valgrind is not installed' >&2; exit 1; }
	$(MAKE) VALGRIND=1 check

# Each fuzz target FUZZ_SECONDS (default 60) under ASan and UBSan, in
# build-fuzz/; any crash fails (tests/fuzz/run.sh).
fuzz:
	$(MAKE) FUZZ=1 fuzz-run
fuzz-run: $(FUZZ_PROGS)
	sh tests/fuzz/run.sh $(B) $(FUZZ_SECONDS)

install: $(PROG) install-man install-completion
	@if [ -z '$(PREFIX)' ] || [ -z '$(DATADIR)' ]; then \
		echo 'make install: PREFIX and DATADIR must not be empty' >&2; exit 1; fi
	mkdir -p '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(DATADIR)'
	cp $(PROG) '$(DESTDIR)$(BINDIR)/linkmatrix.tmp'
	chmod 755 '$(DESTDIR)$(BINDIR)/linkmatrix.tmp'
	mv -f '$(DESTDIR)$(BINDIR)/linkmatrix.tmp' '$(DESTDIR)$(BINDIR)/linkmatrix'
	for d in cases linkers.d targets.d; do \
		rm -rf '$(DESTDIR)$(DATADIR)/'$$d || exit 1; \
		if [ -d $$d ]; then cp -R $$d '$(DESTDIR)$(DATADIR)/' || exit 1; fi; \
	done
	chmod -R a+rX,go-w '$(DESTDIR)$(DATADIR)'

# $(call INSTALL_DATA,FILE,DIR,NAME): FILE as DIR/NAME, readable by all.
INSTALL_DATA = mkdir -p '$(DESTDIR)$(2)' && cp $(1) '$(DESTDIR)$(2)/$(3).tmp' && \
	chmod 644 '$(DESTDIR)$(2)/$(3).tmp' && mv -f '$(DESTDIR)$(2)/$(3).tmp' '$(DESTDIR)$(2)/$(3)'

install-man:
	$(call INSTALL_DATA,docs/linkmatrix.1,$(MANDIR)/man1,linkmatrix.1)
	$(call INSTALL_DATA,docs/linkmatrix-case.5,$(MANDIR)/man5,linkmatrix-case.5)

# bash-completion loads completions/NAME for the command NAME; zsh's
# compinit reads the #compdef line of the files in its fpath.
install-completion:
	$(call INSTALL_DATA,contrib/completion/linkmatrix.bash,$(BASHCOMPDIR),linkmatrix)
	$(call INSTALL_DATA,contrib/completion/_linkmatrix,$(ZSHCOMPDIR),_linkmatrix)

uninstall:
	@if [ -z '$(PREFIX)' ] || [ -z '$(DATADIR)' ]; then \
		echo 'make uninstall: PREFIX and DATADIR must not be empty' >&2; exit 1; fi
	rm -f '$(DESTDIR)$(BINDIR)/linkmatrix' '$(DESTDIR)$(MANDIR)/man1/linkmatrix.1' \
		'$(DESTDIR)$(MANDIR)/man5/linkmatrix-case.5' '$(DESTDIR)$(BASHCOMPDIR)/linkmatrix' \
		'$(DESTDIR)$(ZSHCOMPDIR)/_linkmatrix'
	rm -rf '$(DESTDIR)$(DATADIR)/cases' '$(DESTDIR)$(DATADIR)/linkers.d' \
		'$(DESTDIR)$(DATADIR)/targets.d'
	-rmdir '$(DESTDIR)$(DATADIR)' 2>/dev/null

clean:
	rm -rf build build-san build-fuzz build-vg
	@case '$(B)' in build | build-san | build-vg | . | ./ | .. | ../ | / | '') ;; \
	*) echo "rm -rf '$(B)'"; rm -rf '$(B)' ;; esac

distclean: clean
	rm -f config.mk config.log

help:
	@sed -n '1,/^$$/s/^# \{0,1\}//p' Makefile
