package jobs

import (
	"context"

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

// deliveryWorkers is how many e-mails go out at once.
const deliveryWorkers = 10
