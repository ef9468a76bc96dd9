package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/webhooks"
)

// webhookRequest registers an endpoint. Employers register their own; an admin names
// the employer.
type webhookRequest struct {
	URL        string                `json:"url"`
	Events     []models.WebhookEvent `json:"events"`
	EmployerID string                `json:"employer_id,omitempty"`
}

// webhookCreated is the registered endpoint with its signing secret, shown only here.
type webhookCreated struct {
	models.Webhook
	Secret string `json:"secret"`
	// SignatureHeader says how deliveries are signed.
	SignatureHeader string `json:"signature_header"`
}

func (s *Server) webhookRoutes() []route {
	owners := []models.Role{models.RoleEmployer, models.RoleAdmin}
	return []route{
		{method: "POST", path: "/api/v1/webhooks", summary: "Register a webhook endpoint (https) and the events it wants; the signing secret is shown once",
			roles: owners, handle: s.createWebhook, request: webhookRequest{}, response: webhookCreated{}, status: http.StatusCreated},
		{method: "GET", path: "/api/v1/webhooks", summary: "List webhook endpoints (an employer's own; all, or ?employer_id=, for admins)",
			roles: owners, handle: s.listWebhooks, response: listResponse[models.Webhook]{}, query: []string{"employer_id", "limit", "cursor"}},
		{method: "GET", path: "/api/v1/webhooks/:id", summary: "Read a webhook endpoint: status, and why it was disabled",
			roles: owners, handle: s.getWebhook, response: models.Webhook{}},
		{method: "DELETE", path: "/api/v1/webhooks/:id", summary: "Remove a webhook endpoint and its delivery log",
			roles: owners, handle: s.deleteWebhook, status: http.StatusNoContent},
		{method: "POST", path: "/api/v1/webhooks/:id/enable", summary: "Re-enable an endpoint disabled after failing; the deliveries that waited are sent",
			roles: owners, handle: s.enableWebhook, response: models.Webhook{}},
		{method: "GET", path: "/api/v1/webhooks/:id/deliveries", summary: "The endpoint's delivery log, oldest first (payload, attempts, last answer)",
			roles: owners, handle: s.listDeliveries, response: listResponse[models.WebhookDelivery]{}, query: []string{"limit", "cursor"}},
		{method: "POST", path: "/api/v1/webhooks/:id/deliveries/:delivery_id/replay", summary: "Send a delivery's event again (same event_id and payload), as a new delivery",
			roles: owners, handle: s.replayDelivery, response: models.WebhookDelivery{}, status: http.StatusAccepted},
	}
}

func (s *Server) createWebhook(c *gin.Context) {
	var req webhookRequest
	if !s.bind(c, &req, false) {
		return
	}
	u := userOf(c)
	var fe models.FieldErrors
	employer := req.EmployerID
	if u.Role == models.RoleEmployer {
		if employer != "" && employer != u.EmployerID {
			fe.Add("employer_id", "an employer registers webhooks for itself only")
		}
		employer = u.EmployerID
	} else if employer == "" {
		fe.Add("employer_id", "is required")
	}
	req.URL = strings.TrimSpace(req.URL)
	if err := webhooks.CheckURL(req.URL, s.cfg.WebhooksAllowLoopbackHTTP); err != nil {
		fe.Add("url", "%s", err.Error())
	}
	var events []models.WebhookEvent
	if len(req.Events) == 0 {
		fe.Add("events", "name at least one of %v", models.WebhookEvents)
	}
	for i, ev := range req.Events {
		if !slices.Contains(models.WebhookEvents, ev) {
			fe.Add("events", "item %d: %q is not one of %v", i, ev, models.WebhookEvents)
		} else if !slices.Contains(events, ev) {
			events = append(events, ev)
		}
	}
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	w := models.Webhook{EmployerID: employer, URL: req.URL, Events: events, CreatedBy: u.ID}
	secret := webhooks.NewSecret()
	if err := s.store.CreateWebhook(c.Request.Context(), &w, secret); err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, webhookCreated{Webhook: w, Secret: secret,
		SignatureHeader: webhooks.SignatureHeader + ": t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>"})
}

// ownWebhook reads the endpoint of the path when the caller may manage it; another
// employer's endpoint is answered as not found, so its existence does not leak.
func (s *Server) ownWebhook(c *gin.Context) (models.Webhook, bool) {
	w, err := s.store.Webhook(c.Request.Context(), c.Param("id"))
	if err == nil {
		if u := userOf(c); u.Role == models.RoleEmployer && w.EmployerID != u.EmployerID {
			err = models.Errorf(models.ErrNotFound, "webhook %s not found", c.Param("id"))
		}
	}
	if err != nil {
		s.writeError(c, err)
		return models.Webhook{}, false
	}
	return w, true
}

func (s *Server) listWebhooks(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	employer := c.Query("employer_id")
	if u := userOf(c); u.Role == models.RoleEmployer {
		employer = u.EmployerID
	}
	items, more, err := s.store.ListWebhooks(c.Request.Context(), employer, store.Page{After: after, Limit: limit})
	respondList(s, c, items, more, err)
}

func (s *Server) getWebhook(c *gin.Context) {
	if w, ok := s.ownWebhook(c); ok {
		s.respond(c, http.StatusOK, w)
	}
}

func (s *Server) deleteWebhook(c *gin.Context) {
	w, ok := s.ownWebhook(c)
	if !ok {
		return
	}
	if err := s.store.DeleteWebhook(c.Request.Context(), w.ID); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) enableWebhook(c *gin.Context) {
	w, ok := s.ownWebhook(c)
	if !ok {
		return
	}
	w, err := s.store.EnableWebhook(c.Request.Context(), w.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, w)
}

func (s *Server) listDeliveries(c *gin.Context) {
	w, ok := s.ownWebhook(c)
	if !ok {
		return
	}
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	items, more, err := s.store.WebhookDeliveries(c.Request.Context(), w.ID, store.Page{After: after, Limit: limit})
	respondList(s, c, items, more, err)
}

func (s *Server) replayDelivery(c *gin.Context) {
	w, ok := s.ownWebhook(c)
	if !ok {
		return
	}
	d, err := s.store.ReplayDelivery(c.Request.Context(), w.ID, c.Param("delivery_id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusAccepted, d)
}
