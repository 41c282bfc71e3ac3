package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

const defaultTag = "latest"

func newImageDigestDataSource() datasource.DataSource {
	return &imageDigestDataSource{dataSourceBase{name: "image_digest"}}
}

type imageDigestDataSource struct {
	dataSourceBase
}

type imageDigestModel struct {
	imageArgs
	pinnedImage
	Tag       types.String `tfsdk:"tag"`
	Platform  types.String `tfsdk:"platform"`
	Signature types.Object `tfsdk:"signature"`
	SignedBy  types.String `tfsdk:"signed_by"`
}

func (d *imageDigestDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = imageSchema(tagArgumentHint,
		"Reads the digest of `image:tag`, so that a moving tag such as `latest` or `stable` shows up in "+
			"the plan when it points to a new image. Use `pinned_ref` where the image is deployed, and a redeploy happens "+
			"exactly when the image changes.",
		map[string]schema.Attribute{
			"tag": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The tag to read: a moving tag such as `latest`, `stable` or `v3.2`, or any other tag. " +
					"Defaults to `latest`. Give it here, not inside `image`.",
				Validators: []validator.String{parsed{what: "tag", parse: func(s string) error { return names.CheckTag("tag", s) }}},
			},
			"platform": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`os/arch` or `os/arch/variant` (`linux/amd64`, `linux/arm64`, `linux/arm/v7`). When set, `digest` is " +
					"the digest of that platform's manifest inside a multi-platform index. Matching follows containerd: an unset " +
					"variant matches any, `arm64` means `arm64/v8`, and aliases such as `x86_64` and `aarch64` are understood. For a " +
					"single-platform image, the image's own platform (from its config) must match, else the read fails and names " +
					"the platform there is.",
				Validators: []validator.String{parsedBy("platform", names.ParsePlatform)},
			},
			"digest": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The manifest digest of the tag (`sha256:…`): for a multi-platform image, the digest of its index; " +
					"with `platform`, the digest of that platform's manifest.",
			},
			"image_ref":  imageRefAttribute(),
			"pinned_ref": pinnedRefAttribute(),
			"signature": signatureAttribute("The read fails unless the tag's image is signed by this signer, and says what it " +
				"found instead (no signature, a signature by another identity or key, an invalid one and why)."),
			"signed_by": schema.StringAttribute{Computed: true, MarkdownDescription: signedByDescription},
		})
}

func (d *imageDigestDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer recoverRead(resp)
	var m imageDigestModel
	ctx, cancel, img, ok := d.beginRead(ctx, req, resp, &m, tagArgumentHint)
	defer cancel()
	if !ok {
		return
	}
	tag := defaultTag
	if !m.Tag.IsNull() {
		tag = m.Tag.ValueString()
	}

	p := platformArg(m.Platform, &resp.Diagnostics)
	policy := signatureArg(ctx, m.Signature, path.Root("signature"), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var read *registry.ImageFacts
	var err error
	if p == nil {
		read, err = d.data.client.Digest(ctx, img, tag)
	} else {
		read, err = d.data.client.PlatformDigest(ctx, img, tag, *p)
	}
	if err != nil {
		resp.Diagnostics.Append(cannotReadDigest(err))
		return
	}

	if read.Mirror != "" {
		resp.Diagnostics.Append(readFromMirror(img, read.Mirror))
	}
	m.pin(img, tag, read.Digest)
	m.SignedBy = types.StringNull()
	if policy != nil {
		platformDigest := ""
		if p != nil {
			platformDigest = read.Digest
		}
		v, err := d.data.signatureOf(ctx, img, nil, read.TagDigest, platformDigest, policy)
		var rootErr *trustedRootError
		switch {
		case errors.As(err, &rootErr):
			resp.Diagnostics.Append(cannotFetchTrustedRoot(rootErr.err))
			return
		case err != nil:
			resp.Diagnostics.Append(cannotReadSignatures(err))
			return
		case v.signedBy == "":
			resp.Diagnostics.Append(imageNotSigned(img.Name+":"+tag, read.TagDigest, policy, v.describe()))
			return
		}
		m.SignedBy = types.StringValue(v.signedBy)
	}
	d.warnRateLimit(img, resp)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
