package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/fairs"
	"github.com/vincula/vincula/importer"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

func (s *Server) importRoutes() []route {
	organisers := []models.Role{models.RoleOrganiser, models.RoleAdmin}
	return []route{
		{method: "POST", path: "/api/v1/job-fairs/:id/imports",
			summary: "Import the fair's vacancies from a spreadsheet (the fair's organiser, admin). multipart/form-data: file (CSV, XLSX or JSON), mode (all_or_nothing, the default, or valid_rows), dry_run (true or false), sheet (an XLSX sheet; the first by default). Answers 202 at once; the import runs in the background",
			roles:   organisers, handle: s.createImport, response: importAccepted{}, status: http.StatusAccepted, upload: true},
		{method: "GET", path: "/api/v1/imports/:id", summary: "An import's status, progress, counts and the errors of its rows (the fair's organiser, admin)",
			roles: organisers, handle: s.getImport, response: models.ImportJob{}},
	}
}

// importAccepted answers an upload: the job to follow at GET /api/v1/imports/{id}.
type importAccepted struct {
	ID     string              `json:"id"`
	Status models.ImportStatus `json:"status"`
}

// uploadExtensions are the file names an upload may have: the importer reads these
// (and sniffs the content of files without an extension). Anything else is refused
// at once rather than queued to fail, so the organiser hears it while still at the
// upload form.
var uploadExtensions = map[string]bool{"": true, ".csv": true, ".txt": true, ".tsv": true, ".xlsx": true, ".xlsm": true, ".json": true}

// importForm is what an upload sends besides the file.
type importForm struct {
	mode   models.ImportMode
	dryRun bool
	sheet  string
}

func (s *Server) createImport(c *gin.Context) {
	ctx := c.Request.Context()
	u := userOf(c)
	fair, err := s.fairs.ImportInto(ctx, u, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if c.Request.ContentLength > s.cfg.MaxUploadBytes {
		s.tooLarge(c)
		return
	}
	// A spreadsheet of tens of megabytes from a hub's connection takes longer than the
	// server's read and write timeouts allow any other request. (Not every writer has
	// deadlines, a test recorder for one; then there is nothing to extend.)
	// The limit is a timer rather than a deadline computed from a clock reading, so the
	// process clock (injected, and moved by tests) never decides a network deadline.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	expired := time.AfterFunc(s.cfg.UploadTimeout, func() {
		past := time.Unix(1, 0)
		_ = rc.SetReadDeadline(past)
		_ = rc.SetWriteDeadline(past)
	})
	defer expired.Stop()
	id := fairs.NewJobID()
	up, form, ok := s.receiveUpload(c, id)
	if !ok {
		return
	}
	job, err := s.fairs.Start(ctx, u, fair, id, fairs.Upload{Path: up.saved, Name: filepath.Base(up.name),
		Mode: form.mode, DryRun: form.dryRun, Sheet: form.sheet})
	if errors.Is(err, fairs.ErrShuttingDown) {
		// The job stays queued and is marked failed once its lease has run out, like
		// any import the server could not finish.
		s.fail(c, http.StatusServiceUnavailable, "shutting-down", "Shutting down", err.Error())
		return
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/imports/"+job.ID)
	s.respond(c, http.StatusAccepted, importAccepted{ID: job.ID, Status: job.Status})
}

// upload is where an uploaded file was saved and the name the client gave it.
type upload struct{ saved, name string }

// receiveUpload streams the multipart body: the file part goes straight to disk as
// <jobID><ext> in the upload directory (never whole into memory), the other parts are
// small fields. It answers the request itself and reports false on any problem,
// leaving no file behind.
func (s *Server) receiveUpload(c *gin.Context, jobID string) (upload, importForm, bool) {
	var up upload
	form := importForm{mode: models.ImportAllOrNothing}
	mediaType, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mediaType != "multipart/form-data" {
		s.writeError(c, invalid("file", "is required: send the spreadsheet as multipart/form-data in a part named file (curl -F file=@vacantes.csv)"))
		return up, form, false
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		s.fail(c, http.StatusBadRequest, "malformed", "Malformed request", "the multipart body could not be read: "+err.Error())
		return up, form, false
	}
	var fe models.FieldErrors
	cleanup := func() {
		if up.saved != "" {
			os.Remove(up.saved)
		}
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			cleanup()
			s.uploadFailed(c, err)
			return up, form, false
		}
		switch name := part.FormName(); name {
		case "file":
			if up.saved != "" {
				fe.Add("file", "send one file per import")
				continue
			}
			up.name = part.FileName()
			ext := strings.ToLower(filepath.Ext(up.name))
			if problem := uploadNameProblem(up.name); problem != "" {
				fe.Add("file", "%s", problem)
				continue
			}
			if !uploadExtensions[ext] {
				if ext == ".xls" {
					fe.Add("file", "old Excel .xls files cannot be read: save the sheet as .xlsx or CSV and upload it again")
				} else {
					fe.Add("file", "%q is not a file Vincula reads: upload a CSV, an Excel workbook (.xlsx) or a JSON array", filepath.Base(up.name))
				}
				continue
			}
			up.saved = filepath.Join(s.cfg.UploadDir, jobID+ext)
			if err := saveUpload(part, up.saved); err != nil {
				cleanup()
				s.uploadFailed(c, err)
				return up, form, false
			}
		case "mode", "dry_run", "sheet":
			value, err := io.ReadAll(io.LimitReader(part, 1<<10))
			if err != nil {
				cleanup()
				s.uploadFailed(c, err)
				return up, form, false
			}
			v := strings.TrimSpace(string(value))
			switch name {
			case "mode":
				switch models.ImportMode(v) {
				case models.ImportAllOrNothing, models.ImportValidRows:
					form.mode = models.ImportMode(v)
				case "":
				default:
					fe.Add("mode", "must be %s or %s", models.ImportAllOrNothing, models.ImportValidRows)
				}
			case "dry_run":
				if v != "" {
					b, err := strconv.ParseBool(v)
					if err != nil {
						fe.Add("dry_run", "must be true or false")
					}
					form.dryRun = b
				}
			case "sheet":
				// Excel names a sheet in at most 31 characters.
				if !models.CleanText(v) || utf8.RuneCountInString(v) > 31 {
					fe.Add("sheet", "must be a sheet's name: at most 31 characters of UTF-8 text without NUL")
				}
				form.sheet = v
			}
		default:
			fe.Add(name, "is not a field of an import (send file, mode, dry_run and sheet)")
		}
	}
	if up.saved == "" && up.name == "" {
		fe.Add("file", "is required: send the spreadsheet in a part named file")
	}
	if err := fe.Err(); err != nil {
		cleanup()
		s.writeError(c, err)
		return up, form, false
	}
	return up, form, true
}

// saveUpload copies one uploaded file to path.
func saveUpload(r io.Reader, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// uploadFailed answers a body that could not be read: too large, cut off, or a
// server-side problem saving it.
func (s *Server) uploadFailed(c *gin.Context, err error) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.tooLarge(c)
	case errors.Is(err, io.ErrUnexpectedEOF), strings.Contains(err.Error(), "multipart"), errors.As(err, new(textproto.ProtocolError)):
		s.fail(c, http.StatusBadRequest, "malformed", "Malformed request", "the multipart body could not be read: "+err.Error())
	default:
		s.writeError(c, fmt.Errorf("save an upload: %w", err))
	}
}

func (s *Server) tooLarge(c *gin.Context) {
	s.fail(c, http.StatusRequestEntityTooLarge, "too-large", "File too large",
		fmt.Sprintf("an upload may be at most %s; split the sheet into smaller files (each import adds to the fair)", byteSize(s.cfg.MaxUploadBytes)))
}

// byteSize writes n in the largest binary unit that divides it.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func (s *Server) getImport(c *gin.Context) {
	job, err := s.fairs.Job(c.Request.Context(), userOf(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, job)
}

// RunImportJob runs a recorded import job end to end (fairs.RunImportJob).
func RunImportJob(ctx context.Context, st *store.Store, job *models.ImportJob, path string, fair models.JobFair, opts importer.Options, log *slog.Logger) (importer.Result, error) {
	return fairs.RunImportJob(ctx, st, job, path, fair, opts, log)
}
