# appsnap-guest: inventory-probe/1
# AppSnap deep check, read-only (PowerShell 5): the OS, volumes and the VSS writers'
# state, printed as key=value lines (format: inventory-probe/1). Changes nothing.
$ErrorActionPreference = 'SilentlyContinue'
$os = Get-WmiObject Win32_OperatingSystem
'APPSNAP-PROBE/1'
'os.type=windows'
'os.id=windows'
"os.version=$($os.Version)"
"os.pretty=$($os.Caption)"
"kernel=$($os.Version)"
Get-WmiObject Win32_Volume | Where-Object { $_.DriveLetter } | ForEach-Object {
  "mount=$($_.DriveLetter)\|$($_.FileSystem)|$($_.DeviceID)"
}
# vssadmin is localised; the quoted writer name and the [n] state number are not.
# States 1-5 are normal, 6 and above are VSS_WS_FAILED_AT_*.
$writer = $null
vssadmin list writers | ForEach-Object {
  if ($_ -match "'([^']+)'") { $writer = $Matches[1] }
  elseif ($writer -and $_ -match '\[(\d+)\]') {
    $state = if ([int]$Matches[1] -ge 6) { 'failed' } else { 'stable' }
    "vss_writer=$writer|$state"
    $writer = $null
  }
}
$assist = 'C:\ProgramData\aliyun\assist'
$plugin = Get-ChildItem "$assist\plugin\app-snapshot-plugin" | Select-Object -Last 1
if ($plugin) { "plugin=app-snapshot-plugin|$($plugin.Name)" } else { 'plugin=app-snapshot-plugin|absent' }
'END'
