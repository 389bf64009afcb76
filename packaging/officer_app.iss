; Inno Setup script for the Windows installer of officer_app.
; Build on Windows 10+ after packaging\build.ps1 has produced dist\officer-app\:
;   iscc /DAppVersion=0.1.0 packaging\officer_app.iss
; The version comes from officer_app.__version__ (build.ps1 passes it).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{7E2F4C1A-9B3D-4E57-A1C2-5D8F0B6E3A94}
AppName=长三角城管执法协作助手
AppVersion={#AppVersion}
AppPublisher=officer_app developers
DefaultDirName={autopf}\officer-app
DefaultGroupName=长三角城管执法协作助手
OutputDir=..\dist
OutputBaseFilename=officer-app-{#AppVersion}-windows-setup
SetupIconFile=..\resources\icons\officer-app.ico
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
PrivilegesRequiredOverridesAllowed=dialog
; The officer's data lives in %LOCALAPPDATA%\officer_app and survives uninstall on purpose.

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\dist\officer-app\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\长三角城管执法协作助手"; Filename: "{app}\officer-app.exe"
Name: "{autodesktop}\长三角城管执法协作助手"; Filename: "{app}\officer-app.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Run]
Filename: "{app}\officer-app.exe"; Description: "{cm:LaunchProgram,长三角城管执法协作助手}"; Flags: nowait postinstall skipifsilent
