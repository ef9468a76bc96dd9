package api

import (
	"context"
	"net/http"
	"time"

	"github.com/vincula/vincula/fairs"
	"github.com/vincula/vincula/store"
)

// RouteInfo describes a registered route for the tests of the role matrix.
type RouteInfo struct {
	Method, Path string
	Public       bool
}

// Routes lists the registered routes.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, r := range s.routes {
		out[i] = RouteInfo{Method: r.method, Path: r.path, Public: r.public}
	}
	return out
}

// KeepImportLease renews the lease of import job id every period, as a process holding
// the job does every quarter of store.ImportLease, until stop is called.
func KeepImportLease(st *store.Store, id string, period time.Duration) (stop func()) {
	return fairs.RenewEvery(context.Background(), st, id, nil, period)
}

// OnLeaseRenewed calls fn after every renewal of an import's lease until the test ends,
// so a test moves its clock and then waits for a renewal instead of sleeping.
func OnLeaseRenewed(t interface{ Cleanup(func()) }, fn func(id string)) { fairs.OnLeaseRenewed(t, fn) }

// SetLeaseRenewal sets how often import leases are renewed, until the test ends. Call
// it before the imports under test start.
func SetLeaseRenewal(t interface{ Cleanup(func()) }, d time.Duration) { fairs.SetLeaseRenewal(t, d) }

// SetAdmissionHooks makes every admitted request (health, readiness and metrics aside)
// call admitted before it is served, and every request that starts waiting for a slot
// call queued, so that the overload tests can hold requests in flight.
func (s *Server) SetAdmissionHooks(admitted, queued func(*http.Request)) {
	s.admission.onAdmit, s.admission.onQueue = admitted, queued
}

// WrapHandler makes Handler return wrap applied to the router, so the tests can check
// every answer against the OpenAPI document.
func (s *Server) WrapHandler(wrap func(http.Handler) http.Handler) { s.handler = wrap(s.engine) }
