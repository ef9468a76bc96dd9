package api

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
