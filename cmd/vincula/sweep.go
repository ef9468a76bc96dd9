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
