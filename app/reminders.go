package app

import (
	"context"

	"github.com/erekins/erekins/calendar"
)

// Remind queues the readings reminders due on day (see delivery.DueReminders) under the
// App's rules and working-day calendar, and returns how many contracts got one. Each
// contract gets each reminder of a window once, however often it runs.
func (a *App) Remind(ctx context.Context, day calendar.Date) (int, error) {
	days, err := a.Workdays(ctx)
	if err != nil {
		return 0, err
	}
	return a.Delivery.QueueReminders(ctx, a.Config.Rules, days, day)
}
