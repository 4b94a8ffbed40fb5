package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/delivery"
)

// DeliverWorker makes one attempt at a delivery. The delivery's own status, not River's
// retries, carries the SMTP back-off: a temporary failure schedules the next job in the
// transaction that records the attempt. River retries a job only when storage failed.
type DeliverWorker struct {
	river.WorkerDefaults[delivery.Job]
	App *app.App
}

func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[delivery.Job]) error {
	return w.App.Delivery.Attempt(ctx, job.Args)
}

// NextRetry makes the first River retry of a delivery job immediate: it is a job that
// River rescued from a crashed worker (or whose storage failed once), and its e-mail is due
// now; work --until-idle waits for it. Later retries back off as River's default does.
func (w *DeliverWorker) NextRetry(job *river.Job[delivery.Job]) time.Time {
	if job.Attempt <= 1 {
		return time.Now()
	}
	return time.Time{}
}

// deliveryWorkers is how many e-mails go out at once.
const deliveryWorkers = 10

// jobTimeout is River's job timeout under a rescue threshold: River's minute, or the
// threshold when that is shorter (River wants a job to time out before it is rescued).
func jobTimeout(rescueAfter time.Duration) time.Duration {
	if rescueAfter > 0 && rescueAfter < time.Minute {
		return rescueAfter
	}
	return 0
}
