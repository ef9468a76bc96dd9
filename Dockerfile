# Multi-stage build: a static binary in a minimal image, run as a non-root user, with
# its data (SQLite file, secret key, search index) in a volume only that user may enter
# (0700; COPY keeps the mode).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/vincula ./cmd/vincula \
 && mkdir -p /out/data && chmod 0700 /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/vincula /usr/local/bin/vincula
COPY --from=build --chown=65532:65532 /out/data /data
ENV VINCULA_DATA_DIR=/data \
    VINCULA_ADDR=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/vincula"]
CMD ["serve"]
