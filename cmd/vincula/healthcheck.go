package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck is `vincula healthcheck`: it asks the server's /readyz and exits 0 when
// the server is ready, 1 otherwise, as a container's HEALTHCHECK wants (distroless
// images have no curl or shell).
func (m *Main) healthcheck(cfg config, args []string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(m.stderr)
	url := fs.String("url", "", "the readiness URL (default http://VINCULA_ADDR/readyz, a wildcard address asked on loopback)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitError(2)
	}
	if *url == "" {
		*url = "http://" + loopbackFor(cfg.Addr) + "/readyz"
	}
	ctx, cancel := context.WithTimeout(m.ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		fmt.Fprintf(m.stderr, "vincula healthcheck: %v\n", err)
		return exitError(2)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(m.stdout, "not ready: %v\n", err)
		return exitError(1)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(m.stdout, "not ready: %s %s\n", resp.Status, body)
		return exitError(1)
	}
	fmt.Fprintf(m.stdout, "ready: %s\n", body)
	return nil
}

// loopbackFor turns a listen address into one to dial: a server listening on every
// interface (0.0.0.0:8080, :8080, [::]:8080) is asked on 127.0.0.1.
func loopbackFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
