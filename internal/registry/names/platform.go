package names

import (
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Platform is an os/arch[/variant] triple, normalised the way containerd
// normalises it so that "linux/aarch64" and "linux/arm64/v8" are one platform.
type Platform struct {
	OS           string
	Architecture string
	// Variant is "" when the user gave none: it then matches any variant.
	Variant string
}

// ParsePlatform parses "os/arch" or "os/arch/variant".
func ParsePlatform(s string) (Platform, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return Platform{}, fmt.Errorf("platform %q is not of the form os/arch or os/arch/variant (for example \"linux/amd64\" or \"linux/arm/v7\")", s)
	}
	for i, p := range parts {
		if p == "" || p != strings.TrimSpace(p) {
			return Platform{}, fmt.Errorf("platform %q has an empty or padded part %d: write it as os/arch or os/arch/variant, such as \"linux/arm64\"", s, i+1)
		}
	}
	p := Platform{OS: strings.ToLower(parts[0]), Architecture: strings.ToLower(parts[1])}
	if len(parts) == 3 {
		p.Variant = strings.ToLower(parts[2])
	}
	return p.normalize(true), nil
}

// String returns "os/arch" or "os/arch/variant".
func (p Platform) String() string {
	if p.Variant == "" {
		return p.OS + "/" + p.Architecture
	}
	return p.OS + "/" + p.Architecture + "/" + p.Variant
}

// normalize applies containerd's architecture and variant aliases. A wanted
// platform (from the user) keeps an empty variant empty, so that it matches
// any; a platform found in a registry gets its default variant filled in.
func (p Platform) normalize(wanted bool) Platform {
	switch p.OS {
	case "macos":
		p.OS = "darwin"
	}
	switch p.Architecture {
	case "i386", "i686", "x86":
		p.Architecture = "386"
	case "x86_64", "x86-64", "amd64":
		p.Architecture = "amd64"
	case "aarch64", "arm64":
		p.Architecture = "arm64"
		switch p.Variant {
		case "8", "v8":
			p.Variant = "v8"
		case "":
			// arm64 means arm64/v8, whether asked for or found.
			p.Variant = "v8"
		}
	case "armhf":
		p.Architecture, p.Variant = "arm", "v7"
	case "armel":
		p.Architecture, p.Variant = "arm", "v6"
	case "arm":
		switch p.Variant {
		case "5", "6", "7", "8":
			p.Variant = "v" + p.Variant
		case "":
			if !wanted {
				p.Variant = "v7"
			}
		}
	}
	return p
}

// Matches reports whether a platform found in an image satisfies the wanted one.
func (p Platform) Matches(found v1.Platform) bool {
	f := Platform{OS: strings.ToLower(found.OS), Architecture: strings.ToLower(found.Architecture), Variant: strings.ToLower(found.Variant)}.normalize(false)
	if f.OS != p.OS || f.Architecture != p.Architecture {
		return false
	}
	return p.Variant == "" || p.Variant == f.Variant
}

// DescribePlatform spells a platform found in an image: "linux/arm/v7", or
// "unknown".
func DescribePlatform(p *v1.Platform) string {
	if p == nil || p.OS == "" {
		return "unknown"
	}
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}
