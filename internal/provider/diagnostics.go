package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/pushtime"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// Every diagnostic the provider raises is made here, so that one failure
// has one wording: the summary names what failed in Title Case, the detail
// says what happened, to which image on which registry, and what the user
// can do.

// invalidValue reports a value its parser rejects, at its attribute: what
// names the value ("timeout", "registry host", "filter").
func invalidValue(at path.Path, what string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Invalid "+titleCase(what), err.Error())
}

// unknownValue reports a provider argument that is not known before the
// plan: the provider must be configured before any data source is read.
func unknownValue(at path.Path) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Value Not Known Before The Plan",
		fmt.Sprintf("%s must be known before the plan: set it from variables or literals, not from resources that are yet to be created.", at))
}

// incompleteCredentials reports an auth block that cannot be used.
func incompleteCredentials(at path.Path, detail string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Incomplete Credentials", detail)
}

// repeatedRegistry reports two auth blocks for one registry.
func repeatedRegistry(at path.Path, host string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Repeated Registry",
		fmt.Sprintf("More than one auth block is for %q (Docker Hub's docker.io, index.docker.io and registry-1.docker.io are one registry): keep one.", host))
}

// optionAttributes maps the registry client's options to the provider's
// arguments they come from.
var optionAttributes = map[string]string{
	"Auth":             "auth",
	"DockerConfigFile": "docker_config_file",
	"Insecure":         "insecure_registries",
	"CAFile":           "ca_file",
	"Mirrors":          "mirrors",
	"APIs":             "registry_api",
}

// invalidConfiguration reports a provider configuration the registry
// client cannot use, at the argument it came from when there is one.
func invalidConfiguration(err error) diag.Diagnostic {
	const summary = "Invalid Provider Configuration"
	var optErr *registry.OptionError
	if errors.As(err, &optErr) {
		if attr, ok := optionAttributes[optErr.Field]; ok {
			return diag.NewAttributeErrorDiagnostic(path.Root(attr), summary, err.Error())
		}
	}
	return diag.NewErrorDiagnostic(summary, err.Error())
}

// unexpectedProviderData reports a bug: a data source handed something
// other than the provider's data.
func unexpectedProviderData(got any) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unexpected Provider Data",
		fmt.Sprintf("The data source was handed %T instead of the provider's data. This is a bug in the provider: please report it.", got))
}

// providerNotConfigured reports a data source read before the provider
// was configured.
func providerNotConfigured() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider Not Configured",
		"The registry provider was not configured before this data source was read. This is a bug in the provider or in Terraform: please report it.")
}

// conflictingRegistry reports a registry host given twice, in image and in
// registry.
func conflictingRegistry(err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("registry"), "Conflicting Registry", err.Error())
}

// currentNotKept reports a current tag that the filter does not keep.
func currentNotKept(current, filter string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("current"), "Current Tag Not Kept By Filter",
		fmt.Sprintf("current tag %q is not one that filter \"%s\" keeps, so it cannot be compared with the newest tag. Set current to the tag in use, or change the filter so that it keeps that tag.", current, filter))
}

// noTagMatches reports a read where no tag was kept; detail explains it.
func noTagMatches(detail string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("No Tag Matches", detail)
}

// cannotListTags reports a tag list the registry client could not read.
func cannotListTags(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot List Tags", registryDetail(err))
}

// cannotReadDigest reports a digest the registry client could not read.
func cannotReadDigest(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot Read Digest", registryDetail(err))
}

// cannotReadImage reports a candidate's image that the registry client
// could not read for platform or min_age.
func cannotReadImage(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot Read Image", registryDetail(err))
}

// registryDetail is the detail of a failed registry read: what happened,
// then what the user can do.
func registryDetail(err error) string {
	var re *registry.Error
	if !errors.As(err, &re) {
		return err.Error()
	}
	return err.Error() + "\n\n" + hint(re)
}

// hint says, in one sentence or two, what the user can do about a failed
// registry read.
func hint(e *registry.Error) string {
	reg, from := e.Registry, credentialSource(e.Credentials)
	switch e.Kind {
	case registry.KindInternal:
		return "This is a bug in the provider: please report it, with the error above."
	case registry.KindInvalidTag:
		return "Give a valid tag: letters, digits, '_', '.' and '-', at most 128 of them, not starting with '.' or '-'."
	case registry.KindCredentialSource:
		return "Fix the credential source named above, or give the credentials for " + reg + " in an auth block of the provider, which wins over every other source."
	case registry.KindNotFoundOrDenied:
		if e.Anonymous() {
			return "The registry refused anonymous access to " + reg + ": check the image name first (Docker Hub's official images are library/<name>, and a typo reads as a private repository); if the repository is private, log in (docker login " + reg + "), or give credentials in an auth block of the provider or in REGISTRY_AUTH_* variables."
		}
		return "Check the image name first; then check that the credentials for " + reg + " (from " + from + ") may read this repository."
	case registry.KindRefused:
		if e.Anonymous() {
			return "The registry refused anonymous access to " + reg + ": log in (docker login " + reg + "), or give credentials in an auth block of the provider or in REGISTRY_AUTH_* variables; also check the image name."
		}
		return "The registry refused the credentials for " + reg + " (from " + from + "): check the user name and password or token, and that they may read this repository."
	case registry.KindNotFound:
		return "The registry has no such repository or tag: check the image name and tag (some registries answer 404 instead of 401 to anonymous requests for private images)."
	case registry.KindPullLimit:
		return "Log in to " + reg + " to raise the limit (docker login, or an auth block), or pull through a mirror (the provider's mirrors argument, such as { \"docker.io\" = [\"mirror.gcr.io\"] }), then plan again."
	case registry.KindWaitPastTimeout:
		return "The registry asked for more than the provider's timeout leaves: plan again later, or raise timeout in the provider block."
	case registry.KindRateLimited:
		return "The registry is rate-limiting these requests: log in to raise the limit, use a mirror, or try again later."
	case registry.KindUnavailable:
		return "The registry failed to answer: try again later."
	case registry.KindTimeout:
		return "The registry did not answer within the provider's timeout: check that it is reachable, or raise timeout in the provider block."
	case registry.KindCanceled:
		return "The read was cancelled."
	case registry.KindDropped:
		return "The connection to the registry kept dropping: check the network and any proxy between here and " + reg + ", then try again."
	case registry.KindUntrusted:
		return "The provider refused the connection: a registry whose certificate a private CA signed needs that CA in ca_file; a plain-HTTP registry that is not on loopback must be listed in insecure_registries; a redirect from HTTPS down to HTTP is never followed."
	case registry.KindBadAnswer:
		return "The registry's answer is malformed or past a safety cap: check that " + reg + " is a container registry and the image name is right; if the registry is yours, check its logs."
	case registry.KindUnreachable:
		return "Check that the registry host is right and reachable from here (proxy settings, DNS, TLS certificates: a registry whose certificate a private CA signed needs that CA in ca_file, and a plain-HTTP registry that is not on loopback must be listed in insecure_registries)."
	}
	return "Check the image name and the registry."
}

// credentialSource says where credentials came from, in the provider's
// words.
func credentialSource(s string) string {
	if s == registry.SourceOptions {
		return "the provider's auth block"
	}
	return s
}

// rateLimitNearlyReached warns that a registry reported few requests left.
func rateLimitNearlyReached(rl registry.RateLimit) diag.Diagnostic {
	limit := ""
	if rl.Limit != "" {
		limit = " of " + rl.Limit
	}
	return diag.NewWarningDiagnostic("Registry Rate Limit Nearly Reached",
		fmt.Sprintf("Registry %s reports %d requests left%s. Log in to raise the limit (docker login, or an auth block), use a mirror (the provider's mirrors argument), or plan less often.", rl.Registry, rl.Remaining, limit))
}

// readFromMirror warns that an image was read from a mirror, which may hold
// a partial or stale tag list (goharbor/harbor#15513).
func readFromMirror(img names.Repository, mirror string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Read From A Mirror",
		fmt.Sprintf("Registry %s could not answer for %s, so it was read from the mirror %s. A mirror or pull-through cache may hold a partial or stale tag list, so a newer tag may exist; plan again once %s answers.", img.Registry, img.Name, mirror, img.Registry))
}

// tagListMayBeCut warns that a registry ignored paging and sent a list that
// may end at its own page size.
func tagListMayBeCut(img names.Repository, tags int) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Tag List May Be Incomplete",
		fmt.Sprintf("Registry %s ignores the paging parameters of its tag list, and its whole list for %s held exactly %d tags, as many as one page: the registry may have cut it at its page size, so newer tags may exist beyond it.", img.Registry, img.Name, tags))
}

// noTagsDetail says that a registry listed no tags for an image: some
// answer so (200 and an empty or null list) for a repository they do not
// have, or that the credentials may not read (olareg does).
func noTagsDetail(img names.Repository, mirror string) string {
	on := img.Registry
	if mirror != "" {
		on = mirror + ", a mirror of " + img.Registry + ","
	}
	return fmt.Sprintf("The registry lists no tags for %s: registry %s answered with an empty tag list. Some registries answer so for a repository that does not exist, or that the credentials may not read: check the image name, and that the credentials for %s may read it.", img.Name, on, img.Registry)
}

// noTagsListed reports an image whose registry lists no tags, for a data
// source that must choose one.
func noTagsListed(img names.Repository, mirror string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("No Tags Listed", noTagsDetail(img, mirror))
}

// emptyTagList warns that a registry lists no tags for an image.
func emptyTagList(img names.Repository, mirror string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("No Tags Listed", noTagsDetail(img, mirror))
}

// newLineInAnotherShape warns that the tag in use is at the end of its
// shape while a tag of another shape opens a new line.
func newLineInAnotherShape(img names.Repository, current, other string, final bool) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root("current"), "Newer Tags In Another Shape",
		leftBehindDetail(img, "current", current, other, final)+fmt.Sprintf(" Set current = %q to move to it; "+
			"variant = \"any\" follows the newest tag of any shape instead, a newer pre-release included unless constraint or exclude leaves it out.", other))
}

// pinLeftBehind is newLineInAnotherShape for a pin.
func pinLeftBehind(img names.Repository, pinned, other string, final bool) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Newer Tags In Another Shape",
		leftBehindDetail(img, "the pinned tag", pinned, other, final)+fmt.Sprintf(" To move to it, replace the pin with "+
			"initial = %q (terraform apply -replace); variant = \"any\" lets the pin move to tags of any shape.", other))
}

// leftBehindDetail says why a tag in use is left behind by a tag of
// another shape.
func leftBehindDetail(img names.Repository, what, current, other string, final bool) string {
	why := "opens a new major or minor line: the project may have changed its tag scheme"
	if final {
		why = fmt.Sprintf("is the final release of the pre-release %q, or a later release, and a pre-release pin never moves to a release on its own", current)
	}
	return fmt.Sprintf("No tag of %s has the shape of %s %q (%s) and is newer than it, but %s, of another shape, %s.",
		img.Name, what, current, tagfilter.Shape(current), other, why)
}

// invalidRegistryAPI reports a registry_api entry the provider cannot use.
func invalidRegistryAPI(at path.Path, host string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Invalid Registry API", fmt.Sprintf("The registry_api entry for %q: %v.", host, err))
}

// noPushTime reports age_from = "push" on a registry whose push times the
// provider cannot read.
func noPushTime(img names.Repository, api pushtime.Type) diag.Diagnostic {
	detail := fmt.Sprintf("age_from = \"push\" needs the push times of %s, and the provider knows no API that reports them for registry %s. "+
		"Set registry_api for %q (type \"harbor\", \"gitlab\" or \"quay\" for a self-hosted one), or set age_from = \"auto\" to count "+
		"from the creation time where there is no push time.", img.Name, img.Registry, img.Registry)
	if api == pushtime.TypeGHCR {
		detail = fmt.Sprintf("age_from = \"push\" needs the push times of %s, which GitHub's packages API gives only with a classic token "+
			"that may read packages (read:packages): set GITHUB_TOKEN, or registry_api's token for \"ghcr.io\".", img.Name)
	}
	return diag.NewErrorDiagnostic("No Push Time", detail)
}

// cannotReadPushTime reports a push-time API that failed under
// age_from = "push".
func cannotReadPushTime(img names.Repository, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot Read Push Time",
		fmt.Sprintf("Cannot read the push times of %s on registry %s: %v.\n\nCheck registry_api for %q (its url and token), or set "+
			"age_from = \"auto\" to count from the creation time when the API cannot be read.", img.Name, img.Registry, err, img.Registry))
}

// pushTimeNotRead warns that a push-time API failed under age_from =
// "auto", so the read counted from creation time.
func pushTimeNotRead(img names.Repository, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Push Time Not Read",
		fmt.Sprintf("Cannot read the push times of %s on registry %s: %v. This read measured min_age from the images' creation time, "+
			"which whoever built them sets.\n\nCheck registry_api for %q (its url and token), or set age_from = \"created\" to "+
			"stop asking the API.", img.Name, img.Registry, err, img.Registry))
}

// cannotReadSignatures reports signatures the registry client could not
// read.
func cannotReadSignatures(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot Read Signatures", registryDetail(err))
}

// cannotFetchTrustedRoot reports a Sigstore public-good trusted root that
// TUF could not fetch.
func cannotFetchTrustedRoot(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot Fetch Sigstore Trusted Root",
		err.Error()+"\n\nKeyless signatures verify against the Sigstore public-good instance's trusted root, fetched by TUF "+
			"and cached in the user's cache directory. Where that repository cannot be reached (air-gapped, or behind a proxy "+
			"that refuses it), download trusted_root.json on a machine that can (cosign trusted-root create, or the Sigstore "+
			"TUF repository's targets) and set signature.trusted_root = file(\"trusted_root.json\").")
}

// imageNotSigned reports an image that is not signed as asked.
func imageNotSigned(ref, digest string, policy fmt.Stringer, found string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("signature"), "Image Not Signed",
		fmt.Sprintf("The image of %s (%s) is not signed by %s: found %s.\n\n"+
			"Check that the release pipeline signs this tag, with the key or identity given (cosign verify shows what "+
			"an image carries), or change signature.", ref, digest, policy, found))
}

// recoverRead turns a panic in a data source's Read into an error of that
// read, so that one bug does not crash the provider and every data source
// of the plan with it.
func recoverRead(resp *datasource.ReadResponse) {
	if r := recover(); r != nil {
		resp.Diagnostics.AddError("Internal Error",
			fmt.Sprintf("The read failed with an internal error: %v. This is a bug in the provider: please report it, with this message.", r))
	}
}

// titleCase capitalises each word: "registry host" → "Registry Host".
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// initialNotKept reports a pin's initial tag that cannot be pinned.
func initialNotKept(detail string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("initial"), "Initial Tag Not Kept", detail)
}

// pinNotRefreshed warns that a pin's refresh could not read the registry:
// the pin and its last facts stay, and nothing moves.
func pinNotRefreshed(img names.Repository, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Pin Not Refreshed",
		fmt.Sprintf("The pin of %s was not refreshed: %s\n\nThe pin stays where it is, with what the last refresh read, "+
			"and nothing moves until a refresh reads the registry again.", img.Name, registryDetail(err)))
}

// pinHeld warns of a newer tag that move holds back.
func pinHeld(img names.Repository, pinned, newest, kind, move string) diag.Diagnostic {
	what := fmt.Sprintf("%s:%s is out (a %s update)", img.Name, newest, kind)
	if kind == updateDigest {
		what = fmt.Sprintf("the tag %s:%s points to another image now", img.Name, newest)
	}
	return diag.NewAttributeWarningDiagnostic(path.Root("move"), "Pin Held",
		fmt.Sprintf("The pin stays at %s:%s although %s: move = %q holds it. Set move to let it go that far, or replace "+
			"the pin with initial = %q (terraform apply -replace) to move it once.", img.Name, pinned, what, move, newest))
}

// pinnedNotKept warns that the configured filter does not keep the pinned
// tag, so that the pin cannot move from it.
func pinnedNotKept(tag, filter string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root("filter"), "Pinned Tag Not Kept By Filter",
		fmt.Sprintf("The pinned tag %q is not one that filter \"%s\" keeps, so no tag can be compared with it and the pin "+
			"will not move. Change the filter so that it keeps the pinned tag, or replace the pin with initial set to a tag "+
			"it keeps (terraform apply -replace).", tag, filter))
}

// tagMovedSincePlan reports a planned tag whose digest changed between the
// plan and the apply.
func tagMovedSincePlan(img names.Repository, tag, planned, now string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Tag Moved Since The Plan",
		fmt.Sprintf("The plan moved the pin to %s:%s at %s, but the tag points to %s now. Nothing was recorded: the pin "+
			"stays where it was, so that what was reviewed is what is deployed. Plan again to review the new digest.",
			img.Name, tag, planned, now))
}
