#!/usr/bin/env bash
# Makes sure the browser tests have their browser: Debian's Chromium and its chromedriver, installed once.
set -euo pipefail

if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
	echo "Installing Chromium and chromedriver for the browser tests"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver > /dev/null
fi
chromium --version
chromedriver --version
