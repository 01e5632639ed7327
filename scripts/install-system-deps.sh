#!/bin/sh
# Install the Debian packages Varde needs at run and test time, skipping those already installed.
#   tesseract-ocr + nor/swe/dan/eng language packs: OCR of image ads (varde.media.ocr)
#   fonts-dejavu-core, fonts-liberation: fonts the tests and benchmarks render image ads with
#   fonts-noto-color-emoji: the colour emoji font the workbench serves to browsers (varde/web/routes/assets.py)
#   chromium, chromium-driver: the browser that the web page tests drive
#   libicu-dev, pkg-config: to build PyICU, which followthemoney (network exports) needs
# Idempotent: runs `apt-get update` only when something is missing. Needs root (or sudo) when it installs.
set -eu

PACKAGES="tesseract-ocr tesseract-ocr-nor tesseract-ocr-swe tesseract-ocr-dan tesseract-ocr-eng
fonts-dejavu-core fonts-liberation fonts-noto-color-emoji chromium chromium-driver
libicu-dev pkg-config"

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for pkg in $PACKAGES; do
    if ! installed "$pkg"; then
        missing="$missing $pkg"
    fi
done

if [ -z "$missing" ]; then
    echo "install-system-deps: all system packages present"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: apt-get not found; install these packages by hand:$missing" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-system-deps: not root and no sudo; run as root to install:$missing" >&2
    exit 1
fi

echo "install-system-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086  # word splitting of the package list is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
