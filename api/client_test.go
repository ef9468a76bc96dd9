package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/internal/apiclient"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestGeneratedClientUploadsASheet: the Go client oapi-codegen generates from the
// document (internal/apiclient) creates a job fair, uploads a sheet to it, follows the
// import to its end and reads the vacancies it made, all through its typed methods,
// against a real server whose answers the contract check validates.
func TestGeneratedClientUploadsASheet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ts := httptest.NewServer(e.server.Handler())
		t.Cleanup(ts.Close)
		bearer := func(token string) apiclient.ClientOption {
			return apiclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
				req.Header.Set("Authorization", "Bearer "+token)
				return nil
			})
		}
		c, err := apiclient.NewClientWithResponses(ts.URL, bearer(e.as(O)))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()

		fair, err := c.PostJobFairsWithResponse(ctx, apiclient.PostJobFairsJSONRequestBody{Name: "Feria del Empleo Saltillo",
			State: apiclient.StateCode("MX-COA"), StartsOn: &openapi_types.Date{Time: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)},
			EndsOn: &openapi_types.Date{Time: time.Date(2027, 2, 2, 0, 0, 0, 0, time.UTC)}})
		if err != nil || fair.JSON201 == nil {
			t.Fatalf("create the fair: %v %d %s", err, fair.StatusCode(), fair.Body)
		}

		sheet, err := os.ReadFile(filepath.Join("..", "importer", "testdata", "vacantes_feria.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		var form bytes.Buffer
		w := multipart.NewWriter(&form)
		_ = w.WriteField("mode", string(apiclient.ImportMode("valid_rows")))
		fw, err := w.CreateFormFile("file", "vacantes_feria.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(sheet)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		accepted, err := c.PostJobFairsIdImportsWithBodyWithResponse(ctx, fair.JSON201.Id, w.FormDataContentType(), &form)
		if err != nil || accepted.JSON202 == nil {
			t.Fatalf("upload: %v %d %s", err, accepted.StatusCode(), accepted.Body)
		}

		var job *apiclient.ImportJob
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			got, err := c.GetImportsIdWithResponse(ctx, accepted.JSON202.Id)
			if err != nil || got.JSON200 == nil {
				t.Fatalf("read the import: %v %d %s", err, got.StatusCode(), got.Body)
			}
			if job = got.JSON200; job.Status == apiclient.ImportStatus("succeeded") || job.Status == apiclient.ImportStatus("failed") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("import still %s after 60 s", job.Status)
			}
		}
		if job.Status != apiclient.ImportStatus("succeeded") || job.Created == 0 || job.JobFairId != fair.JSON201.Id {
			b, _ := json.Marshal(job)
			t.Fatalf("the import: %s", b)
		}

		fairID := fair.JSON201.Id
		list, err := c.GetVacanciesWithResponse(ctx, &apiclient.GetVacanciesParams{JobFairId: &fairID, Limit: ptrTo(int32(100))})
		if err != nil || list.JSON200 == nil {
			t.Fatalf("list the fair's vacancies: %v %d %s", err, list.StatusCode(), list.Body)
		}
		if int64(len(list.JSON200.Items)) != job.Created {
			t.Fatalf("%d vacancies listed, %d created", len(list.JSON200.Items), job.Created)
		}
		for _, v := range list.JSON200.Items {
			if v.JobFairId == nil || *v.JobFairId != fairID || v.Title == "" || v.Status != apiclient.VacancyStatus("open") {
				b, _ := json.Marshal(v)
				t.Fatalf("imported vacancy: %s", b)
			}
		}
	})
}

func ptrTo[T any](v T) *T { return &v }

// TestGeneratedClientIsCurrent: internal/apiclient was generated from the document the
// server serves; after a change to the routes or their types, `make openapi-client`
// regenerates it.
func TestGeneratedClientIsCurrent(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	served := e.do("GET", "/api/v1/openapi.json", "", nil)
	doc, err := api.Document()
	if err != nil {
		t.Fatal(err)
	}
	built, _ := json.Marshal(doc)
	var a, b any
	if err := json.Unmarshal(served.body, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(built, &b); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "internal", "apiclient", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c any
	if err := json.Unmarshal(committed, &c); err != nil {
		t.Fatal(err)
	}
	sa, _ := json.Marshal(a)
	sb, _ := json.Marshal(b)
	sc, _ := json.Marshal(c)
	if !bytes.Equal(sa, sb) {
		t.Fatal("api.Document differs from the document the server serves")
	}
	if !bytes.Equal(sa, sc) {
		t.Fatal("internal/apiclient/openapi.json is not the served document: run `make openapi-client`")
	}
}
