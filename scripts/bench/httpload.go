package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// httpResult is what the load generator saw on one endpoint.
type httpResult struct {
	endpoint string
	requests int
	workers  int
	wall     time.Duration
	lat      latencies
	// errors counts transport failures, timeouts and answers other than 200.
	errors int
	// firstError describes the first error, for the report.
	firstError string
}

func (r httpResult) perSecond() float64 { return float64(r.requests) / r.wall.Seconds() }

// serveLoopback serves h on 127.0.0.1 on a port the system picks and returns the base
// URL and a function that shuts the server down.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// hammer sends requests GETs (paths[i % len(paths)] for the i-th) with workers
// concurrent clients, each request bounded by timeout and the whole run by ctx.
func hammer(ctx context.Context, endpoint, base, token string, paths []string, requests, workers int, timeout time.Duration) httpResult {
	client := &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers},
	}
	defer client.CloseIdleConnections()
	res := httpResult{endpoint: endpoint, requests: requests, workers: workers, lat: make(latencies, requests)}
	var next atomic.Int64
	var mu sync.Mutex
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		res.errors++
		if res.firstError == "" {
			res.firstError = err.Error()
		}
	}
	get := func(path string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %d %.200s", path, resp.StatusCode, body)
		}
		return nil
	}
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= requests {
					return
				}
				if ctx.Err() != nil {
					fail(errors.New("the run's time limit passed before this request"))
					continue
				}
				t := time.Now()
				err := get(paths[i%len(paths)])
				res.lat[i] = time.Since(t)
				if err != nil {
					fail(err)
				}
			}
		})
	}
	wg.Wait()
	res.wall = time.Since(start)
	return res
}
