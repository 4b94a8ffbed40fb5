package calendar

import (
	"sync"

	"github.com/rickar/cal/v2/lv"
)

// Workdays answers whether a day is a Latvian working day: Monday to Friday except public
// holidays (with the weekend transfers of 4 May and 18 November), minus the supplier's extra
// holidays, plus its extra working days (working Saturdays). Safe for concurrent use.
type Workdays struct {
	extraHolidays map[Date]bool
	extraWorking  map[Date]bool

	mu    sync.Mutex
	years map[int]map[Date]bool // public holidays by year, computed once
}

// NewWorkdays returns the Latvian calendar with the given extra holidays and working days.
func NewWorkdays(extraHolidays, extraWorkingDays []Date) *Workdays {
	w := &Workdays{
		extraHolidays: make(map[Date]bool, len(extraHolidays)),
		extraWorking:  make(map[Date]bool, len(extraWorkingDays)),
		years:         make(map[int]map[Date]bool),
	}
	for _, d := range extraHolidays {
		w.extraHolidays[d] = true
	}
	for _, d := range extraWorkingDays {
		w.extraWorking[d] = true
	}
	return w
}

// IsWorkday reports whether d is a working day.
func (w *Workdays) IsWorkday(d Date) bool {
	if w.extraWorking[d] {
		return true
	}
	if w.extraHolidays[d] {
		return false
	}
	switch d.Weekday() {
	case 0, 6:
		return false
	}
	return !w.publicHoliday(d)
}

// NextWorkday is the first working day strictly after d.
func (w *Workdays) NextWorkday(d Date) Date {
	for d = d.AddDays(1); !w.IsWorkday(d); d = d.AddDays(1) {
	}
	return d
}

// OnOrAfter is d when it is a working day, otherwise the next one.
func (w *Workdays) OnOrAfter(d Date) Date {
	if w.IsWorkday(d) {
		return d
	}
	return w.NextWorkday(d)
}

func (w *Workdays) publicHoliday(d Date) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	days, ok := w.years[d.Year()]
	if !ok {
		days = make(map[Date]bool)
		for _, h := range lv.Holidays {
			actual, observed := h.Calc(d.Year())
			if !actual.IsZero() {
				days[NewDate(actual.Year(), actual.Month(), actual.Day())] = true
			}
			if !observed.IsZero() {
				days[NewDate(observed.Year(), observed.Month(), observed.Day())] = true
			}
		}
		w.years[d.Year()] = days
	}
	return days[d]
}
