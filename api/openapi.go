package api

import (
	"encoding/json"
	"fmt"
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
				params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string", "maxLength": maxParamBytes}})
			}
		}
		for _, q := range r.query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": queryParamSchema(q)})
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
				"application/json": map[string]any{"schema": requestSchemaOf(reflect.TypeOf(r.request))}}}
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
		if !bypassesAdmission(r.path) {
			responses["503"] = map[string]any{
				"description": "Service unavailable: the database cannot serve just now, or the server has as many requests as it takes; retry after Retry-After seconds",
				"headers":     map[string]any{"Retry-After": map[string]any{"schema": map[string]any{"type": "integer"}}},
				"content":     map[string]any{"application/problem+json": map[string]any{"schema": problemSchema}}}
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
func schemaOf(t reflect.Type) map[string]any { return schemaFor(t, false) }

// requestSchemaOf is schemaOf for what a client sends: every field also declares the
// bound the server enforces on it (declareBound).
func requestSchemaOf(t reflect.Type) map[string]any { return schemaFor(t, true) }

func schemaFor(t reflect.Type, bounded bool) map[string]any {
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
		s := schemaFor(t.Elem(), bounded)
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
		return map[string]any{"type": "array", "items": schemaFor(t.Elem(), bounded)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaFor(t.Elem(), bounded)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		props := map[string]any{}
		addFields(t, props, bounded)
		return map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{}
}

func addFields(t reflect.Type, props map[string]any, bounded bool) {
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
			addFields(f.Type, props, bounded)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = schemaFor(f.Type, bounded)
		if bounded {
			props[name] = declareBound(props[name].(map[string]any), name)
		}
	}
}

// declareBound adds to a field's schema the bound models.CheckBounds enforces on it,
// so that the document and the server agree.
func declareBound(schema map[string]any, name string) map[string]any {
	b := models.BoundOf(name)
	switch schema["type"] {
	case "string":
		if schema["format"] == "date" || schema["format"] == "date-time" {
			schema["description"] = fmt.Sprintf("from %s to %s", models.EarliestDate, models.LatestDate)
			schema["x-earliest"], schema["x-latest"] = models.EarliestDate.String(), models.LatestDate.String()
		} else {
			schema["maxLength"] = b.MaxLength
		}
	case "integer", "number":
		schema["maximum"] = *b.Max
		if b.Min != nil {
			schema["minimum"] = *b.Min
		}
	case "array":
		schema["maxItems"] = b.MaxItems
		if items, ok := schema["items"].(map[string]any); ok && items["type"] == "string" && items["format"] == nil {
			items["maxLength"] = b.MaxLength
		}
	case "object":
		if _, ok := schema["additionalProperties"]; ok {
			schema["maxProperties"] = b.MaxItems
		}
	}
	return schema
}

// queryParamSchema is the schema of a query parameter, with the bounds checkParams,
// limitOf and queryTextOf enforce.
func queryParamSchema(name string) map[string]any {
	switch name {
	case "limit":
		return map[string]any{"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
	case "q":
		return map[string]any{"type": "string", "maxLength": maxQueryBytes,
			"description": fmt.Sprintf("free text: at most %d bytes and %d words", maxQueryBytes, maxQueryTerms)}
	case "date":
		return map[string]any{"type": "string", "format": "date", "x-earliest": models.EarliestDate.String(), "x-latest": models.LatestDate.String(),
			"description": fmt.Sprintf("YYYY-MM-DD, from %s to %s", models.EarliestDate, models.LatestDate)}
	case "min_experience_years":
		return map[string]any{"type": "number", "minimum": 0, "maximum": *models.BoundOf(name).Max}
	case "skills", "languages":
		return map[string]any{"type": "string", "maxLength": maxParamBytes,
			"description": fmt.Sprintf("comma-separated, at most %d entries", maxQueryTerms)}
	case "cursor":
		return map[string]any{"type": "string", "maxLength": maxParamBytes,
			"description": "the next_cursor of the previous page of this same list; a cursor of another list is refused"}
	}
	return map[string]any{"type": "string", "maxLength": maxParamBytes}
}
