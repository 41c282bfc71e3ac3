# Was .env: IMAGE_<KEY>_NAME, IMAGE_<KEY>_REGISTRY, IMAGE_<KEY>_VERSION.
images = {
  powerwall = {
    registry = "ghcr.io"
    name     = "quotidian-ennui/tesla-powerwall-exporter"
    version  = "1.4.2"
  }
  pihole = {
    registry = "docker.io"
    name     = "pihole/pihole"
    version  = "2022.12"
  }
  duplicati = {
    registry = "docker.io"
    name     = "linuxserver/duplicati"
    version  = "2.0.6"
    # Only plain three-part versions, as the script's regular expression did.
    filter = "regex('\\d+\\.\\d+\\.\\d+')"
  }
  imagepullsecret_patcher = {
    registry = "quay.io"
    name     = "titansoft/imagepullsecret-patcher"
    version  = "v0.14"
  }
  speedtest_exporter = {
    registry = "ghcr.io"
    name     = "miguelndecarvalho/speedtest-exporter"
    version  = "v3.5.3"
  }
}
