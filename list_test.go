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
	if r := (TimeRange{}).Micros(); !r.IsZero() {
		t.Errorf("Micros of the open range = %+v", r)
	}
}
