import {
  to = registry_pin.nginx
  id = "nginx:1.27.3@sha256:6af79ae5de407283dcea8b00d5c37ace95441fd58a8b1d2aa1ed93f5511bb18c"
}
