package provider

import (
	"os"
	"strings"
)

// providerLogEnv is the variable that sets the level of this provider's own
// log: terraform-plugin-go makes its name from TF_LOG_PROVIDER_ and the
// provider type of the address that main.go serves, upper-cased.
const providerLogEnv = "TF_LOG_PROVIDER_REGISTRY"

// QuietUnreadLogs turns this provider's log and the plugin SDK's log off,
// as QuietLogs says, for this process.
func QuietUnreadLogs() error {
	for name, value := range QuietLogs(os.Environ()) {
		if err := os.Setenv(name, value); err != nil {
			return err
		}
	}
	return nil
}

// QuietLogs returns the environment variables, with their values, that turn
// this provider's log and the plugin SDK's log off when nobody reads them,
// and nil when somebody may.
//
// A provider logs at trace level by default and its host decides what to
// keep, but Terraform and OpenTofu keep a provider's log only when TF_LOG or
// TF_LOG_PROVIDER is set
// (https://developer.hashicorp.com/terraform/internals/debugging), or
// TF_TEMP_LOG_PATH, the file in which they keep a trace log for a parent
// process whatever TF_LOG says. Without them, the host still reads every log
// line the provider writes, as JSON, and throws it away: a plan with 48 data
// sources wrote about 4,000 lines, which cost the provider and Terraform
// 0.12 s of CPU between them. With any of those set, or any TF_LOG_SDK* or
// TF_LOG_PROVIDER_* level of the plugin SDK's own
// (https://developer.hashicorp.com/terraform/plugin/log/managing), nothing
// changes. Names are compared in upper case, as Windows reads them.
func QuietLogs(environ []string) map[string]string {
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if value == "" {
			continue
		}
		switch name = strings.ToUpper(name); {
		case name == "TF_LOG", name == "TF_LOG_PROVIDER", name == "TF_TEMP_LOG_PATH",
			strings.HasPrefix(name, "TF_LOG_SDK"), strings.HasPrefix(name, "TF_LOG_PROVIDER_"):
			return nil
		}
	}
	return map[string]string{"TF_LOG_SDK": "off", providerLogEnv: "off"}
}
