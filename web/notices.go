package web

import (
	"net/http"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// noticesShown is how many notices the page lists, newest last: a counsellor reads
// them as a day's news, not as an archive.
const noticesShown = 100

// notices lists the reader's notices (a counsellor's saved-search alerts, an employer's
// disabled webhook endpoint), through the alerts use case the API's GET /notices calls.
func (s *Server) notices(w http.ResponseWriter, r *http.Request, p *Page) {
	if s.cfg.Alerts == nil {
		s.fail(w, r, p, models.Errorf(models.ErrNotFound, "the console runs without saved searches"))
		return
	}
	items, more, err := s.cfg.Alerts.Notices(r.Context(), p.User, store.Page{Limit: noticesShown})
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, p, "notices", map[string]any{"Notices": items, "More": more})
}
