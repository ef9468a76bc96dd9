# Multi-stage build: a static binary in a minimal image, run as a non-root user, with
# its data (SQLite file, secret key, search index) in a volume only that user may enter
# (0700; COPY keeps the mode).
#
# The base images are pinned by exact version and digest, so a rebuild takes the same
# bytes; to move to newer ones, read the digests with
#   docker buildx imagetools inspect golang:1.26.8-bookworm
#   docker buildx imagetools inspect gcr.io/distroless/static-debian12:nonroot
# and change both the tag and the digest (cmd/vincula/dockerfile_test.go checks the form).
FROM golang:1.26.8-bookworm@sha256:a688600ca24f8a4d3ca77f95b0dd40704a9fc787c826660eb7ba0b641b8b175d AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/vincula ./cmd/vincula \
 && mkdir -p /out/data && chmod 0700 /out/data

FROM gcr.io/distroless/static-debian12:nonroot@sha256:afa5c872c891853ca7fcf1f12c3edb23f7eeef36189728842dd51042ff57f7ab
COPY --from=build /out/vincula /usr/local/bin/vincula
COPY --from=build --chown=65532:65532 /out/data /data
ENV VINCULA_DATA_DIR=/data \
    VINCULA_ADDR=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
# The image has no shell or curl: the binary asks its own /readyz (exit 0 when ready).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/usr/local/bin/vincula", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/vincula"]
CMD ["serve"]
