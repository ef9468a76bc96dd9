package api

import (
	"net/http"
	"runtime"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// RetryAfterOverloaded is the Retry-After, in seconds, of a 503 sent because the server
// has as many requests in flight and waiting as it takes.
const RetryAfterOverloaded = "1"

// admission caps the requests in flight. A request beyond the cap waits in a short queue
// for a slot (in arrival order: a freed slot goes to the longest waiting) until its
// client gives up; one beyond the queue is answered 503 at once, so that a crowd does
// not make every request slow. Health, readiness and metrics are never held back.
type admission struct {
	slots, queue chan struct{}
	// onAdmit and onQueue, when set (by tests), run when a request gets its slot and when
	// it starts waiting for one.
	onAdmit, onQueue func(*http.Request)
}

// admissionLimits returns the cap and the queue of a configuration: by default 64
// requests in flight per core and a queue of as many; a negative queue means none.
func admissionLimits(inFlight, queued int) (int, int) {
	if inFlight <= 0 {
		inFlight = 64 * runtime.GOMAXPROCS(0)
	}
	switch {
	case queued == 0:
		queued = inFlight
	case queued < 0:
		queued = 0
	}
	return inFlight, queued
}

func newAdmission(inFlight, queued int) *admission {
	inFlight, queued = admissionLimits(inFlight, queued)
	return &admission{slots: make(chan struct{}, inFlight), queue: make(chan struct{}, queued)}
}

// bypassesAdmission lists the probes that must answer however busy the server is.
func bypassesAdmission(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/metrics"
}

func (s *Server) admit() gin.HandlerFunc {
	a := s.admission
	return func(c *gin.Context) {
		if bypassesAdmission(c.Request.URL.Path) {
			c.Next()
			return
		}
		select {
		case a.slots <- struct{}{}:
		default:
			select {
			case a.queue <- struct{}{}:
			default:
				c.Header("Retry-After", RetryAfterOverloaded)
				s.fail(c, http.StatusServiceUnavailable, "overloaded", "Server busy",
					"the server has as many requests as it takes; try again in a second")
				return
			}
			if a.onQueue != nil {
				a.onQueue(c.Request)
			}
			select {
			case a.slots <- struct{}{}:
				<-a.queue
			case <-c.Request.Context().Done():
				<-a.queue
				c.AbortWithStatus(StatusClientClosed)
				return
			}
		}
		defer func() { <-a.slots }()
		if a.onAdmit != nil {
			a.onAdmit(c.Request)
		}
		c.Next()
	}
}

// collectors report the requests in flight and waiting on /metrics.
func (a *admission) collectors() []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vincula_http_requests_in_flight",
			Help: "Requests being served now (health, readiness and metrics aside)."}, func() float64 { return float64(len(a.slots)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "vincula_http_requests_queued",
			Help: "Requests waiting for a slot to be served."}, func() float64 { return float64(len(a.queue)) }),
	}
}
