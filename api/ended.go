package api

import (
	"context"
	"log/slog"
)

// CloseEndedVacancies closes the open and paused vacancies whose end date is before
// today in Mexico City on the server's clock (see store.CloseEndedVacancies) and
// returns how many it closed. The command runs it at start and then periodically;
// matching leaves ended vacancies out in between.
func (s *Server) CloseEndedVacancies(ctx context.Context) (int, error) {
	ids, err := s.store.CloseEndedVacancies(ctx, s.today())
	if err != nil {
		return 0, err
	}
	if len(ids) > 0 {
		s.log.Info("vacancies whose end date passed were closed", slog.Int("count", len(ids)), slog.String("today", s.today().String()))
	}
	return len(ids), nil
}
