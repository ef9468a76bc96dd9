package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/vincula/vincula/api"
)

// vacancySweepEvery is how often the server closes the vacancies whose end date has
// passed; matching already leaves them out in between.
const vacancySweepEvery = 10 * time.Minute

// closeEndedVacancies closes ended vacancies at once and then every vacancySweepEvery
// until ctx ends. Several servers on one database may all run it: a vacancy already
// closed is not closed again.
func (m *Main) closeEndedVacancies(ctx context.Context, srv *api.Server) {
	t := time.NewTicker(vacancySweepEvery)
	defer t.Stop()
	for {
		if _, err := srv.CloseEndedVacancies(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("close the vacancies whose end date passed", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepAlerts sends the saved searches' alerts and the candidates.qualified events
// every interval (5 minutes when 0) until ctx ends. Several servers may all run it:
// each person is announced once per search or vacancy.
func (m *Main) sweepAlerts(ctx context.Context, srv *api.Server, every time.Duration) {
	if every <= 0 {
		every = 5 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rep, err := srv.SweepAlerts(ctx, m.now())
		if err != nil && ctx.Err() == nil {
			m.log.Warn("saved-search alerts and candidates.qualified", slog.Any("err", err))
		} else if rep.SearchAlerts+rep.Qualified > 0 {
			m.log.Info("alerts sent", slog.Int("search_alerts", rep.SearchAlerts), slog.Int("candidates_qualified", rep.Qualified),
				slog.Int("people", rep.People))
		}
	}
}
