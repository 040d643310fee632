# SSIS.Batch on Windows: setup | build | test | demo | bench, like run.sh.
# UNTESTED: this project is built and tested on Debian only. It needs the .NET 10 SDK, Node.js (npm), and ffmpeg
# (ffmpeg.exe / ffprobe.exe on PATH, e.g. `winget install Gyan.FFmpeg`). The demo music comes from a Debian package,
# so `demo` expects folders of .ogg files in $env:SSIS_DEMO_MUSIC (liked, tagged) and $env:SSIS_DEMO_DISLIKED_MUSIC instead.
param([Parameter(Position = 0)][string]$Verb = "", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @())
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$Native = Join-Path $PSScriptRoot "native"
$Cache = Join-Path $PSScriptRoot ".cache"
$SsisDll = Join-Path $PSScriptRoot "jobs/bin/Release/net10.0/ssis.dll"

function Test-Sha256([string]$Path, [string]$Expected) {
    $actual = (Get-FileHash -Algorithm SHA256 $Path).Hash.ToLowerInvariant()
    if ($actual -ne $Expected) { throw "sha256 mismatch for ${Path}: expected $Expected, got $actual" }
}

function Invoke-Setup {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { throw "the .NET 10 SDK is needed (dotnet on PATH)" }
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) { throw "Node.js (npm) is needed to fetch the native libraries" }
    New-Item -ItemType Directory -Force $Native, (Join-Path $Cache "npm") | Out-Null
    foreach ($line in Get-Content native.win32.lock) {
        if ($line -match '^\s*#' -or $line.Trim() -eq "") { continue }
        $package, $version, $tarballSha, $file, $fileSha, $installedAs = -split $line
        $target = Join-Path $Native $installedAs
        if ((Test-Path $target) -and ((Get-FileHash -Algorithm SHA256 $target).Hash.ToLowerInvariant() -eq $fileSha)) { continue }
        Write-Host "[run.ps1] fetching $package@$version from npm"
        Push-Location (Join-Path $Cache "npm")
        $tarball = (npm pack --silent "$package@$version" | Select-Object -Last 1)
        Pop-Location
        $tarballPath = Join-Path $Cache "npm/$tarball"
        Test-Sha256 $tarballPath $tarballSha
        $unpack = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        New-Item -ItemType Directory $unpack | Out-Null
        tar -xzf $tarballPath -C $unpack $file
        Test-Sha256 (Join-Path $unpack $file) $fileSha
        Move-Item -Force (Join-Path $unpack $file) $target
        Remove-Item -Recurse -Force $unpack
    }
    if (-not (Test-Path "tools/parquet-check/node_modules/hyparquet") -or -not (Test-Path "tools/parquet-check/node_modules/apache-arrow")) {
        Push-Location tools/parquet-check; npm ci --silent --no-audit --no-fund; Pop-Location
    }
}

function Invoke-Build { dotnet build SSIS.Batch.sln -c Release -nologo -clp:ErrorsOnly -v quiet; if ($LASTEXITCODE) { exit $LASTEXITCODE } }

switch ($Verb) {
    "setup" { Invoke-Setup }
    "build" { Invoke-Setup; Invoke-Build }
    "test" { Invoke-Setup; Invoke-Build; dotnet test tests/SSIS.Batch.Tests.csproj -c Release --no-build @Rest; exit $LASTEXITCODE }
    "demo" {
        Invoke-Setup; Invoke-Build
        if (-not $env:SSIS_DEMO_MUSIC -or -not $env:SSIS_DEMO_DISLIKED_MUSIC) {
            throw "set SSIS_DEMO_MUSIC (liked) and SSIS_DEMO_DISLIKED_MUSIC (disliked) to folders of .ogg files"
        }
        dotnet $SsisDll demo-library $env:SSIS_DEMO_MUSIC $env:SSIS_DEMO_DISLIKED_MUSIC (Join-Path $PSScriptRoot "demo")
        dotnet $SsisDll run configs/demo.yaml @Rest
    }
    "bench" { Invoke-Setup; Invoke-Build; dotnet $SsisDll bench probe (Join-Path $PSScriptRoot "demo/library") @Rest }
    default { Write-Host "usage: ./run.ps1 setup|build|test|demo|bench [args]"; exit 2 }
}
