package provider

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/pushtime"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// TestHints: each kind of registry failure gets the advice that fits it,
// in the provider's words (its arguments, its auth block).
func TestHints(t *testing.T) {
	t.Parallel()
	const reg = "registry.example"
	fail := func(status int, credentials string, err error) *registry.Error {
		return &registry.Error{Op: "list the tags", Image: reg + "/team/app", Registry: reg, Status: status, Kind: transport.Classify(err), Credentials: credentials, Err: err}
	}
	for _, tt := range []struct {
		name string
		err  *registry.Error
		want []string
	}{
		{"not found", fail(http.StatusNotFound, "", &transport.StatusError{Status: 404}), []string{"no such repository or tag"}},
		{"refused, anonymous", fail(http.StatusUnauthorized, registry.SourceAnonymous, &transport.StatusError{Status: 401}), []string{"refused anonymous access to " + reg, "auth block"}},
		{"refused, auth block", fail(http.StatusUnauthorized, registry.SourceOptions, &transport.StatusError{Status: 401}), []string{"refused the credentials for " + reg + " (from the provider's auth block)"}},
		{"missing repository with a token", fail(http.StatusUnauthorized, "Docker config /home/x/.docker/config.json", &transport.DeniedError{Err: errors.New("x")}), []string{"Check the image name first", "(from Docker config /home/x/.docker/config.json)"}},
		{"pull limit", fail(http.StatusTooManyRequests, "", &transport.PullLimitError{}), []string{"Log in to " + reg, "mirrors argument"}},
		{"throttled", fail(http.StatusTooManyRequests, "", &transport.StatusError{Status: 429}), []string{"rate-limiting", "try again later"}},
		{"Retry-After past the timeout", fail(http.StatusServiceUnavailable, "", &transport.RetryAfterError{Status: 503}), []string{"more than the provider's timeout leaves", "raise timeout in the provider block"}},
		{"5xx", fail(http.StatusBadGateway, "", &transport.StatusError{Status: 502}), []string{"try again later"}},
		{"timeout", fail(0, "", context.DeadlineExceeded), []string{"did not answer within the provider's timeout", "raise timeout in the provider block"}},
		{"plain HTTP refused", fail(0, "", fmt.Errorf("%w to x", transport.ErrPlainHTTP)), []string{"must be listed in insecure_registries", "ca_file"}},
		{"credential helper", fail(0, "", &registry.CredentialError{Err: errors.New("helper failed")}), []string{"Fix the credential source", "auth block"}},
		{"invalid tag", fail(0, "", names.ErrInvalidTag), []string{"valid tag"}},
		{"a panic", fail(0, "", &runcache.PanicError{Value: "boom"}), []string{"bug in the provider"}},
	} {
		if got := hint(tt.err); !containsAll(got, tt.want) {
			t.Errorf("%s: hint %q, want %q", tt.name, got, tt.want)
		}
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func TestRateLimitWording(t *testing.T) {
	t.Parallel()
	d := rateLimitNearlyReached(registry.RateLimit{Registry: "index.docker.io", Remaining: 4, Limit: "100 pulls per 6h0m0s"})
	if d.Severity() != diag.SeverityWarning || !containsAll(d.Detail(), []string{"index.docker.io", "4 requests left of 100 pulls per 6h0m0s", "Log in", "mirror"}) {
		t.Errorf("warning %s: %q", d.Summary(), d.Detail())
	}
}

// TestInvalidConfigurationPath: an option the registry client refuses is
// reported at the argument it came from.
func TestInvalidConfigurationPath(t *testing.T) {
	t.Parallel()
	for field, attr := range optionAttributes {
		d := invalidConfiguration(&registry.OptionError{Field: field, Err: errors.New("bad")})
		withPath, ok := d.(diag.DiagnosticWithPath)
		if !ok || !withPath.Path().Equal(path.Root(attr)) {
			t.Errorf("option %s: diagnostic %v, want it at %s", field, d, attr)
		}
	}
	if _, ok := invalidConfiguration(errors.New("environment: bad")).(diag.DiagnosticWithPath); ok {
		t.Error("an error of no option has an attribute path")
	}
}

// TestTroubleshootingNamesEverySummary reads the summaries of every
// diagnostic the package can raise from its source, and checks that the
// troubleshooting guide has a heading for each, so that a new diagnostic
// cannot ship undocumented; the summaries of the framework's validators the
// provider uses count too. A summary the test cannot read (not a literal, a
// package constant or "Invalid " + what) fails it.
func TestTroubleshootingNamesEverySummary(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var parsedFiles []*ast.File
	consts := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsedFiles = append(parsedFiles, f)
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				for i, id := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := stringLit(vs.Values[i]); ok {
							consts[id.Name] = s
						}
					}
				}
			}
			return true
		})
	}
	summaryArg := map[string]int{
		"NewErrorDiagnostic": 0, "NewWarningDiagnostic": 0, "AddError": 0, "AddWarning": 0,
		"NewAttributeErrorDiagnostic": 1, "NewAttributeWarningDiagnostic": 1, "AddAttributeError": 1, "AddAttributeWarning": 1,
	}
	summaries := map[string]bool{}
	for _, f := range parsedFiles {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				case *ast.Ident:
					name = fn.Name
				}
				if summary, ok := frameworkValidators[name]; ok {
					summaries[summary] = true
					return true
				}
				if name == "invalidValue" {
					if what, ok := stringLit(n.Args[1]); ok {
						summaries["Invalid "+titleCase(what)] = true
					}
					return true
				}
				i, ok := summaryArg[name]
				if !ok || i >= len(n.Args) {
					return true
				}
				switch arg := n.Args[i].(type) {
				case *ast.BasicLit:
					s, _ := stringLit(arg)
					summaries[s] = true
				case *ast.Ident:
					if s, ok := consts[arg.Name]; ok {
						summaries[s] = true
						return true
					}
					t.Errorf("%s: cannot read the summary %s", fset.Position(arg.Pos()), arg.Name)
				case *ast.BinaryExpr:
					// "Invalid "+titleCase(what): the whats are read from
					// invalidValue's callers and parsed validators.
				default:
					t.Errorf("%s: cannot read the summary of %s", fset.Position(arg.Pos()), name)
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "parsed" {
					for _, e := range n.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok && fmt.Sprint(kv.Key) == "what" {
							if what, ok := stringLit(kv.Value); ok {
								summaries["Invalid "+titleCase(what)] = true
							}
						}
					}
				}
			}
			return true
		})
	}
	if len(summaries) < 10 {
		t.Fatalf("read only %d summaries from the source: %v", len(summaries), summaries)
	}
	page, err := os.ReadFile("../../templates/guides/troubleshooting.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for s := range summaries {
		if !strings.Contains(string(page), "\n### "+s+"\n") {
			t.Errorf("the troubleshooting guide has no heading %q", "### "+s)
		}
	}
}

// frameworkValidators are the validators of terraform-plugin-framework-
// validators the provider uses, with the summary each raises
// (helpers/validatordiag).
var frameworkValidators = map[string]string{
	"OneOf":         "Invalid Attribute Value Match",
	"Between":       "Invalid Attribute Value",
	"AtLeast":       "Invalid Attribute Value",
	"AtMost":        "Invalid Attribute Value",
	"AlsoRequires":  "Invalid Attribute Combination",
	"ConflictsWith": "Invalid Attribute Combination",
	"ExactlyOneOf":  "Invalid Attribute Combination",
	"AtLeastOneOf":  "Invalid Attribute Combination",
}

// stringLit returns the value of a string literal.
func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// TestTroubleshootingLimits: the troubleshooting guide's table of limits
// says what the code's constants are.
func TestTroubleshootingLimits(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile("../../templates/guides/troubleshooting.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("| the newest %d that the other rules keep |", maxWalked),
		fmt.Sprintf("| tags in one list | %s |", thousands(registry.MaxTags)),
		fmt.Sprintf("| pages of one tag list | %s |", thousands(registry.MaxPages)),
		fmt.Sprintf("| one tag-list page | %d MiB |", registry.MaxTagPageBytes>>20),
		fmt.Sprintf("| one manifest, image config, or signature manifest or blob | %d MiB |", registry.MaxManifestBytes>>20),
		fmt.Sprintf("| signatures verified for one image | %d,", maxSignaturesTried),
		fmt.Sprintf("| one answer of a push-time API | %d MiB |", pushtime.MaxAnswerBytes>>20),
		fmt.Sprintf("| %d KiB;", transport.MaxErrorBody>>10),
		fmt.Sprintf("`max_concurrent_requests`, default %d |", registry.DefaultMaxConcurrentRequests),
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the troubleshooting guide's limits do not say %q", want)
		}
	}
}

// thousands writes n with commas: 1000000 as 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
