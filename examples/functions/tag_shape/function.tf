# "#.#.#-alpine#.#": registry_latest_tag follows this shape when current = "1.27.3-alpine3.21".
output "shape" {
  value = provider::registry::tag_shape("1.27.3-alpine3.21")
}
