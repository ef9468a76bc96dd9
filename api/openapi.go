package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
)

// openapi serves an OpenAPI 3 document built from the route table, so every
// registered endpoint is described and the schemas follow the Go types.
func (s *Server) openapi(c *gin.Context) {
	s.respond(c, http.StatusOK, s.openAPIDocument())
}

func (s *Server) openAPIDocument() map[string]any {
	paths := map[string]map[string]any{}
	problemSchema := schemaOf(reflect.TypeOf(problem{}))
	for _, r := range s.routes {
		path := openAPIPath(r.path)
		op := map[string]any{"summary": r.summary, "operationId": operationID(r)}
		var params []map[string]any
		for _, seg := range strings.Split(r.path, "/") {
			if name, ok := strings.CutPrefix(seg, ":"); ok {
				params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
			}
		}
		for _, q := range r.query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.public {
			op["security"] = []any{}
		} else {
			roles := make([]string, len(r.roles))
			for i, role := range r.roles {
				roles[i] = string(role)
			}
			op["x-roles"] = roles
		}
		if r.request != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(r.request))}}}
		}
		status := r.status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		if r.response != nil {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(r.response))}}
		}
		responses := map[string]any{strconv.Itoa(status): ok}
		for _, code := range []int{400, 401, 403, 404, 409, 413, 422} {
			responses[strconv.Itoa(code)] = map[string]any{"description": http.StatusText(code),
				"content": map[string]any{"application/problem+json": map[string]any{"schema": problemSchema}}}
		}
		op["responses"] = responses
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(r.method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Vincula API", "version": "1",
			"description": "Links migrant job seekers in Mexico with employers who may legally hire them."},
		"servers":  []any{map[string]any{"url": "/"}},
		"paths":    paths,
		"security": []any{map[string]any{"bearer": []any{}}},
		"components": map[string]any{"securitySchemes": map[string]any{
			"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
		"x-webhooks": webhookDocs(),
	}
}

// openAPIPath turns gin's /vacancies/:id into OpenAPI's /vacancies/{id}.
func openAPIPath(p string) string {
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}

func operationID(r route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(r.method))
	for _, seg := range strings.Split(strings.TrimPrefix(r.path, "/api/v1"), "/") {
		seg = strings.TrimPrefix(seg, ":")
		for _, part := range strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '.' || r == '_' }) {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

var (
	dateType = reflect.TypeOf(models.Date{})
	timeType = reflect.TypeOf(time.Time{})
	// rawJSONType is a JSON value kept as it was written (a webhook delivery's payload).
	rawJSONType = reflect.TypeOf(json.RawMessage{})
)

// schemaOf describes a Go type as a JSON schema, following its json tags.
func schemaOf(t reflect.Type) map[string]any {
	switch {
	case t == rawJSONType:
		return map[string]any{"type": "object"}
	case t == dateType:
		return map[string]any{"type": "string", "format": "date", "nullable": true}
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := schemaOf(t.Elem())
		s["nullable"] = true
		return s
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		props := map[string]any{}
		addFields(t, props)
		return map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{}
}

func addFields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			addFields(f.Type, props)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = schemaOf(f.Type)
	}
}
