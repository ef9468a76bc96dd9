# Vincula — the two commands a new engineer needs are `make run` and `make test`.
GO      ?= go
BIN     := bin/vincula
PKGS    := ./...

.PHONY: run test build vet fmt check-fmt bench bench-match bench-import bench-replicas eval loadgen fuzz vocab clean help lint-openapi openapi-client

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

run: ## run the server on the embedded SQLite store with demo data (http://127.0.0.1:8080)
	$(GO) run ./cmd/vincula serve --demo

build: ## build the binary into bin/
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/vincula

# Packages with concurrency (transactions racing, the feed follower, background imports,
# rate limits, the migrants' login limits, webhook deliveries): they run a second time under the race detector, with -short skipping
# only the large-data tests (exactness on generated data, kill-and-restart), which the
# first pass runs in full.
RACE_PKGS := ./api ./store/... ./search ./referrals ./importer ./migrants ./webhooks ./fairs ./cmd/...

test: check-fmt vet ## run every test on SQLite and PostgreSQL, then the concurrent packages under -race
	bash scripts/ensure-postgres.sh
	$(GO) test -count=1 -timeout 12m $(PKGS)
	$(GO) test -race -short -count=1 -timeout 12m $(RACE_PKGS)

bench: ## compare Vincula with PostgreSQL full-text search on generated data, one table (BENCH_CANDIDATES=100000; issue 7)
	bash scripts/bench.sh

bench-match: ## vacancy → candidates at the service call, 100,000 candidates (VINCULA_BENCH_CANDIDATES for more)
	$(GO) test ./api -run '^$$' -bench VacancyMatches -benchtime 300x -timeout 60m

bench-replicas: ## three servers on one PostgreSQL: time from a write through one to a search finding it through the others (VINCULA_REPLICA_WRITES=200)
	VINCULA_REPLICA_WRITES=$${VINCULA_REPLICA_WRITES:-200} $(GO) test ./api -run '^TestReplicasConvergeOnCommit$$' -count=1 -v

eval: ## rank the judged set (scripts/eval/testdata) through the API and print nDCG@10, precision@5, recall and noise per vacancy (issue 20)
	VINCULA_EVAL_REPORT=1 $(GO) test ./api -run '^TestJudgedSet$$' -count=1 -v

bench-import: ## bulk import of 10,000 and 100,000 CSV rows on SQLite and PostgreSQL (BENCH_ROWS to change)
	bash scripts/bench-import.sh

VOCAB_SOURCES ?= ../shared/vocab-sources

vocab: ## regenerate models/esco.tsv.gz from ESCO v1.1.1 and INEGI's SINCO 2019 table (VOCAB_SOURCES=dir)
	$(GO) run ./scripts/vocabgen/cmd/vocabgen -sources $(VOCAB_SOURCES) -o models/esco.tsv.gz

loadgen: ## 200 clients of mixed reads and writes for 60 s against `serve --demo`, profiled (LOADGEN_DB=postgres, LOADGEN_CLIENTS, LOADGEN_DURATION)
	bash scripts/loadgen.sh

lint-openapi: ## lint the OpenAPI document with Spectral: spectral:oas clean, OWASP clean but for the exceptions in scripts/openapi/owasp.yaml (needs npm)
	bash scripts/lint-openapi.sh

openapi-client: ## regenerate internal/apiclient (the document and its oapi-codegen client)
	$(GO) generate ./internal/apiclient

vet: ## go vet
	$(GO) vet $(PKGS)

check-fmt: ## fail when gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

fmt: ## gofmt every file
	gofmt -w $$(git ls-files '*.go')

fuzz: ## run each fuzz target for a while (FUZZTIME=30s)
	bash scripts/fuzz.sh $${FUZZTIME:-30s}

clean: ## remove build output and local data
	rm -rf bin data
