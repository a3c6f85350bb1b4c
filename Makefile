# MWRASP — the two commands: `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libssl-dev zlib1g-dev libsqlite3-dev pkg-config openssl python3-venv prometheus-alertmanager
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build release run test bench fuzz clean

all: build

# Installs the C libraries the build links (OpenSSL, zlib) when they are missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required: https://www.swift.org/install/linux/"; exit 1; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product mwrasp

# Builds the release binary and starts the server on the embedded default (./data).
run: release
	@echo "Starting MWRASP on http://$(LISTEN) (data in ./data). Try: curl http://$(LISTEN)/healthz"
	@echo "Stop with Ctrl-C (graceful shutdown)."
	./.build/release/mwrasp serve --listen $(LISTEN) --data-dir ./data

# Unit and end-to-end tests, then the OpenAPI contract checked by schemathesis against a
# running server (installed into .venv on first use).
# The end-to-end tests run on their own: their servers answer async routes on Swift's
# cooperative pool (2 threads here), which CPU-heavy unit suites would otherwise keep busy.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip EndToEndTests
	$(SWIFT) test --skip-build --filter EndToEndTests
	bash scripts/contract-test.sh

# Benchmarks against nginx in the same run; see bench/README.md. Not part of `make test`.
bench: release
	MWRASP_BIN=$(CURDIR)/.build/release/mwrasp bash bench/run.sh
	$(SWIFT) build -c release --product StorageBench
	.build/release/StorageBench
	bash bench/detection.sh

# libFuzzer over the HTTP parser, the ingest adapters and the Sigma engine, one after the other;
# FUZZ_SECONDS bounds each run. See FuzzTesting/README.md.
FUZZ_SECONDS ?= 600
fuzz:
	cd FuzzTesting && $(SWIFT) build -c debug --sanitize=fuzzer --sanitize=address
	mkdir -p FuzzTesting/corpus FuzzTesting/ingestion-corpus FuzzTesting/sigma-corpus
	cd FuzzTesting && ./.build/debug/HTTPParserFuzzer -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 corpus FailCases
	cd FuzzTesting && SWIFT_BACKTRACE=enable=no ./.build/debug/IngestionFuzzer -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -max_len=8192 -dict=ingestion.dict ingestion-corpus IngestionSeeds
	cd FuzzTesting && SWIFT_BACKTRACE=enable=no ./.build/debug/SigmaFuzzer -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -max_len=16384 -rss_limit_mb=4096 -dict=sigma.dict sigma-corpus SigmaSeeds

clean:
	rm -rf .build FuzzTesting/.build
