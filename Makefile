# api: build, run, test and benchmark. `make serve` and `make test` work on a fresh Debian 12 machine
# with Swift installed: they install the missing system packages first (root, or sudo).

SWIFT      ?= swift
SYSTEM_PKGS = libsqlite3-dev zlib1g-dev libpq-dev
# Tools as command:package.
TEST_TOOLS  = python3:python3 curl:curl promtool:prometheus chromium:chromium nginx:nginx openssl:openssl \
              systemd-analyze:systemd systemd-socket-activate:systemd
# Packages the tests need: a PostgreSQL server for the private clusters the tests make (TestKit's PostgresServer).
TEST_PKGS   = postgresql-15
# Python tools the tests run, pinned, in a venv that git ignores.
PY_TOOLS    = schemathesis==4.32.5 openapi-spec-validator==0.9.0 requests==2.34.2 argon2-cffi==25.1.0 psycopg2-binary==2.9.10
VENV        = .tools/venv
# The Autobahn WebSocket suite (`wstest`, Tests/IntegrationTests/AutobahnTests.swift) runs on Python 2.7 only: in its
# own virtualenv, with every dependency pinned to the last versions that install and run there. Without a Python 2.7
# at PY27, `make deps` says so and the test skips.
PY27           ?= $(HOME)/.pyenv/versions/2.7.18/bin/python
AUTOBAHN_VENV   = .tools/autobahn-venv
PY27_BOOTSTRAP  = virtualenv==20.15.1
AUTOBAHN_TOOLS  = autobahntestsuite==0.8.2 autobahn==0.10.9 txaio==2.1.0 Twisted==20.3.0 zope.interface==5.5.2 \
                  Automat==22.10.0 attrs==21.4.0 constantly==15.1.0 hyperlink==21.0.0 idna==2.10 incremental==22.10.0 \
                  PyHamcrest==1.10.1 six==1.17.0 typing==3.10.0.0 wsaccel==0.6.6 ujson==2.0.3 klein==20.6.0 \
                  Werkzeug==1.0.1 Tubes==0.2.1 enum34==1.1.10 Jinja2==2.11.3 MarkupSafe==1.1.1 pyOpenSSL==21.0.0 \
                  cryptography==3.3.2 cffi==1.15.1 pycparser==2.21 ipaddress==1.0.23 service-identity==21.1.0 \
                  pyasn1==0.5.1 pyasn1-modules==0.3.0 unittest2==1.1.0 traceback2==1.4.0 linecache2==1.0.0 argparse==1.4.0
BENCH_TOOLS = nginx:nginx wrk:wrk argon2:argon2 valgrind:valgrind
# The FastAPI reference app (../shared/peers/fastapi_app.py) with the versions ../shared/peers/RESULTS.md measured.
PEER_VENV   = .tools/peers-venv
PEER_TOOLS  = fastapi==0.165.0 uvicorn[standard]==0.54.0 gunicorn==27.0.1 sqlmodel==0.0.50 pydantic==2.14.4 \
              python-jose[cryptography]==3.5.0 passlib[bcrypt]==1.7.4 bcrypt==4.0.1 python-multipart==0.0.34 orjson==3.13.0 \
              psycopg2-binary==2.9.10
APT         = $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: help serve-deps deps autobahn-deps bench-deps build release dist debian-root serve test bench bench-http bench-api bench-crypto bench-json bench-client bench-observers bench-memory bench-before-after bench-edge bench-realtime bench-backup bench-postgres clean

help:
	@echo "make serve   build (release) and run 'api serve' on 127.0.0.1:8000"
	@echo "make test    build and run every test"
	@echo "make build   debug build       make release   release build"
	@echo "make dist    the release tarball: .build/dist/api-VERSION-linux-ARCH.tar.gz (deploy/README.md)"
	@echo "make bench   benchmarks against nginx, wrk and reference tools (docs/benchmarks.md)"

# Installs only what is absent, so a ready machine never touches apt: libraries are looked up
# with dpkg, tools on PATH (a python3 from elsewhere counts), each tool from the package named after its colon.
define ensure_installed
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	for t in $(2); do command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t##*:}"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi
endef

# What building and serving need: the C libraries the binary links. Test tools are not for serving.
serve-deps:
	$(call ensure_installed,$(SYSTEM_PKGS),)

deps: serve-deps $(VENV)/.installed autobahn-deps
	$(call ensure_installed,$(TEST_PKGS),$(TEST_TOOLS))

# Remade when the pins above change (the Makefile is newer than the stamp).
$(VENV)/.installed: Makefile
	python3 -m venv $(VENV) || { $(APT) install -y -qq python3-venv && python3 -m venv $(VENV); }
	$(VENV)/bin/pip install -q $(PY_TOOLS)
	touch $@

ifneq ($(wildcard $(PY27)),)
autobahn-deps: $(AUTOBAHN_VENV)/.installed
else
autobahn-deps:
	@echo "notice: no Python 2.7 at $(PY27) (set PY27): the Autobahn WebSocket suite is not installed, and its test skips"
endif

# Python 2.7 has no venv module: virtualenv, itself installed into a folder of its own, makes the environment.
# PYTHONWARNINGS silences pip's notices that Python 2.7 is past its end of life.
$(AUTOBAHN_VENV)/.installed: Makefile
	rm -rf $(AUTOBAHN_VENV) $(AUTOBAHN_VENV)-bootstrap
	PYTHONWARNINGS=ignore $(PY27) -m pip install -q --disable-pip-version-check --target $(AUTOBAHN_VENV)-bootstrap $(PY27_BOOTSTRAP)
	PYTHONPATH=$(AUTOBAHN_VENV)-bootstrap $(PY27) -m virtualenv -q $(AUTOBAHN_VENV)
	PYTHONWARNINGS=ignore $(AUTOBAHN_VENV)/bin/pip install -q --disable-pip-version-check $(AUTOBAHN_TOOLS)
	touch $@

bench-deps: deps $(PEER_VENV)/.installed
	$(call ensure_installed,,$(BENCH_TOOLS))

$(PEER_VENV)/.installed: Makefile
	python3 -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install -q $(PEER_TOOLS)
	touch $@

build: serve-deps
	$(SWIFT) build

# The Swift runtime is linked in: the binary runs on a machine without Swift, and maps less memory (idle RSS).
# So are libstdc++ and libgcc, which that runtime (C++) needs, so the binary needs only glibc, libsqlite3, zlib and
# libpq (DESIGN §13, §14): -static-stdlib asks for -lstdc++, and the linker takes it from the first -L directory that has it,
# STATIC_CXX, where the archive is alone. deploy/Dockerfile builds with this target too.
STATIC_CXX = .build/static-cxx
release: serve-deps $(STATIC_CXX)/libstdc++.a
	$(SWIFT) build -c release --product api --static-swift-stdlib \
	    -Xswiftc -L$(abspath $(STATIC_CXX)) -Xswiftc -Xclang-linker -Xswiftc -static-libgcc

$(STATIC_CXX)/libstdc++.a:
	mkdir -p $(@D)
	archive="$$(clang -print-file-name=libstdc++.a)" && test -f "$$archive" && ln -sf "$$archive" $@ || \
	    { echo "no libstdc++.a for clang: apt-get install libstdc++-12-dev"; exit 1; }

# The release artifact (DESIGN §13, deploy/README.md): the stripped binary and the files that install it, in one
# folder api-VERSION/. VERSION is the one `api version` prints.
VERSION      := $(shell sed -n 's/.*static let current = "\(.*\)"/\1/p' Sources/App/Application/Version.swift)
DIST_DIR      = .build/dist
DIST_NAME     = api-$(VERSION)
DIST_TARBALL  = $(DIST_DIR)/$(DIST_NAME)-linux-$(shell uname -m).tar.gz
DIST_FILES    = config.example.json deploy/api.service deploy/api.socket deploy/nginx.conf deploy/Dockerfile deploy/README.md

# Owner and group 0 in the archive: the builder's uid means nothing where it is unpacked.
dist: release $(DIST_FILES)
	$(call ensure_installed,,strip:binutils)
	rm -rf $(DIST_DIR)/$(DIST_NAME)
	mkdir -p $(DIST_DIR)/$(DIST_NAME)
	strip -o $(DIST_DIR)/$(DIST_NAME)/api "$$($(SWIFT) build -c release --show-bin-path)/api"
	cp --parents $(DIST_FILES) $(DIST_DIR)/$(DIST_NAME)/
	tar -C $(DIST_DIR) --owner=0 --group=0 --numeric-owner -czf $(DIST_TARBALL) $(DIST_NAME)
	@echo "$(DIST_TARBALL): $$(du -k $(DIST_TARBALL) | cut -f1) KiB"

# A bare Debian 12 with just the libraries the binary links, to run the tarball's binary in (DistTests). It is made
# once (about a minute) and kept, until the package list changes (the stamp names it): remove it to make it anew.
# debootstrap and chroot need root; elsewhere the test skips, and says so.
DEBIAN_ROOT          = .tools/debian-root
DEBIAN_ROOT_PACKAGES = libsqlite3-0,zlib1g,libpq5
ifeq ($(shell id -u),0)
debian-root: $(DEBIAN_ROOT)/.installed-$(DEBIAN_ROOT_PACKAGES)
else
debian-root:
	@echo "notice: not root: no Debian root at $(DEBIAN_ROOT), so the bare-Debian test of the release tarball skips"
endif

# --one-file-system: should a run have left something mounted inside, rm leaves the mounted file system alone.
# debootstrap's 500 lines of progress go to a log beside the root, shown when it fails.
$(DEBIAN_ROOT)/.installed-$(DEBIAN_ROOT_PACKAGES):
	$(call ensure_installed,,debootstrap:debootstrap)
	rm -rf --one-file-system $(DEBIAN_ROOT)
	mkdir -p $(DEBIAN_ROOT)
	debootstrap --variant=minbase --include=$(DEBIAN_ROOT_PACKAGES) bookworm $(abspath $(DEBIAN_ROOT)) \
	    http://deb.debian.org/debian >$(DEBIAN_ROOT).log 2>&1 || { tail -20 $(DEBIAN_ROOT).log; exit 1; }
	touch $@

serve: release
	$$($(SWIFT) build -c release --show-bin-path)/api serve

# Suites that drive a browser, a large gzip or the Autobahn suite run after the rest, and the one that measures latency
# runs last, alone: on 2 cores the parallel suites would be what it measures, and a suite waiting on Chromium holds a
# test thread the others need.
HEAVY_SUITES = CORSBrowserTests|CompressionTests|AutobahnTests
QUIET_SUITES = LoginFloodTests
# The PostgreSQL client's tests each make a cluster and wait on it: run apart, they do not starve the suites that
# measure time limits on the two cores.
POSTGRES_SUITES = PostgresTests|StoreConformanceTests|PostgresServeTests
# The resource and change-log suites once more, each fixture on a PostgreSQL cluster of its own (ResourceFixture).
POSTGRES_RESOURCE_SUITES = ResourceMigrationPlanTests|ResourceRoutesTests|ResourceListTests|ResourceBatchTests|ResourceConditionalTests|ResourceIdempotencyTests|ResourceValidationTests|ChangeLogTests

# DistTests finds the release tarball and the Debian root through these variables.
TEST_ENV = DIST_TARBALL=$(abspath $(DIST_TARBALL)) DEBIAN_ROOT=$(abspath $(DEBIAN_ROOT))

test: deps dist debian-root
	$(SWIFT) build --build-tests
	$(TEST_ENV) $(SWIFT) test --skip-build --skip '$(QUIET_SUITES)|$(HEAVY_SUITES)|$(POSTGRES_SUITES)'
	$(TEST_ENV) $(SWIFT) test --skip-build --filter '$(HEAVY_SUITES)'
	$(TEST_ENV) $(SWIFT) test --skip-build --filter '$(POSTGRES_SUITES)'
	$(TEST_ENV) API_TEST_ENGINE=postgres $(SWIFT) test --skip-build --filter '$(POSTGRES_RESOURCE_SUITES)'
	$(TEST_ENV) $(SWIFT) test --skip-build --filter '$(QUIET_SUITES)'

bench: bench-http bench-api bench-crypto bench-json bench-client bench-observers bench-memory bench-before-after bench-edge bench-realtime bench-backup bench-postgres

bench-http: bench-deps release
	python3 scripts/bench/bench_http.py

bench-api: bench-deps release
	python3 scripts/bench/bench_api.py

bench-crypto: bench-deps
	scripts/bench/bench_crypto.sh

bench-json: deps
	scripts/bench/bench_json.sh

bench-client: bench-deps release
	python3 scripts/bench/bench_vs_wrk.py

bench-observers: bench-deps release
	scripts/bench/observer_instructions.sh

bench-memory: release
	python3 scripts/bench/memory_after_work.py
	python3 scripts/bench/import_memory.py

bench-before-after: bench-deps release
	python3 scripts/bench/before_after.py

bench-edge: bench-deps release
	python3 scripts/bench/bench_edge.py

bench-realtime: bench-deps release
	python3 scripts/bench/bench_realtime.py
	python3 scripts/bench/realtime_idle.py

bench-backup: bench-deps release
	python3 scripts/bench/bench_backup.py

bench-postgres: bench-deps release
	python3 scripts/bench/bench_postgres.py

clean:
	rm -rf .build .bench
