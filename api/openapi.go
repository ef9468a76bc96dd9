package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/webhooks"
)

// The OpenAPI document is built from the route table with kin-openapi: openapi3 holds
// the document and openapi3gen describes the Go types of the bodies, so every
// registered endpoint is described and the schemas follow the types the handlers
// encode. Response types become named component schemas; request bodies stay inline
// (named for generated clients with x-go-type-name) so that each operation shows, in
// place, every bound the server enforces on what it receives.

// openapi serves the document.
func (s *Server) openapi(c *gin.Context) {
	doc, err := s.openAPIDoc()
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, doc)
}

// openAPIDoc builds the document once per server.
func (s *Server) openAPIDoc() (*openapi3.T, error) {
	s.openAPI.once.Do(func() {
		s.openAPI.doc, s.openAPI.err = buildOpenAPI(s.routes, s.cfg.MaxBodyBytes, s.cfg.MaxUploadBytes)
	})
	return s.openAPI.doc, s.openAPI.err
}

// builtDocument is a server's OpenAPI document, built on first use.
type builtDocument struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

// OpenAPI returns the document the server serves at /api/v1/openapi.json.
func (s *Server) OpenAPI() (*openapi3.T, error) { return s.openAPIDoc() }

// Document returns the OpenAPI document of a server with the default configuration
// (the limits in its descriptions are the defaults), without a store: what
// internal/apiclient generates its client from.
func Document() (*openapi3.T, error) {
	s := &Server{}
	return buildOpenAPI(s.routeTable(), defaultMaxBodyBytes, defaultMaxUploadBytes)
}

const (
	bearerScheme = "bearerAuth"
	// maxResponseText bounds a response string whose field no request takes (a reason,
	// a routing note, an error message): the server writes these itself.
	maxResponseText = 10_000
	// maxResponseItems bounds a response list whose field no request takes.
	maxResponseItems = 100_000
	// maxCount bounds a response integer that counts (rows, attempts, sequence numbers):
	// the largest integer a JSON number carries exactly.
	maxCount = 1<<53 - 1
)

var (
	dateType    = reflect.TypeOf(models.Date{})
	timeType    = reflect.TypeOf(time.Time{})
	rawJSONType = reflect.TypeOf(json.RawMessage{})
)

// componentNames renames the unexported response types for the document and the
// clients generated from it.
var componentNames = map[string]string{
	"candidateView":         "Candidate",
	"employerCandidateView": "CandidateForEmployer",
	"experienceView":        "ExperienceForEmployer",
	"problem":               "Problem",
	"readiness":             "Readiness",
}

// enumOf lists the values of the closed sets, by Go type.
var enumOf = map[reflect.Type][]string{
	reflect.TypeOf(models.Role("")):            stringsOf(models.Roles),
	reflect.TypeOf(models.VacancyStatus("")):   stringsOf(models.VacancyStatuses),
	reflect.TypeOf(models.DocumentType("")):    stringsOf(models.DocumentTypes),
	reflect.TypeOf(models.CandidateStatus("")): stringsOf(models.CandidateStatuses),
	reflect.TypeOf(models.ReferralStatus("")):  stringsOf(models.ReferralStatuses),
	reflect.TypeOf(models.ImportStatus("")): {string(models.ImportQueued), string(models.ImportRunning),
		string(models.ImportSucceeded), string(models.ImportFailed)},
	reflect.TypeOf(models.ImportMode("")):     {string(models.ImportAllOrNothing), string(models.ImportValidRows)},
	reflect.TypeOf(models.WebhookEvent("")):   stringsOf(models.WebhookEvents),
	reflect.TypeOf(models.WebhookStatus("")):  {string(models.WebhookActive), string(models.WebhookDisabled)},
	reflect.TypeOf(models.DeliveryStatus("")): {string(models.DeliveryPending), string(models.DeliveryDelivered)},
}

// enumComponents names the closed sets that become component schemas: response fields
// refer to them, and request fields (inline) name them for generated clients with
// x-go-type, so a client has one type per set.
func enumComponents() []enumComponent {
	return []enumComponent{
		{"Role", stringsOf(models.Roles)},
		{"VacancyStatus", stringsOf(models.VacancyStatuses)},
		{"DocumentType", stringsOf(models.DocumentTypes)},
		{"CandidateStatus", stringsOf(models.CandidateStatuses)},
		{"ReferralStatus", stringsOf(models.ReferralStatuses)},
		{"ImportStatus", enumOf[reflect.TypeOf(models.ImportStatus(""))]},
		{"ImportMode", enumOf[reflect.TypeOf(models.ImportMode(""))]},
		{"WebhookEvent", stringsOf(models.WebhookEvents)},
		{"WebhookStatus", enumOf[reflect.TypeOf(models.WebhookStatus(""))]},
		{"DeliveryStatus", enumOf[reflect.TypeOf(models.DeliveryStatus(""))]},
		{"StateCode", stateCodes()},
		// Empty in a record written to the store by other means than this API (a
		// migration, a test's fixture); requests must name one.
		{"EducationLevel", append(slices.Clone(models.EducationLevels), "")},
		{"LanguageLevel", models.LanguageLevels},
	}
}

type enumComponent struct {
	name   string
	values []string
}

// enumComponentOf names the component of a closed set ("" when it has none).
func enumComponentOf(vals []any) string {
	for _, c := range enumComponents() {
		if slices.Equal(toAny(c.values), vals) {
			return c.name
		}
	}
	return ""
}

// namedEnums adds the enum components and makes every response field whose values
// are one of them refer to it.
func namedEnums(schemas openapi3.Schemas) {
	for _, c := range enumComponents() {
		longest := 0
		for _, v := range c.values {
			longest = max(len(v), longest)
		}
		schemas[c.name] = openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"},
			Enum: toAny(c.values), MaxLength: ptr(uint64(longest))})
	}
	var walk func(ref *openapi3.SchemaRef) *openapi3.SchemaRef
	walk = func(ref *openapi3.SchemaRef) *openapi3.SchemaRef {
		if ref == nil || ref.Ref != "" || ref.Value == nil {
			return ref
		}
		s := ref.Value
		if len(s.Enum) > 0 {
			if name := enumComponentOf(s.Enum); name != "" {
				return openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
			}
			return ref
		}
		for k, p := range s.Properties {
			s.Properties[k] = walk(p)
		}
		s.Items = walk(s.Items)
		return ref
	}
	for name, ref := range schemas {
		if enumComponentOf(ref.Value.Enum) == name {
			continue
		}
		walk(ref)
	}
}

// enumByField lists the closed sets of plain string fields, by JSON name.
func enumByField(name string) []string {
	switch name {
	case "state", "current_state", "preferred_states", "coverage_states", "allowed_states", "states":
		return stateCodes()
	case "education_level":
		return models.EducationLevels
	case "level":
		return models.LanguageLevels
	}
	return nil
}

func stateCodes() []string {
	out := make([]string, len(models.States))
	for i, st := range models.States {
		out[i] = st.Code
	}
	return out
}

func toAny(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// requiredOf lists, by request type, the fields a create request must carry (what the
// validation refuses when missing); a PATCH body requires none.
var requiredOf = map[reflect.Type][]string{
	reflect.TypeOf(vacancyRequest{}):           {"title", "education_level", "state", "start_date"},
	reflect.TypeOf(candidateRequest{}):         {"full_name", "nationality", "birth_date", "current_state", "education_level", "consent"},
	reflect.TypeOf(migrantRegistration{}):      {"full_name", "nationality", "birth_date", "current_state", "education_level", "phone", "pin"},
	reflect.TypeOf(migrantLoginRequest{}):      {"phone", "pin"},
	reflect.TypeOf(employerRequest{}):          {"name", "rfc", "state"},
	reflect.TypeOf(officeRequest{}):            {"name", "state"},
	reflect.TypeOf(counsellorRequest{}):        {"name", "email", "office_id"},
	reflect.TypeOf(jobFairRequest{}):           {"name", "state", "starts_on", "ends_on"},
	reflect.TypeOf(userRequest{}):              {"name", "role"},
	reflect.TypeOf(referralRequest{}):          {"candidate_id", "vacancy_id"},
	reflect.TypeOf(transitionRequest{}):        {"to"},
	reflect.TypeOf(webhookRequest{}):           {"url", "events"},
	reflect.TypeOf(consentChange{}):            {"share_profile"},
	reflect.TypeOf(consentRequest{}):           {"share_profile"},
	reflect.TypeOf(pinResetRequest{}):          {"pin"},
	reflect.TypeOf(documentRequest{}):          {"type", "number"},
	reflect.TypeOf(models.LanguageSkill{}):     {"code", "level"},
	reflect.TypeOf(models.VacancySkill{}):      {"name"},
	reflect.TypeOf(models.CandidateSkill{}):    {"name"},
	reflect.TypeOf(models.Experience{}):        {"title"},
	reflect.TypeOf(distinctRequest{}):          nil,
	reflect.TypeOf(counsellorPatch{}):          nil,
	reflect.TypeOf(models.ReferralEvent{}):     nil,
	reflect.TypeOf(models.WebhookPayload{}):    nil,
	reflect.TypeOf(models.VacancyFilledData{}): nil,
}

// jsonFields lists the JSON names of a struct's fields, embedded structs flattened,
// with whether each may be left out (omitempty) and its Go type.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, omitempty: slices.Contains(strings.Split(opts, ","), "omitempty"), typ: f.Type})
	}
	return out
}

type jsonField struct {
	name      string
	omitempty bool
	typ       reflect.Type
}

// schemaGen describes Go types for the document: what the server sends (response, with
// every field it always writes required) or what a client sends (request, with the
// bounds models.CheckBounds enforces).
type schemaGen struct {
	request bool
	// patch leaves every field of a request optional.
	patch bool
	// requestNames are the JSON names of the fields requests take: a response field of
	// one of these names has the request's bound, since the server stored what it
	// checked.
	requestNames map[string]bool
	// rootType is the request type being described: its own fields are optional in a
	// PATCH body, those of the objects it holds keep their required ones.
	rootType reflect.Type
	// names maps component names to their Go types, to catch two types of one name.
	names map[string]reflect.Type
	err   error
}

func (g *schemaGen) typeName(t reflect.Type) string {
	if t == dateType || t == timeType {
		return "" // inline: a date is a string
	}
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 { // listResponse[pkg.T]
		inner := strings.TrimSuffix(name[i+1:], "]")
		inner = inner[strings.LastIndexByte(inner, '.')+1:]
		return exportedName(inner) + "List"
	}
	name = exportedName(name)
	if g.names != nil {
		if prev, ok := g.names[name]; ok && prev != t {
			g.err = fmt.Errorf("openapi: %s and %s would both be the component %s", prev, t, name)
		}
		g.names[name] = t
	}
	return name
}

func exportedName(name string) string {
	if n, ok := componentNames[name]; ok {
		return n
	}
	if name == "" {
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// customize adds to one generated schema what the Go type alone does not say.
func (g *schemaGen) customize(name string, t reflect.Type, _ reflect.StructTag, s *openapi3.Schema) error {
	switch {
	case t == dateType:
		s.Type, s.Format, s.Nullable = &openapi3.Types{"string"}, "date", true
		s.Properties = nil
		s.Description = fmt.Sprintf("YYYY-MM-DD, from %s to %s; null when not given", models.EarliestDate, models.LatestDate)
		s.Extensions = map[string]any{"x-earliest": models.EarliestDate.String(), "x-latest": models.LatestDate.String()}
		s.MaxLength = ptr(uint64(10))
		return nil
	case t == timeType:
		s.MaxLength = ptr(uint64(40))
		return nil
	case t == rawJSONType:
		s.Description = "the JSON document as it was sent"
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		bound := g.bound(name)
		if bound != nil {
			s.MaxLength = ptr(uint64(bound.MaxLength))
		} else {
			s.MaxLength = ptr(uint64(maxResponseText))
		}
		switch name {
		case "email", "contact_email":
			s.Format = "email"
		case "url", "esco_uri":
			s.Format = "uri"
		}
		if vals, ok := enumOf[t]; ok {
			s.Enum = toAny(vals)
			if name == "from" {
				s.Enum = append(s.Enum, "") // the first event of a referral comes from nowhere
			}
		} else if vals := enumByField(name); vals != nil {
			s.Enum = toAny(vals)
			if name == "education_level" && !g.request {
				s.Enum = append(s.Enum, "") // see enumComponents
			}
		}
		if c := enumComponentOf(s.Enum); c != "" && g.request {
			s.Extensions = map[string]any{"x-go-type": c}
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		if s.Format == "" {
			s.Format = "int64"
		}
		if bound := g.bound(name); bound != nil {
			s.Max = bound.Max
			s.Min = bound.Min
			if s.Min == nil && !g.request {
				s.Min = ptr(0.0)
			}
		} else {
			s.Max, s.Min = ptr(float64(maxCount)), ptr(0.0)
			if name == "lag" {
				s.Min = ptr(-1.0) // the feed's latest sequence could not be read
			}
			if name == "last_status" || name == "status" {
				s.Min, s.Max = ptr(100.0), ptr(599.0)
			}
		}
	case reflect.Float32, reflect.Float64:
		if bound := g.bound(name); bound != nil {
			s.Max, s.Min = bound.Max, bound.Min
		}
	case reflect.Slice, reflect.Array:
		if t == rawJSONType {
			return nil
		}
		if bound := g.bound(name); bound != nil {
			s.MaxItems = ptr(uint64(bound.MaxItems))
		} else {
			s.MaxItems = ptr(uint64(maxResponseItems))
		}
	case reflect.Map:
		if bound := g.bound(name); bound != nil {
			s.MaxProps = ptr(uint64(bound.MaxItems))
		} else {
			s.MaxProps = ptr(uint64(1000))
		}
	case reflect.Interface:
		if name == "candidate" && !g.request {
			s.OneOf = openapi3.SchemaRefs{
				openapi3.NewSchemaRef("#/components/schemas/Candidate", nil),
				openapi3.NewSchemaRef("#/components/schemas/CandidateForEmployer", nil),
			}
			s.Description = "the whole profile for staff; the minimised view for an employer"
		}
	case reflect.Struct:
		g.required(t, s)
		if g.request {
			s.AdditionalProperties = openapi3.AdditionalProperties{Has: ptr(false)}
		}
	}
	return nil
}

// bound is the bound of a field: the request's, on a request or a response field of
// the same name; nil for a response field no request takes.
func (g *schemaGen) bound(name string) *models.Bound {
	if g.request || g.requestNames[name] {
		b := models.BoundOf(name)
		return &b
	}
	return nil
}

func (g *schemaGen) required(t reflect.Type, s *openapi3.Schema) {
	if g.request {
		if g.patch && g.rootType == t {
			return
		}
		if req, ok := requiredOf[t]; ok {
			s.Required = slices.Clone(req)
		}
		return
	}
	s.Required = nil
	for _, f := range jsonFields(t) {
		if !f.omitempty {
			s.Required = append(s.Required, f.name)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// buildOpenAPI describes every route.
func buildOpenAPI(routes []route, maxBody, maxUpload int64) (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:   "Vincula API",
			Version: "1",
			Description: "Links migrant job seekers in Mexico with employers who may legally hire them. " +
				"Errors are RFC 9457 problem documents (application/problem+json). Lists are paged with limit and the next_cursor of the previous page.",
			Contact: &openapi3.Contact{Name: "Vincula", URL: "https://vincula.example/", Email: "api@vincula.example"},
			License: &openapi3.License{Name: "Proprietary", URL: "https://vincula.example/license"},
		},
		Servers: openapi3.Servers{{URL: "/", Description: "the server that serves this document (production, staging or a developer's own)",
			Extensions: map[string]any{"x-internal": false}}},
		Paths:    openapi3.NewPaths(),
		Security: openapi3.SecurityRequirements{{bearerScheme: []string{}}},
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{bearerScheme: &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
				Type: "http", Scheme: "bearer",
				Description: "A staff, employer or admin token (created by an admin, shown once) or a migrant's session token from POST /api/v1/migrants/login.",
			}}},
			Headers: openapi3.Headers{},
		},
		Extensions: map[string]any{"x-webhooks": nil},
	}
	// The names of the fields requests take, so responses declare the same bounds.
	requestNames := map[string]bool{}
	for _, r := range routes {
		if r.request != nil {
			collectNames(reflect.TypeOf(r.request), requestNames, map[reflect.Type]bool{})
		}
	}
	resp := &schemaGen{requestNames: requestNames, names: map[string]reflect.Type{}}
	respGen := openapi3gen.NewGenerator(openapi3gen.SchemaCustomizer(resp.customize),
		openapi3gen.CreateTypeNameGenerator(resp.typeName),
		openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{
			ExportComponentSchemas: true, ExportTopLevelSchema: true, ExportGenerics: true}))
	component := func(v any) (*openapi3.SchemaRef, error) {
		ref, err := respGen.NewSchemaRefForValue(v, doc.Components.Schemas)
		if err == nil && resp.err != nil {
			err = resp.err
		}
		return ref, err
	}
	// The two views of a candidate, which match and referral results hold one of.
	for _, v := range []any{candidateView{}, employerCandidateView{}, problem{}} {
		if _, err := component(v); err != nil {
			return nil, err
		}
	}
	problemRef := openapi3.NewSchemaRef("#/components/schemas/Problem", nil)
	doc.Components.Headers["Retry-After"] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
		Description: "seconds to wait before trying again",
		Schema:      openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"integer"}, Format: "int32", Min: ptr(0.0), Max: ptr(86400.0)}),
	}}}
	retryAfter := openapi3.Headers{"Retry-After": &openapi3.HeaderRef{Ref: "#/components/headers/Retry-After"}}
	// The error answers are written out in each operation (tools that read one
	// operation's responses need no look-up).
	errorResponses := map[int]*openapi3.Response{}
	for _, code := range []int{400, 401, 403, 404, 409, 413, 422, 429, 500, 503} {
		r := &openapi3.Response{Description: ptr(errorDescription(code)),
			Content: openapi3.Content{"application/problem+json": &openapi3.MediaType{Schema: problemRef}}}
		if code == 429 || code == 503 {
			r.Headers = retryAfter
		}
		errorResponses[code] = r
	}

	tags := map[string]bool{}
	requestTypeNames := map[string]bool{}
	for _, r := range routes {
		op := &openapi3.Operation{
			OperationID: operationID(r),
			Summary:     firstSentence(r.summary),
			Description: r.summary,
			Tags:        []string{tagOf(r.path)},
			Responses:   openapi3.NewResponses(),
		}
		tags[op.Tags[0]] = true
		if r.public {
			op.Security = &openapi3.SecurityRequirements{}
			if r.path == "/api/v1/migrants/register" || r.path == "/api/v1/migrants/login" {
				op.Description += ". Public: a migrant has no account before registering, and logs in to get one's token; both are rate-limited per address and phone (429 with Retry-After)."
			}
		} else {
			roles := stringsOf(r.roles)
			op.Extensions = map[string]any{"x-roles": roles}
			op.Description += ". Roles: " + strings.Join(roles, ", ") + "."
		}
		for _, seg := range strings.Split(r.path, "/") {
			if name, ok := strings.CutPrefix(seg, ":"); ok {
				op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{
					Name: name, In: "path", Required: true, Description: "an ID",
					Schema: openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, MaxLength: ptr(uint64(maxParamBytes))}),
				}})
			}
		}
		for _, q := range r.query {
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: queryParam(r.path, q)})
		}
		hasBody := r.request != nil || r.upload
		if r.request != nil {
			t := reflect.TypeOf(r.request)
			req := &schemaGen{request: true, patch: r.method == http.MethodPatch, rootType: t}
			gen := openapi3gen.NewGenerator(openapi3gen.SchemaCustomizer(req.customize))
			schema, err := gen.NewSchemaRefForValue(r.request, nil)
			if err != nil {
				return nil, fmt.Errorf("openapi: %s %s: %w", r.method, r.path, err)
			}
			name := exportedName(t.Name())
			if r.method == http.MethodPatch {
				name = strings.TrimSuffix(name, "Request") + "Patch"
			}
			if requestTypeNames[name] {
				name = exportedName(op.OperationID) + "Body"
			}
			requestTypeNames[name] = true
			schema.Value.Extensions = map[string]any{"x-go-type-name": name}
			if r.method == http.MethodPatch {
				schema.Value.Description = "Only the fields sent change; a list sent replaces the old one."
			}
			media := &openapi3.MediaType{Schema: schema}
			if ex, ok := requestExamples[r.method+" "+r.path]; ok {
				media.Example = ex
			}
			op.RequestBody = &openapi3.RequestBodyRef{Value: &openapi3.RequestBody{Required: true,
				Description: fmt.Sprintf("a JSON object of at most %d bytes", maxBody),
				Content:     openapi3.Content{"application/json": media}}}
		}
		if r.upload {
			op.RequestBody = &openapi3.RequestBodyRef{Value: uploadBody(maxUpload)}
		}

		status := r.status
		if status == 0 {
			status = http.StatusOK
		}
		ok := &openapi3.Response{Description: ptr(http.StatusText(status))}
		switch {
		case r.contentType != "":
			ok.Content = openapi3.Content{r.contentType: &openapi3.MediaType{Schema: openapi3.NewSchemaRef("", &openapi3.Schema{
				Type: &openapi3.Types{"string"}, MaxLength: ptr(uint64(10 << 20))})}}
		case r.response != nil:
			var refs openapi3.SchemaRefs
			for _, v := range append([]any{r.response}, r.alternatives...) {
				ref, err := component(v)
				if err != nil {
					return nil, fmt.Errorf("openapi: %s %s: %w", r.method, r.path, err)
				}
				refs = append(refs, ref)
			}
			schema := refs[0]
			if len(refs) > 1 {
				schema = openapi3.NewSchemaRef("", &openapi3.Schema{OneOf: refs})
			}
			ok.Content = openapi3.Content{"application/json": &openapi3.MediaType{Schema: schema}}
		}
		op.Responses.Set(strconv.Itoa(status), &openapi3.ResponseRef{Value: ok})
		for _, code := range errorCodes(r, hasBody) {
			op.Responses.Set(strconv.Itoa(code), &openapi3.ResponseRef{Value: errorResponses[code]})
		}
		if r.path == "/readyz" {
			op.Responses.Set("503", &openapi3.ResponseRef{Value: &openapi3.Response{
				Description: ptr("Not ready: a check failed (each check says ok or what is wrong)"),
				Content:     ok.Content}})
		}
		doc.AddOperation(openAPIPath(r.path), r.method, op)
	}
	for _, name := range slices.Sorted(mapKeysOf(tags)) {
		doc.Tags = append(doc.Tags, &openapi3.Tag{Name: name, Description: "The " + name + " endpoints."})
	}
	fixNullableRefs(doc.Components.Schemas, resp.names)
	namedEnums(doc.Components.Schemas)
	addExamples(doc.Components.Schemas)
	hooks, err := webhookDocs()
	if err != nil {
		return nil, err
	}
	doc.Extensions["x-webhooks"] = hooks
	return doc, nil
}

func mapKeysOf[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// collectNames adds the JSON names of the fields of t, nested ones too.
func collectNames(t reflect.Type, names map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == dateType || t == timeType || seen[t] {
		return
	}
	seen[t] = true
	for _, f := range jsonFields(t) {
		names[f.name] = true
		collectNames(f.typ, names, seen)
	}
}

// fixNullableRefs declares nullable the fields that hold a pointer to a component:
// OpenAPI 3.0 ignores what stands beside a $ref, so the field becomes an allOf of the
// component, nullable.
func fixNullableRefs(schemas openapi3.Schemas, types map[string]reflect.Type) {
	for name, ref := range schemas {
		t, ok := types[name]
		if !ok || ref.Value == nil || t.Kind() != reflect.Struct {
			continue
		}
		for _, f := range jsonFields(t) {
			prop := ref.Value.Properties[f.name]
			if f.typ.Kind() != reflect.Pointer || f.omitempty || prop == nil || prop.Ref == "" {
				continue
			}
			ref.Value.Properties[f.name] = openapi3.NewSchemaRef("", &openapi3.Schema{
				Type: &openapi3.Types{"object"}, AllOf: openapi3.SchemaRefs{openapi3.NewSchemaRef(prop.Ref, nil)}, Nullable: true})
		}
	}
}

func errorDescription(code int) string {
	switch code {
	case 400:
		return "Malformed request: the body is not JSON (or not a form)"
	case 401:
		return "No bearer token, or one that is not valid (expired, revoked)"
	case 403:
		return "The caller's role, or scope, does not allow this"
	case 404:
		return "No such object (or one the caller may not see)"
	case 409:
		return "Conflict with the current state (a duplicate, an illegal move)"
	case 413:
		return "The request body is too large"
	case 422:
		return "Validation failed: errors names each field or parameter"
	case 429:
		return "Too many attempts from this address or for this phone; retry after Retry-After seconds"
	case 500:
		return "Internal error"
	case 503:
		return "Service unavailable: the database cannot serve just now, or the server has as many requests as it takes; retry after Retry-After seconds"
	}
	return http.StatusText(code)
}

// errorCodes are the error statuses a route can answer: 422 everywhere (checkParams
// refuses unclean parameters on every route), 500 everywhere, 401 and 403 on the
// authenticated routes, 404 where an ID is named, 409 on writes, 400 and 413 where a
// body is read, 429 on the rate-limited migrant routes, 503 wherever admission
// control or a database outage can refuse.
func errorCodes(r route, hasBody bool) []int {
	var codes []int
	if hasBody {
		codes = append(codes, 400)
	}
	if !r.public {
		codes = append(codes, 401, 403, 404)
	}
	if r.path == "/api/v1/migrants/login" {
		codes = append(codes, 401)
	}
	if !r.public && r.method != http.MethodGet || r.path == "/api/v1/migrants/register" {
		codes = append(codes, 409)
	}
	if hasBody {
		codes = append(codes, 413)
	}
	codes = append(codes, 422)
	if r.path == "/api/v1/migrants/register" || r.path == "/api/v1/migrants/login" {
		codes = append(codes, 429)
	}
	codes = append(codes, 500)
	if !bypassesAdmission(r.path) {
		codes = append(codes, 503)
	}
	return codes
}

// uploadBody is the multipart form of an import upload.
func uploadBody(maxUpload int64) *openapi3.RequestBody {
	form := &openapi3.Schema{
		Type:                 &openapi3.Types{"object"},
		Required:             []string{"file"},
		AdditionalProperties: openapi3.AdditionalProperties{Has: ptr(false)},
		Properties: openapi3.Schemas{
			"file": openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "binary",
				MaxLength:   ptr(uint64(maxUpload)),
				Description: "the sheet: CSV, XLSX or JSON (named .csv, .tsv, .txt, .xlsx, .xlsm or .json, or sniffed)"}),
			"mode": openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, MaxLength: ptr(uint64(20)),
				Enum: toAny([]string{string(models.ImportAllOrNothing), string(models.ImportValidRows)}), Default: string(models.ImportAllOrNothing),
				Description: "all_or_nothing imports no row when any is bad; valid_rows imports the good ones",
				Extensions:  map[string]any{"x-go-type": "ImportMode"}}),
			"dry_run": openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"boolean"}, Default: false,
				Description: "check every row and report, changing nothing"}),
			"sheet": openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, MaxLength: ptr(uint64(models.DefaultMaxLength)),
				Description: "the XLSX sheet to read; the first by default"}),
		},
	}
	return &openapi3.RequestBody{Required: true,
		Description: fmt.Sprintf("a multipart/form-data upload of at most %d bytes", maxUpload),
		Content: openapi3.Content{"multipart/form-data": &openapi3.MediaType{Schema: openapi3.NewSchemaRef("", form),
			Encoding: map[string]*openapi3.Encoding{"file": {ContentType: "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json, application/octet-stream"}}}}}
}

// queryParam describes one query parameter, with the bounds checkParams, limitOf and
// queryTextOf enforce.
func queryParam(path, name string) *openapi3.Parameter {
	p := &openapi3.Parameter{Name: name, In: "query"}
	str := func(max int) *openapi3.Schema {
		return &openapi3.Schema{Type: &openapi3.Types{"string"}, MaxLength: ptr(uint64(max))}
	}
	var s *openapi3.Schema
	switch name {
	case "limit":
		s = &openapi3.Schema{Type: &openapi3.Types{"integer"}, Format: "int32", Min: ptr(1.0), Max: ptr(100.0), Default: 20}
		p.Description = "how many items a page holds"
	case "q":
		s = str(maxQueryBytes)
		p.Description = fmt.Sprintf("free text: at most %d bytes and %d words", maxQueryBytes, maxQueryTerms)
	case "date":
		s = &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "date", MaxLength: ptr(uint64(10)),
			Extensions: map[string]any{"x-earliest": models.EarliestDate.String(), "x-latest": models.LatestDate.String()}}
		p.Description = fmt.Sprintf("YYYY-MM-DD, from %s to %s; today in Mexico City by default", models.EarliestDate, models.LatestDate)
	case "min_experience_years":
		s = &openapi3.Schema{Type: &openapi3.Types{"number"}, Min: ptr(0.0), Max: models.BoundOf(name).Max}
		p.Description = "the least total years of experience"
	case "skills", "languages":
		s = str(maxParamBytes)
		p.Description = fmt.Sprintf("comma-separated, at most %d entries", maxQueryTerms)
	case "cursor":
		s = str(maxParamBytes)
		p.Description = "the next_cursor of the previous page of this same list; a cursor of another list is refused"
	case "state":
		s = str(10)
		s.Enum = toAny(stateCodes())
		p.Description = "an ISO 3166-2:MX state code"
		if path == "/api/v1/candidates/search" {
			p.Description += " (required for employers)"
		}
	case "status":
		s = str(40)
		p.Description = "only those in this status"
		switch {
		case strings.HasPrefix(path, "/api/v1/vacancies"):
			s.Enum = toAny(stringsOf(models.VacancyStatuses))
		case strings.HasPrefix(path, "/api/v1/candidates"):
			s.Enum = toAny(stringsOf(models.CandidateStatuses))
		case strings.HasPrefix(path, "/api/v1/referrals"):
			s.Enum = toAny(stringsOf(models.ReferralStatuses))
		}
	case "lang":
		s = str(2)
		s.Enum = toAny(vocabularyLangs)
		p.Description = "the language of the labels; all four by default"
	default:
		s = str(maxParamBytes)
		p.Description = "only those whose " + name + " is this"
	}
	p.Schema = openapi3.NewSchemaRef("", s)
	return p
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

// tagOf groups operations by the first segment of their path after /api/v1.
func tagOf(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	if !ok {
		return "operations"
	}
	first, _, _ := strings.Cut(rest, "/")
	switch first {
	case "openapi.json":
		return "operations"
	case "users":
		return "users"
	}
	return first
}

// firstSentence shortens a summary to what comes before its first parenthesis, colon
// or semicolon.
func firstSentence(s string) string {
	if i := strings.IndexAny(s, "(:;."); i > 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// webhookDocs describes, for the OpenAPI document, what Vincula posts to a registered
// endpoint for each event.
func webhookDocs() (map[string]any, error) {
	data := map[models.WebhookEvent]any{
		models.EventReferralStage:       models.ReferralStageData{},
		models.EventVacancyFilled:       models.VacancyFilledData{},
		models.EventCandidatesQualified: models.CandidatesQualifiedData{},
		models.EventImportFinished:      models.ImportFinishedData{},
		models.EventSearchAlert:         models.SearchAlertData{},
	}
	out := map[string]any{}
	for _, ev := range models.WebhookEvents {
		g := &schemaGen{}
		gen := openapi3gen.NewGenerator(openapi3gen.SchemaCustomizer(g.customize))
		body, err := gen.NewSchemaRefForValue(models.WebhookPayload{}, nil)
		if err != nil {
			return nil, err
		}
		payload, err := gen.NewSchemaRefForValue(data[ev], nil)
		if err != nil {
			return nil, err
		}
		body.Value.Properties["data"] = payload
		out[string(ev)] = map[string]any{"post": map[string]any{
			"summary": "Sent to the employer's endpoints subscribed to " + string(ev) + "; signed with " + webhooks.SignatureHeader +
				": t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>; Vincula-Event-Id repeats on retries and replays",
			"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": body}}},
			"responses":   map[string]any{"2XX": map[string]any{"description": "received; any other answer (or none in 10 s) is retried with backoff"}},
		}}
	}
	return out, nil
}

// The examples are real values, encoded as the server encodes them, so they always
// match their schemas.
var exampleVacancy = models.Vacancy{ID: "01JD8X4T3M9Q2W5E7R6Y8U0I1O", EmployerID: "01JD8X2A4B6C8D0E2F4G6H8J0K",
	Title: "Operador de montacargas", Description: "Carga y descarga en almacén",
	Skills: []models.VacancySkill{{Name: "manejo de montacargas", Required: true}}, Languages: []models.LanguageSkill{{Code: "es", Level: "B1"}},
	MinExperienceYears: 1, EducationLevel: "secondary", State: "MX-NLE", Municipality: "Apodaca",
	SalaryMin: ptr(11000), SalaryMax: ptr(13000), Positions: 2, StartDate: models.NewDate(2027, 1, 15),
	RelocationSupport: true, Hazardous: ptr(false), HoursPerWeek: 48, Status: models.VacancyOpen,
	CreatedAt: time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)}

var exampleEmployer = models.Employer{ID: "01JD8X2A4B6C8D0E2F4G6H8J0K", Name: "Maquiladora Regiomontana", RFC: "MRE010101AB1",
	State: "MX-NLE", Sector: "manufactura", CreatedAt: time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)}

var exampleProblem = problem{Type: problemBase + "validation", Title: "Validation failed", Status: 422,
	Detail: "the vacancy is not valid", Instance: "/api/v1/vacancies",
	Errors: []models.FieldError{{Field: "state", Message: "must be an ISO 3166-2:MX state code such as MX-NLE"}}}

var requestExamples = map[string]any{
	"POST /api/v1/vacancies":      asJSON(toVacancyRequest(exampleVacancy)),
	"POST /api/v1/employers":      asJSON(employerRequest{Name: exampleEmployer.Name, RFC: exampleEmployer.RFC, State: exampleEmployer.State}),
	"POST /api/v1/referrals":      asJSON(referralRequest{CandidateID: "01JD8X9Z8Y7X6W5V4U3T2S1R0Q", VacancyID: exampleVacancy.ID, Note: "speaks Spanish well"}),
	"POST /api/v1/migrants/login": map[string]any{"phone": "+529621110001", "pin": "482913"},
}

func addExamples(schemas openapi3.Schemas) {
	for name, v := range map[string]any{"Vacancy": exampleVacancy, "Employer": exampleEmployer, "Problem": exampleProblem,
		"Decision": matching.Decision{Eligible: true, State: "MX-NLE", Date: models.NewDate(2027, 1, 15),
			Basis: &matching.Basis{DocumentType: models.DocResidenteTemporal, ExpiresOn: models.NewDate(2027, 7, 1), Verified: true,
				DocumentID: "01JD8XB1C2D3E4F5G6H7J8K9M0", Source: "Ley de Migración art. 52 fr. VII"},
			ValidUntil: models.NewDate(2027, 7, 1), AllowedStates: []string{"MX-NLE"}, Reasons: []string{}, NextSteps: []string{}, RulesVersion: "2026-11"}} {
		if s := schemas[name]; s != nil && s.Value != nil {
			s.Value.Example = asJSON(v)
		}
	}
}

func asJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// openAPIBody describes, for the document itself, the answer of /api/v1/openapi.json:
// an OpenAPI 3.0 document.
type openAPIBody struct {
	OpenAPI    string         `json:"openapi"`
	Info       map[string]any `json:"info"`
	Paths      map[string]any `json:"paths"`
	Components map[string]any `json:"components"`
}
