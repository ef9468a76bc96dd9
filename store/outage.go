package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err says that the database cannot serve now rather than
// that the request was wrong or the code is: the connection was refused, lost or
// closed, PostgreSQL is shutting down, starting or out of connections, the pool is
// closed, or SQLite stayed locked past its busy timeout. Such a condition passes by
// itself (the pool reconnects), so the API answers 503 with Retry-After instead of 500.
// A refused password is not one of them: it is a fault of the deployment and stays one.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case strings.HasPrefix(pg.Code, "28"): // invalid authorization
			return false
		case strings.HasPrefix(pg.Code, "08"), // connection exception
			pg.Code == "57P01", // admin_shutdown (pg_terminate_backend, a fast shutdown)
			pg.Code == "57P02", // crash_shutdown
			pg.Code == "57P03", // cannot_connect_now (starting up, shutting down, recovering)
			pg.Code == "53300": // too_many_connections
			return true
		}
	}
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		return true
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED: the busy timeout ran out
			return true
		}
	}
	var netErr net.Error
	switch {
	case errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, sql.ErrConnDone), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &netErr):
		return true
	}
	// database/sql does not export the error of a closed pool.
	return strings.Contains(err.Error(), "sql: database is closed")
}
