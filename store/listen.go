package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// feedChannel is the PostgreSQL notification channel a commit that wrote to the change
// feed notifies (pg_notify in the same transaction, so the notification goes out at
// commit, and never for a transaction that rolled back).
const feedChannel = "vincula_changes"

// The pause before the listener reconnects after losing its connection: doubled at
// each failure in a row, up to the longest.
const (
	firstListenRetry = 250 * time.Millisecond
	maxListenRetry   = 10 * time.Second
)

// Listen wakes this store's Changed channel whenever any process commits to the change
// feed of the shared PostgreSQL database, so that the index follower of every replica
// applies a write at once instead of at its next poll. It holds one connection of its
// own (outside the pool) with LISTEN, reconnects when it loses it (signalling Changed
// once reconnected, for what was committed meanwhile) and returns nil when ctx ends.
// The follower's poll stays the safety net for whatever a notification misses. On
// SQLite, whose writers other than this process are only the command line's, it
// returns at once.
func (s *Store) Listen(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	pause := firstListenRetry
	for {
		err := s.listenOnce(ctx, func() { pause = firstListenRetry })
		if ctx.Err() != nil {
			return nil
		}
		s.log.Warn("store: the change-feed listener lost its connection; the poll covers the gap until it reconnects",
			slog.Duration("retry_in", pause), slog.Any("err", err))
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		pause = min(2*pause, maxListenRetry)
	}
}

// listenOnce connects, listens and forwards notifications until the connection fails
// or ctx ends; connected is called once the LISTEN is in place.
func (s *Store) listenOnce(ctx context.Context, connected func()) error {
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+feedChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	connected()
	// Whatever was committed while no connection listened is applied now.
	s.signalChanged()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		s.signalChanged()
	}
}

// signalChanged wakes the follower without blocking: one pending wake-up covers any
// number of commits, since a catch-up applies the whole feed.
func (s *Store) signalChanged() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}
