package clientele

import (
	"testing"
	"time"
)

func TestTimeRangeMicros(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 123456000, time.UTC)
	r := TimeRange{From: at.Add(500), To: at.Add(999)}.Micros()
	if !r.From.Equal(at.Add(time.Microsecond)) || !r.To.Equal(at) {
		t.Errorf("Micros of a sub-µs range = %v…%v, want %v…%v", r.From, r.To, at.Add(time.Microsecond), at)
	}
	if r := (TimeRange{From: at, To: at}).Micros(); !r.From.Equal(at) || !r.To.Equal(at) {
		t.Errorf("Micros of whole µs = %v…%v, want both %v", r.From, r.To, at)
	}
	// A To within the first microsecond after the zero time must stay a
	// bound (before every stored instant), not become "open".
	if r := (TimeRange{To: time.Time{}.Add(500)}).Micros(); r.To.IsZero() || !r.To.Before(time.Time{}) {
		t.Errorf("Micros of To = zero+500ns = %v, want a bound before the zero time", r.To)
	}
	if r := (TimeRange{}).Micros(); !r.IsZero() {
		t.Errorf("Micros of the open range = %+v", r)
	}
}
