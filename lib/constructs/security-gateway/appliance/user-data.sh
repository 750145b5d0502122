#!/bin/bash
# Clover security-gateway appliance bootstrap (Amazon Linux 2023 user data). applianceUserData() fills
# the '@@...@@' values at synth time: the program and its systemd unit (gzip + base64, with SHA-256),
# and the settings. Nothing is downloaded at boot.
set -euo pipefail

program_gzip_base64='@@PROGRAM_GZIP_BASE64@@'
program_sha256='@@PROGRAM_SHA256@@'
unit_gzip_base64='@@UNIT_GZIP_BASE64@@'
unit_sha256='@@UNIT_SHA256@@'
log_group='@@LOG_GROUP_NAME@@'
region='@@REGION@@'
url_suffix='@@URL_SUFFIX@@'
health_check_port='@@HEALTH_CHECK_PORT@@'
protected_ipv6='@@PROTECTED_IPV6@@'

service=clover-gateway
install_dir=/opt/clover-gateway
config_dir=/etc/clover-gateway

# install_embedded <gzip+base64 content> <sha256> <destination>: decode, verify, install read-only.
install_embedded() {
  local staging
  staging="$(mktemp)"
  base64 --decode <<<"$1" | gunzip >"$staging"
  echo "$2  $staging" | sha256sum --check --quiet
  install -o root -g root -m 0644 "$staging" "$3"
  rm -f "$staging"
}

if ! id -u "$service" >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /sbin/nologin "$service"
fi
install -d -o root -g root -m 0755 "$install_dir" "$config_dir"
install_embedded "$program_gzip_base64" "$program_sha256" "$install_dir/geneve_passthrough.py"
install_embedded "$unit_gzip_base64" "$unit_sha256" "/etc/systemd/system/$service.service"
cat >"$config_dir/gateway.env" <<ENVIRONMENT
CLOVER_LOG_GROUP="$log_group"
CLOVER_REGION="$region"
CLOVER_URL_SUFFIX="$url_suffix"
CLOVER_HEALTH_PORT="$health_check_port"
CLOVER_PROTECTED_IPV6="$protected_ipv6"
ENVIRONMENT
chmod 0644 "$config_dir/gateway.env"

systemctl daemon-reload
systemctl enable --now "$service.service"
echo "clover-gateway: started (health on port $health_check_port, flow log to $log_group in $region)"
