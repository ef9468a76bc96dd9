package api

import "encoding/base64"

// RouteSpec is a registered route with what the hostile-input test needs: who may call
// it and the query parameters it reads.
type RouteSpec struct {
	Method, Path string
	Public       bool
	Roles        []string
	Query        []string
	HasBody      bool
}

// RouteSpecs lists the route table.
func (s *Server) RouteSpecs() []RouteSpec {
	out := make([]RouteSpec, len(s.routes))
	for i, r := range s.routes {
		roles := make([]string, len(r.roles))
		for j, role := range r.roles {
			roles[j] = string(role)
		}
		out[i] = RouteSpec{Method: r.method, Path: r.path, Public: r.public, Roles: roles, Query: r.query, HasBody: r.request != nil}
	}
	return out
}

// TagCursor makes the cursor the list at route would give out for the position
// payload (as the handlers write it: "w3.17", "q40", or a record's ID).
func TagCursor(route, payload string) string {
	return tagCursor(route, base64.RawURLEncoding.EncodeToString([]byte(payload)))
}
