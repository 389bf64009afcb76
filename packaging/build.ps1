# Build the Windows one-folder bundle and installer (Windows 10+, Python 3.11+, Inno Setup 6).
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path .venv\Scripts\python.exe)) { py -3 -m venv .venv }
.venv\Scripts\python -m pip install -q -e . "pyinstaller>=6.0"
$version = .venv\Scripts\python -c "import officer_app; print(officer_app.__version__)"
.venv\Scripts\pyside6-lrelease resources\i18n\officer_app_en.ts -qm resources\i18n\officer_app_en.qm
.venv\Scripts\python -m PyInstaller --noconfirm --clean --workpath build\pyinstaller --distpath dist packaging\officer_app.spec
& "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" "/DAppVersion=$version" packaging\officer_app.iss
Write-Host "built dist\officer-app-$version-windows-setup.exe"
