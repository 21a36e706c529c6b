package sim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ParseFaults reads the --faults flag syntax: faults separated by ";",
// each "kind" or "kind:key=value,key=value". Kinds are the FaultKind
// values (latency, throttle, unavailable, hang, reset-before, reset-after,
// malformed, empty-page, page-cap, batch-throttle, expired-token,
// claims-challenge). Keys:
//
//	op=patchStage      match an operation (see Operation)
//	method=PATCH       match an HTTP method
//	path=/stages/      match a substring of the path
//	batch=true         match requests inside $batch instead
//	skip=N count=N     let N matches pass first / fault N matches, then stop
//	p=0.1              fault each match with this probability
//	delay=250ms        latency to add (latency)
//	retry-after=2.128  Retry-After header value (throttle, unavailable, batch-throttle)
//	status=504         status for unavailable (503 or 504)
//
// Example: "throttle:op=listAccessPackageRequests,count=2,retry-after=2.128;reset-after:op=patchStage,count=1".
func ParseFaults(spec string) ([]Fault, error) {
	var out []Fault
	for _, item := range strings.FieldsFunc(spec, func(r rune) bool { return r == ';' || r == '\n' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		f, err := parseFault(item)
		if err != nil {
			return nil, fmt.Errorf("fault %q: %w", item, err)
		}
		out = append(out, f)
	}
	return out, nil
}

var faultKinds = []FaultKind{FaultLatency, FaultThrottle, FaultUnavailable, FaultHang, FaultResetBefore,
	FaultResetAfter, FaultMalformed, FaultEmptyPage, FaultPageCap, FaultBatchThrottle, FaultExpiredToken, FaultClaimsChallenge}

func parseFault(item string) (Fault, error) {
	kind, opts, _ := strings.Cut(item, ":")
	f := Fault{Kind: FaultKind(strings.ToLower(strings.TrimSpace(kind)))}
	if !slices.Contains(faultKinds, f.Kind) {
		return f, fmt.Errorf("unknown kind %q (want one of %v)", kind, faultKinds)
	}
	for _, kv := range strings.Split(opts, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return f, fmt.Errorf("%q is not key=value", kv)
		}
		if err := f.set(strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)); err != nil {
			return f, err
		}
	}
	return f, f.validate()
}

func (f *Fault) set(k, v string) error {
	var err error
	switch k {
	case "op":
		f.Op = Operation(v)
		if !slices.Contains(knownOps, f.Op) {
			return fmt.Errorf("unknown op %q (want one of %v)", v, knownOps)
		}
	case "method":
		f.Method = strings.ToUpper(v)
	case "path":
		f.Path = v
	case "batch":
		f.InBatch, err = strconv.ParseBool(v)
	case "skip":
		f.Skip, err = strconv.Atoi(v)
	case "count":
		f.Count, err = strconv.Atoi(v)
	case "p", "probability":
		f.Probability, err = strconv.ParseFloat(v, 64)
	case "delay":
		f.Delay, err = time.ParseDuration(v)
	case "retry-after":
		if _, perr := strconv.ParseFloat(v, 64); perr != nil {
			return fmt.Errorf("retry-after=%q is not a number of seconds", v)
		}
		f.RetryAfter = v
	case "status":
		f.Status, err = strconv.Atoi(v)
	default:
		return fmt.Errorf("unknown key %q", k)
	}
	if err != nil {
		return fmt.Errorf("%s=%q: %v", k, v, err)
	}
	return nil
}

func (f Fault) validate() error {
	switch {
	case f.Skip < 0 || f.Count < 0:
		return fmt.Errorf("skip and count must not be negative")
	case f.Probability < 0 || f.Probability > 1:
		return fmt.Errorf("p must be between 0 and 1")
	case f.Kind == FaultLatency && f.Delay <= 0:
		return fmt.Errorf("latency needs delay=DURATION")
	case f.Kind != FaultLatency && f.Delay != 0:
		return fmt.Errorf("delay only applies to latency")
	case f.Kind == FaultUnavailable && f.Status != 0 && f.Status != 503 && f.Status != 504:
		return fmt.Errorf("status must be 503 or 504")
	case f.Kind != FaultUnavailable && f.Status != 0:
		return fmt.Errorf("status only applies to unavailable")
	}
	return nil
}

// String renders the fault in ParseFaults syntax.
func (f Fault) String() string {
	var opts []string
	add := func(k, v string) { opts = append(opts, k+"="+v) }
	if f.Op != "" {
		add("op", string(f.Op))
	}
	if f.Method != "" {
		add("method", f.Method)
	}
	if f.Path != "" {
		add("path", f.Path)
	}
	if f.InBatch && f.Kind != FaultBatchThrottle {
		add("batch", "true")
	}
	if f.Skip != 0 {
		add("skip", strconv.Itoa(f.Skip))
	}
	if f.Count != 0 {
		add("count", strconv.Itoa(f.Count))
	}
	if f.Probability != 0 {
		add("p", strconv.FormatFloat(f.Probability, 'g', -1, 64))
	}
	if f.Delay != 0 {
		add("delay", f.Delay.String())
	}
	if f.RetryAfter != "" {
		add("retry-after", f.RetryAfter)
	}
	if f.Status != 0 {
		add("status", strconv.Itoa(f.Status))
	}
	if len(opts) == 0 {
		return string(f.Kind)
	}
	return string(f.Kind) + ":" + strings.Join(opts, ",")
}
