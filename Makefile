# Immagnify platform. `make run` starts the local stack, `make test` runs every
# test. See README.md.

GO        ?= go
NPM       ?= npm
FUNCTIONS := $(notdir $(wildcard functions/*))
NODE_DIR  := infra/local
STAMP     := $(NODE_DIR)/node_modules/.installed

# Settings of the local stack; empty means "make one up and print it".
API_KEY   ?=
API_KEY_2 ?=
ADMIN_KEY ?=
SEED      ?=
FILE      ?=
SOURCE    ?= public-web
API_PORT  ?= 8080

.PHONY: all deps run seed test bench build lint clean

all: lint test build

# deps installs the pinned npm stand-ins (from the lockfile) and the Go modules.
deps: $(STAMP)
	$(GO) mod download

$(STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	$(NPM) ci --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error
	touch $@

# run starts the whole system on 127.0.0.1 with demo data; Ctrl-C stops it.
run: deps
	$(GO) run ./infra/local run -api-port $(API_PORT) -api-key '$(API_KEY)' -api-key-2 '$(API_KEY_2)' \
		-admin-key '$(ADMIN_KEY)' -seed '$(SEED)'

# seed loads FILE (CSV) into a running stack, as source kind SOURCE.
seed:
	@test -n "$(FILE)" || (echo "usage: make seed FILE=contacts.csv [SOURCE=partner]" && exit 2)
	$(GO) run ./infra/local seed -file '$(FILE)' -source '$(SOURCE)' -api-port $(API_PORT)

# test runs every test with the race detector; tests start their own
# stand-ins on free ports.
test: deps
	$(GO) test -race -count=1 -timeout 20m ./...

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# build makes one arm64 Lambda bootstrap per function in bin/<name>/.
build:
	@for f in $(FUNCTIONS); do \
		echo "build $$f"; \
		CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags lambda.norpc \
			-trimpath -ldflags='-s -w' -o bin/$$f/bootstrap ./functions/$$f || exit 1; \
	done

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

clean:
	rm -rf bin dist $(NODE_DIR)/node_modules
