package pushtime

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
)

// ecrBatch is the most image IDs DescribeImages takes in one call
// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html).
const ecrBatch = 100

// ecrReader reads ECR's DescribeImages through the AWS SDK, up to 100 tags
// a call, field imagePushedAt, with the AWS default credential chain that
// the registry's own credentials come from. An image's push time is its
// digest's: a tag given to an older digest counts from that digest's push.
type ecrReader struct {
	*client
	account, region string
	api             runcache.Map[*ecr.Client]
}

func newECR(c *client, registry string) *ecrReader {
	r := &ecrReader{client: c}
	if ecrHost.MatchString(registry) {
		// <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]; elsewhere
		// (a proxy in registry_api) the region is the AWS configuration's.
		parts := strings.Split(registry, ".")
		r.account, r.region = parts[0], parts[3]
	}
	if !c.custom {
		c.base = "https://api.ecr." + r.region + ".amazonaws.com"
	}
	return r
}

func (e *ecrReader) Batch() int { return ecrBatch }

func (e *ecrReader) Read(ctx context.Context, repo names.Repository, tags []string) (Times, error) {
	api, _, err := e.api.Get(ctx, "ecr", e.newAPI)
	if err != nil {
		return nil, e.fail(err)
	}
	out := Times{}
	if err := e.describe(ctx, api, repo, tags, out); err != nil {
		return nil, e.fail(err)
	}
	return out, nil
}

// describe asks for tags in one call. One unknown tag fails the whole call
// with ImageNotFoundException, whose message names it
// ("The image with imageId {imageDigest:'null', imageTag:'1.2.0'} does not
// exist", hashicorp/terraform-provider-aws#35268): the call is made again
// without it; when the message names no tag of the call, each tag is asked
// for on its own, so that the others are still dated.
func (e *ecrReader) describe(ctx context.Context, api *ecr.Client, repo names.Repository, tags []string, out Times) error {
	ids := make([]types.ImageIdentifier, len(tags))
	for i, t := range tags {
		ids[i] = types.ImageIdentifier{ImageTag: aws.String(t)}
	}
	in := &ecr.DescribeImagesInput{RepositoryName: aws.String(repo.Path), ImageIds: ids}
	if e.account != "" {
		in.RegistryId = aws.String(e.account)
	}
	answer, err := api.DescribeImages(ctx, in)
	var notFound *types.ImageNotFoundException
	switch {
	case errors.As(err, &notFound) && len(tags) > 1:
		if missing := notFoundTag(notFound.ErrorMessage()); slices.Contains(tags, missing) {
			return e.describe(ctx, api, repo, slices.DeleteFunc(slices.Clone(tags), func(t string) bool { return t == missing }), out)
		}
		for _, t := range tags {
			if err := e.describe(ctx, api, repo, []string{t}, out); err != nil {
				return err
			}
		}
		return nil
	case errors.As(err, &notFound):
		return nil
	case err != nil:
		return err
	}
	want := make(map[string]bool, len(tags))
	for _, t := range tags {
		want[t] = true
	}
	for _, d := range answer.ImageDetails {
		for _, t := range d.ImageTags {
			if want[t] && d.ImagePushedAt != nil {
				out[t] = since2000(*d.ImagePushedAt)
			}
		}
	}
	return nil
}

// notFoundTag returns the tag an ImageNotFoundException names, "" when
// it names none.
func notFoundTag(message string) string {
	_, rest, ok := strings.Cut(message, "imageTag:'")
	if !ok {
		return ""
	}
	tag, _, _ := strings.Cut(rest, "'")
	return tag
}

// newAPI makes the ECR client: the AWS default configuration in the
// registry's region, sending through the client's transport (its host
// rules, bound on requests in flight and log), at registry_api's url when
// given. The SDK's standard retryer retries its throttling and 5xx answers
// (the client's transport retries GETs only), within the read's context.
func (e *ecrReader) newAPI(ctx context.Context) (*ecr.Client, error) {
	var opts []func(*config.LoadOptions) error
	if e.region != "" {
		opts = append(opts, config.WithRegion(e.region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return ecr.NewFromConfig(cfg, func(o *ecr.Options) {
		o.HTTPClient = &http.Client{Transport: e.env.HTTP}
		if e.custom {
			o.BaseEndpoint = aws.String(e.base)
		}
	}), nil
}
