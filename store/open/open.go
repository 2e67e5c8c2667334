package open

import (
	"context"
	"strings"

	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/postgres"
	"github.com/truce-monitor/truce/store/sqlite"
)

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store named by dsn and applies its pending migrations.
func Open(ctx context.Context, dsn string) (store.Store, error) {
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite://"))
}
