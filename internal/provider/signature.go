package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/signature"
)

// maxSignaturesTried is the most signatures verified for one image.
const maxSignaturesTried = 5

// signatureModel is the signature argument.
type signatureModel struct {
	PublicKey      types.String `tfsdk:"public_key"`
	Identity       types.String `tfsdk:"identity"`
	IdentityRegexp types.String `tfsdk:"identity_regexp"`
	Issuer         types.String `tfsdk:"issuer"`
	IssuerRegexp   types.String `tfsdk:"issuer_regexp"`
	TrustedRoot    types.String `tfsdk:"trusted_root"`
}

func (m signatureModel) spec() signature.Spec {
	return signature.Spec{
		PublicKey: m.PublicKey.ValueString(), Identity: m.Identity.ValueString(), IdentityRegexp: m.IdentityRegexp.ValueString(),
		Issuer: m.Issuer.ValueString(), IssuerRegexp: m.IssuerRegexp.ValueString(), TrustedRoot: m.TrustedRoot.ValueString(),
	}
}

// The descriptions of the signature argument's fields.
var signatureFields = []struct{ name, description string }{
	{"public_key", "A PEM public key (ECDSA P-256/P-384, Ed25519 or RSA), as `cosign generate-key-pair` writes `cosign.pub`: " +
		"`file(\"cosign.pub\")`. The signature must verify with it. A transparency-log entry is not required; when the " +
		"signature has one, it is checked only when `trusted_root` is set."},
	{"identity", "Keyless (Sigstore): the signing certificate's identity, exactly: an e-mail, or for GitHub Actions the " +
		"workflow, `https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3`."},
	{"identity_regexp", "Keyless: an RE2 pattern that the certificate's identity must match as a whole: " +
		"`^https://github\\\\.com/acme/app/\\\\.github/workflows/release\\\\.yml@refs/tags/v.*$`."},
	{"issuer", "Keyless: the OIDC issuer in the certificate, exactly: `https://token.actions.githubusercontent.com` for " +
		"GitHub Actions, `https://accounts.google.com` for a Google account."},
	{"issuer_regexp", "Keyless: an RE2 pattern that the certificate's OIDC issuer must match as a whole."},
	{"trusted_root", "A Sigstore trusted root, the JSON of `trusted_root.json` (`file(\"trusted_root.json\")`): the " +
		"certificate authorities, transparency logs and timestamp authorities that keyless signatures must chain to. " +
		"Default, for keyless: the Sigstore public-good instance's, fetched by TUF from the Sigstore TUF repository " +
		"and cached in the user's cache directory. Set it for a private Sigstore, or where that repository cannot be reached."},
}

const signatureDescription = "Only tags whose image carries a valid signature from this signer: either `public_key`, or " +
	"an identity (`identity` or `identity_regexp`) and an issuer (`issuer` or `issuer_regexp`). Signatures are looked " +
	"for where cosign puts them: the OCI referrers API (its tag schema `sha256-<hex>` on registries without it) and " +
	"cosign's signature tag `sha256-<hex>.sig`, as Sigstore bundles or cosign's simple-signing payloads. Keyless " +
	"signatures verify as `cosign verify` does them. The signed digest must be the tag's (the index, for a " +
	"multi-platform image; with `platform`, that platform's manifest is accepted too). Attestations (SLSA, SBOMs) are " +
	"not signatures. At most 5 signatures per image are verified. See the guide " +
	"[Deploy only signed images](../guides/signed-images.md)."

// signatureAttribute is the signature argument of a data source; what says
// what it applies to.
func signatureAttribute(what string) schema.SingleNestedAttribute {
	attrs := map[string]schema.Attribute{}
	for _, f := range signatureFields {
		attrs[f.name] = schema.StringAttribute{Optional: true, MarkdownDescription: f.description}
	}
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: what + " " + signatureDescription,
		Attributes:          attrs,
		Validators:          []validator.Object{signatureValidator{}},
	}
}

// signatureResourceAttribute is the signature argument of a resource.
func signatureResourceAttribute(what string) rschema.SingleNestedAttribute {
	attrs := map[string]rschema.Attribute{}
	for _, f := range signatureFields {
		attrs[f.name] = rschema.StringAttribute{Optional: true, MarkdownDescription: f.description}
	}
	return rschema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: what + " " + signatureDescription,
		Attributes:          attrs,
		Validators:          []validator.Object{signatureValidator{}},
	}
}

const signedByDescription = "With `signature`: who signed the image, as the certificate's identity and issuer " +
	"(`identity (issuer)`) or `key sha256:<hex>`, the SHA-256 of the public key's DER SubjectPublicKeyInfo; null otherwise."

// signatureValidator parses a known signature argument as a read would.
type signatureValidator struct{}

var _ validator.Object = signatureValidator{}

func (signatureValidator) Description(context.Context) string {
	return "either public_key, or an identity and an issuer, each valid"
}

func (v signatureValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (signatureValidator) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var spec signature.Spec
	fields := map[string]*string{
		"public_key": &spec.PublicKey, "identity": &spec.Identity, "identity_regexp": &spec.IdentityRegexp,
		"issuer": &spec.Issuer, "issuer_regexp": &spec.IssuerRegexp, "trusted_root": &spec.TrustedRoot,
	}
	for name, value := range req.ConfigValue.Attributes() {
		if value.IsUnknown() {
			return
		}
		if s, ok := value.(types.String); ok && fields[name] != nil {
			*fields[name] = s.ValueString()
		}
	}
	if _, err := signature.Parse(spec); err != nil {
		resp.Diagnostics.Append(invalidValue(req.Path, "signature", err))
	}
}

// signatureArg parses a signature argument; nil when it is not set.
func signatureArg(ctx context.Context, v types.Object, at path.Path, diags *diag.Diagnostics) *signature.Policy {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	var m signatureModel
	if d := v.As(ctx, &m, basetypes.ObjectAsOptions{}); d.HasError() {
		diags.Append(d...)
		return nil
	}
	p, err := signature.Parse(m.spec())
	if err != nil {
		diags.Append(invalidValue(at, "signature", err))
		return nil
	}
	return p
}

// verdict is what the signatures of an image came to: who signed it, or
// what was found instead.
type verdict struct {
	signedBy string
	// tried counts the signatures verified; reasons says why each was
	// rejected.
	tried   int
	reasons []string
}

// describe says what was found, for an image that is not signed as asked.
func (v verdict) describe() string {
	if v.tried == 0 {
		return "no signature"
	}
	return fmt.Sprintf("%d signature(s), none valid: %s", v.tried, strings.Join(v.reasons, "; "))
}

// signatureOf returns the verdict of policy on the image whose tag's
// manifest digest is tagDigest and, with a platform, whose platform's
// manifest digest is platformDigest: once per run. A failure to read the
// registry, or to fetch the Sigstore trusted root, is an error, not a
// verdict.
func (d *providerData) signatureOf(ctx context.Context, img names.Repository, list *registry.TagList, tagDigest, platformDigest string, policy *signature.Policy) (verdict, error) {
	digests := []string{tagDigest}
	if platformDigest != "" && platformDigest != tagDigest {
		digests = append(digests, platformDigest)
	}
	key := img.Key() + "@" + strings.Join(digests, ",") + "|" + policy.Key()
	v, _, err := d.verdicts.Get(ctx, key, func(ctx context.Context) (verdict, error) {
		var out verdict
		var rootErr error
		for _, digest := range digests {
			err := d.client.Signatures(ctx, img, list, digest, maxSignaturesTried-out.tried, func(sig registry.Signature) registry.Outcome {
				trusted, err := d.trustedRoot(ctx, policy)
				if err != nil {
					rootErr = err
					return registry.Accepted // ends the search
				}
				r := policy.Verify(signature.Input{Bundle: sig.Bundle, Payload: sig.Payload, Annotations: sig.Annotations}, digest, trusted)
				switch {
				case r.Attestation:
					return registry.Skipped
				case r.SignedBy != "":
					out.signedBy = r.SignedBy
					return registry.Accepted
				}
				out.tried++
				if len(out.reasons) < maxSignaturesTried {
					out.reasons = append(out.reasons, fmt.Sprintf("%s in %s: %v", shortDigest(sig.Subject), sig.Where, r.Err))
				}
				return registry.Rejected
			})
			switch {
			case rootErr != nil:
				return verdict{}, rootErr
			case err != nil:
				return verdict{}, err
			case out.signedBy != "" || out.tried >= maxSignaturesTried:
				return out, nil
			}
		}
		return out, nil
	})
	return v, err
}

// trustedRoot is the trusted root a policy verifies against: its own, or
// for keyless signatures the Sigstore public-good instance's, fetched once
// per run.
func (d *providerData) trustedRoot(ctx context.Context, policy *signature.Policy) (signature.TrustedMaterial, error) {
	if !policy.NeedsPublicGood() {
		return nil, nil
	}
	root, _, err := d.publicGood.Get(ctx, "", func(ctx context.Context) (signature.TrustedMaterial, error) {
		return signature.PublicGood(ctx, d.sigstore)
	})
	if err != nil {
		return nil, &trustedRootError{err: err}
	}
	return root, nil
}

// trustedRootError is a Sigstore trusted root that could not be fetched.
type trustedRootError struct{ err error }

func (e *trustedRootError) Error() string { return e.err.Error() }
func (e *trustedRootError) Unwrap() error { return e.err }

// shortDigest is a digest's first 12 hex digits, for messages.
func shortDigest(digest string) string {
	if i := strings.IndexByte(digest, ':'); i >= 0 && len(digest) > i+13 {
		return digest[:i+13]
	}
	return digest
}
