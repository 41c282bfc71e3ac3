// Package faults puts a proxy in front of a test registry that answers
// chosen requests the way real registries fail or bend the API: error
// statuses, resets, slow or truncated bodies, rewritten headers, bodies and
// links ([FaultProxy], [Fault]). Each Quirk… and …PageLimit function models
// one registry's behaviour on record and names the public report it comes
// from. [NewSilent] is a server that accepts connections and never answers.
//
// It knows the registries of package registrytest and nothing of the
// provider or of Terraform.
package faults
