package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/pushtime"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// maxWalked is the most candidates whose images a read inspects for
// platform and min_age.
const maxWalked = 20

// What min_age counts from (age_from).
const (
	ageAuto    = "auto"
	agePush    = "push"
	ageCreated = "created"
)

// chosenTag is the outcome of choose: the tag, its digest, the time its
// age was measured from and which time that was, what the walk over the
// candidates rejected, and the warnings it met.
type chosenTag struct {
	tag, digest string
	age         time.Time
	ageSource   string // agePush or ageCreated; "" without min_age
	signedBy    string // "" without signature
	walked      walkCounts
	warnings    diag.Diagnostics
}

// walkCounts counts the candidates the walk rejected, by rule.
type walkCounts struct {
	platform, age, signature int
	// unsigned is the newest candidate that signature rejected, and what
	// was found instead of a valid signature.
	unsigned, unsignedWhy string
	// gone counts the candidates deleted since the list was read.
	gone int
	// capped is true when candidates were left unread at maxWalked.
	capped bool
	// tooNew is the newest candidate that min_age rejected, with the
	// time its age was measured from (zero when it had none) and which.
	tooNew               string
	tooNewAt             time.Time
	tooNewSource         string
	pushUnread, fromPush bool
}

// noPushTimeError is age_from = "push" on a registry whose push times the
// provider cannot read.
type noPushTimeError struct {
	api pushtime.Type
}

func (e *noPushTimeError) Error() string { return "no push time" }

// pushTimeError is an API read that failed under age_from = "push".
type pushTimeError struct{ err error }

func (e *pushTimeError) Error() string { return e.err.Error() }
func (e *pushTimeError) Unwrap() error { return e.err }

// clock reads the time a candidate's age counts from.
type clock struct {
	d    *providerData
	img  names.Repository
	list *registry.TagList
	from string
	// push is true while push times are read; an API that fails under
	// auto turns it off for the rest of the read.
	push bool
}

// pushTime returns tag's push time and true, or false when its age is to
// be measured from its creation time. A tag the API does not know has no
// push time: too new under push, its creation time under auto.
func (c *clock) pushTime(ctx context.Context, tag string, next []string, out *chosenTag) (time.Time, bool, error) {
	if !c.push {
		return time.Time{}, false, nil
	}
	at, known, err := c.d.client.PushTime(ctx, c.img, c.list, tag, next)
	switch {
	case errors.Is(err, registry.ErrNoPushTimeAPI):
		if c.from == agePush {
			return time.Time{}, false, &noPushTimeError{api: c.d.client.PushAPI(c.img).Type}
		}
		c.push = false
		return time.Time{}, false, nil
	case err != nil:
		if c.from == agePush {
			return time.Time{}, false, &pushTimeError{err: err}
		}
		out.warnings.Append(pushTimeNotRead(c.img, err))
		out.walked.pushUnread = true
		c.push = false
		return time.Time{}, false, nil
	case known || c.from == agePush:
		return at, true, nil
	}
	return time.Time{}, false, nil
}

// choose returns the newest candidate that the rules keep: the first of
// sel's candidates without platform and min_age, else the first, walking
// from the newest, whose image has the platform and is old enough.
func (d *providerData) choose(ctx context.Context, img names.Repository, list *registry.TagList, sel tagfilter.Selection, a latestTagArgs) (chosenTag, error) {
	if !a.walks() {
		facts, err := d.client.Inspect(ctx, img, list, sel.Tag, registry.Want{})
		if err != nil {
			return chosenTag{}, err
		}
		return chosenTag{tag: sel.Tag, digest: facts.Digest}, nil
	}
	var out chosenTag
	c := &clock{d: d, img: img, list: list, from: a.ageFrom, push: a.minAge > 0 && a.ageFrom != ageCreated}
	now := time.Now()
	tooNew := func(at time.Time) bool { return a.minAge > 0 && (at.IsZero() || now.Sub(at) < a.minAge) }
	for i, tag := range sel.Candidates {
		at, fromPush, err := c.pushTime(ctx, tag, sel.Candidates[i+1:], &out)
		if err != nil {
			return chosenTag{}, err
		}
		source := ageCreated
		if fromPush {
			source = agePush
			out.walked.fromPush = true
			if a.platform == nil && tooNew(at) {
				out.walked.rejectAge(tag, at, source) // no image read needed
				continue
			}
		}
		facts, err := d.client.Inspect(ctx, img, list, tag, registry.Want{Platform: a.platform, Created: a.minAge > 0 && !fromPush})
		var re *registry.Error
		if errors.As(err, &re) && re.Kind == registry.KindNotFound {
			out.walked.gone++ // deleted since the list was read: skipped
			continue
		}
		if err != nil {
			return chosenTag{}, err
		}
		if !fromPush {
			at = facts.Created
		}
		switch {
		case !facts.HasPlatform:
			out.walked.platform++
		case tooNew(at):
			out.walked.rejectAge(tag, at, source)
		default:
			if a.signature != nil {
				v, err := d.signatureOf(ctx, img, list, facts.TagDigest, walkedPlatformDigest(a, facts), a.signature)
				if err != nil {
					return chosenTag{}, err
				}
				if v.signedBy == "" {
					out.walked.rejectSignature(tag, v)
					continue
				}
				out.signedBy = v.signedBy
			}
			out.tag, out.digest = tag, facts.Digest
			if a.minAge > 0 {
				out.age, out.ageSource = at, source
			}
			return out, nil
		}
	}
	out.walked.capped = sel.Kept > len(sel.Candidates)
	return out, nil
}

// walkedPlatformDigest is the platform's manifest digest of facts, "" without a
// platform rule.
func walkedPlatformDigest(a latestTagArgs, facts *registry.ImageFacts) string {
	if a.platform == nil {
		return ""
	}
	return facts.Digest
}

// rejectSignature counts a candidate that signature rejected, and
// remembers the newest such.
func (w *walkCounts) rejectSignature(tag string, v verdict) {
	w.signature++
	if w.unsigned == "" {
		w.unsigned, w.unsignedWhy = tag, v.describe()
	}
}

// rejectAge counts a candidate that min_age rejected, and remembers the
// newest such.
func (w *walkCounts) rejectAge(tag string, at time.Time, source string) {
	w.age++
	if w.tooNew == "" {
		w.tooNew, w.tooNewAt, w.tooNewSource = tag, at, source
	}
}

// ageDetail says, for a read that min_age left without a tag, what the
// ages were measured from and when the newest candidate it rejected
// becomes old enough.
func (w walkCounts) ageDetail(minAge time.Duration) string {
	if w.age == 0 {
		return ""
	}
	from := "their creation time"
	switch {
	case w.fromPush && w.tooNewSource == agePush:
		from = "their push time, as the registry reports it"
	case w.pushUnread:
		from = "their creation time, as the registry's API could not be read"
	}
	detail := fmt.Sprintf(" min_age rejected %d candidates as younger than %s, measured from %s", w.age, formatAge(minAge), from)
	if w.tooNewAt.IsZero() {
		return detail + fmt.Sprintf("; %s has no usable %s time.", w.tooNew, sourceNoun(w.tooNewSource))
	}
	return detail + fmt.Sprintf("; %s is old enough on %s.", w.tooNew, w.tooNewAt.Add(minAge).UTC().Format("2006-01-02 15:04 UTC"))
}

func sourceNoun(source string) string {
	if source == agePush {
		return "push"
	}
	return "creation"
}

// formatAge writes a minimum age in days and hours ("7d", "1d12h", "36m").
func formatAge(d time.Duration) string {
	day := 24 * time.Hour
	if d >= day && d%day == 0 {
		return fmt.Sprintf("%dd", d/day)
	}
	return d.String()
}

// walkError is the diagnostic of a failed choose: a push time that could
// not be read, a trusted root that could not be fetched, or an image (a
// digest, without a walk) that could not be read.
func walkError(err error, img names.Repository, a latestTagArgs) diag.Diagnostic {
	var noPush *noPushTimeError
	var pushErr *pushTimeError
	var rootErr *trustedRootError
	switch {
	case errors.As(err, &noPush):
		return noPushTime(img, noPush.api)
	case errors.As(err, &pushErr):
		return cannotReadPushTime(img, pushErr.err)
	case errors.As(err, &rootErr):
		return cannotFetchTrustedRoot(rootErr.err)
	case a.walks():
		return cannotReadImage(err)
	default:
		return cannotReadDigest(err)
	}
}

// newestOf selects among list's tags by a's filter and rules and chooses
// the newest that the walk keeps: chosen.tag is "" when none is, with sel
// and chosen.walked saying why.
func (d *providerData) newestOf(ctx context.Context, img names.Repository, list *registry.TagList, a latestTagArgs) (chosenTag, tagfilter.Selection, error) {
	sel := a.filter.SelectWith(list.Tags, a.rules, a.shown())
	if !sel.Found() {
		return chosenTag{}, sel, nil
	}
	chosen, err := d.choose(ctx, img, list, sel, a)
	return chosen, sel, err
}
