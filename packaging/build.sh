#!/usr/bin/env bash
# Build the Linux one-folder bundle and its tar.gz: dist/officer-app-<version>-linux-x86_64.tar.gz
# Needs the project installed in .venv (tools/test.sh or tools/launch.sh does that).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
"$PY" -m pip install -q "pyinstaller>=6.0"
version=$("$PY" -c "import officer_app; print(officer_app.__version__)")
rm -rf build/pyinstaller dist/officer-app
# The bundle ships compiled translations only; the .qm files are build output (git-ignored).
bash tools/compile-translations.sh
"$PY" -m PyInstaller --noconfirm --clean --workpath build/pyinstaller --distpath dist \
  packaging/officer_app.spec
cp packaging/officer-app.desktop dist/officer-app/
cp packaging/install-linux.sh dist/officer-app/
tarball="dist/officer-app-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$tarball" officer-app
echo "built $tarball ($(du -h "$tarball" | cut -f1))"
