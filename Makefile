# armlint development tasks. `make help` lists them.
GO       ?= go
BIN      ?= bin/armlint
GOLANGCI ?= $(shell $(GO) env GOPATH)/bin/golangci-lint
GOLANGCI_VERSION := v2.15.0

.PHONY: all help build demo test race lint lint-install generate check release clean bench compare-output

# Release builds: every platform, static, reproducible (same commit and
# VERSION, same bytes: no paths, no build ID; vcs information is embedded
# when building from a git checkout).
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
PLATFORMS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
RELEASE_LDFLAGS = -s -w -buildid= -X main.version=$(VERSION)

all: check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## build bin/armlint
	$(GO) build -trimpath -o $(BIN) ./cmd/armlint

demo: ## run armlint on the example templates (exit code 1: they have findings)
	$(GO) run ./cmd/armlint testdata/examples

test: ## unit tests, rule fixtures, Rego tests, e2e and corpus tests
	$(GO) test ./...

race: ## the test suite under the race detector
	$(GO) test -race ./...

bench: ## whole-process speed on ../shared/corpus/quickstart beside the floor (docs/performance.md)
	scripts/bench.sh

compare-output: ## check that the output on the corpus equals that of REV (default HEAD)
	scripts/compare-output.sh $(REV)

lint-install: ## install golangci-lint at the pinned version
	@test -x $(GOLANGCI) && $(GOLANGCI) version 2>/dev/null | grep -q "$(GOLANGCI_VERSION:v%=%)" || \
		$(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)

lint: lint-install ## go vet and golangci-lint (depguard holds the package boundaries)
	$(GO) vet ./...
	$(GOLANGCI) run ./...

generate: ## regenerate rules/README.md, docs/rules/*.md, analyzer/regoeval/precompiled.bin (and the role table when ../shared is present)
	@if [ -f ../shared/data/builtin-roles.json ]; then $(GO) generate ./analyzer/graph; fi
	$(GO) generate ./analyzer/regoeval
	$(GO) run ./cmd/armlint rules --format md > rules/README.md
	$(GO) run ./cmd/armlint rules --format md --dir docs/rules

check: generate lint test ## everything CI checks
	git diff --exit-code rules/README.md docs/rules analyzer/graph/builtinroles_gen.go analyzer/regoeval/precompiled.bin

release: ## cross-build dist/armlint-VERSION-OS-ARCH[.exe] for every platform, and dist/SHA256SUMS
	rm -rf dist
	mkdir -p dist
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; if [ "$$os" = windows ]; then ext=.exe; fi; \
		out=dist/armlint-$(VERSION)-$$os-$$arch$$ext; echo "  $$out"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -buildvcs=auto \
			-ldflags "$(RELEASE_LDFLAGS)" -o $$out ./cmd/armlint; \
	done
	cd dist && if command -v sha256sum >/dev/null; then sha256sum armlint-*; else shasum -a 256 armlint-*; fi > SHA256SUMS
	@cat dist/SHA256SUMS

clean: ## remove bin/ and dist/
	rm -rf bin dist

# Fuzz targets as package:Target. go test -fuzz runs one target at a time,
# so `make fuzz` runs them one after the other, FUZZTIME each.
# -fuzzminimizetime bounds the minimisation of each new input: while Go
# minimises, it reports 0 execs/sec (golang/go#51484), which looks like a
# stall.
FUZZTIME ?= 1m
FUZZ_TARGETS := ./analyzer/template:FuzzLoad ./analyzer/expr:FuzzParse ./analyzer/expr:FuzzEval ./internal/hostile:FuzzPipeline ./analyzer/regoeval:FuzzDecodePrecompiled

.PHONY: fuzz
fuzz: ## run every fuzz target for FUZZTIME each (default 1m): make fuzz FUZZTIME=10m
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t#*:}; echo "== $$name ($$pkg, $(FUZZTIME))"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s; \
	done
