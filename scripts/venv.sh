# Sourced by scripts/demo and scripts/test: make ./.venv with the system's python3, on a stock
# Debian or Ubuntu too, where pip and venv are separate packages and `pip install` outside a
# virtual environment is refused (PEP 668). Installs the missing Debian packages with apt-get
# (through sudo when not root), then creates the venv. Nothing is installed outside .venv but
# Debian packages.

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing $* (Debian packages)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_venv() {
  if ! command -v python3 >/dev/null 2>&1; then
    apt_install python3
  fi
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "The brokerage toolkit needs Python 3.11 or newer; this machine has $(python3 --version 2>&1)." >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
    rm -rf .venv
    if ! python3 -m venv .venv >/dev/null 2>&1; then
      rm -rf .venv
      local minor
      minor=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      apt_install python3-venv "python${minor}-venv" || apt_install python3-venv
      python3 -m venv .venv
    fi
  fi
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
}
