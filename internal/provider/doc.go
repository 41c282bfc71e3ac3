// Package provider is the Terraform layer of the registry provider: the
// provider's schema and configuration, the registry_latest_tag and
// registry_image_digest data sources, their validation and diagnostics. The
// work itself is done by the registry and tagfilter packages.
package provider
