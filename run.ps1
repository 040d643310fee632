# SSIS.Batch: setup | build | test | demo | bench, the verbs and outputs of run.sh, in PowerShell 7 (Windows, or Linux:
# `dotnet tool install --global PowerShell --version 7.6.9`, then `pwsh ./run.ps1 demo`). Every verb runs setup first;
# setup is idempotent. What differs between the platforms is in the one block under "Platform" below.
param([Parameter(Position = 0)][string]$Verb = "", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @())
$ErrorActionPreference = "Stop"
$PSNativeCommandUseErrorActionPreference = $true
Set-Location $PSScriptRoot
$Root = $PSScriptRoot
$Native = Join-Path $Root "native"
$Cache = Join-Path $Root ".cache"
$Configuration = "Release"
$SsisDll = Join-Path $Root "jobs/bin/$Configuration/net10.0/ssis.dll"

function Write-Log([string]$Message) { [Console]::Error.WriteLine("`e[1m[run.ps1]`e[0m $Message") }

# ---- Platform: the only place where Windows and Linux differ ------------------------------------------------------
if ($IsWindows) {
    # The npm files pinned for Windows; ffmpeg from the user (no package manager to call); the demo music from folders
    # the user names, as the Debian packages run.sh reads are not at hand.
    $NativeLock = "native.win32.lock"
    function Invoke-SystemSetup {
        foreach ($tool in "ffmpeg", "ffprobe") {
            if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "$tool is needed on PATH: winget install Gyan.FFmpeg" }
        }
    }
    function Get-MusicFolder([string]$Kind) {
        $folder = if ($Kind -eq "liked") { $env:SSIS_DEMO_MUSIC } else { $env:SSIS_DEMO_DISLIKED_MUSIC }
        if (-not $folder) { throw "set SSIS_DEMO_MUSIC (liked, tagged .ogg) and SSIS_DEMO_DISLIKED_MUSIC (disliked .ogg) to folders of .ogg files" }
        return $folder
    }
} else {
    # Debian: the packages and the demo audio are run.sh's (one list of each, in run.sh), installed by its setup-system verb.
    $NativeLock = "native.lock"
    function Invoke-SystemSetup { bash (Join-Path $Root "run.sh") setup-system }
    function Get-MusicFolder([string]$Kind) {
        if ($Kind -eq "liked") { return Join-Path $Cache "audio/wesnoth-1.16-music/usr/share/games/wesnoth/1.16/data/core/music" }
        return Join-Path $Cache "audio/planetblupi-music-ogg/usr/share/planetblupi/music"
    }
}
# --------------------------------------------------------------------------------------------------------------------

function Test-Sha256([string]$Path, [string]$Expected) {
    $actual = (Get-FileHash -Algorithm SHA256 $Path).Hash.ToLowerInvariant()
    if ($actual -ne $Expected) { throw "sha256 mismatch for ${Path}: expected $Expected, got $actual" }
}

function Invoke-NativeSetup {
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) { throw "npm is needed to fetch the Silero model (Node.js: https://nodejs.org, or apt-get install npm)" }
    New-Item -ItemType Directory -Force $Native, (Join-Path $Cache "npm") | Out-Null
    foreach ($line in Get-Content $NativeLock) {
        if ($line -match '^\s*#' -or $line.Trim() -eq "") { continue }
        $package, $version, $tarballSha, $file, $fileSha, $installedAs = -split $line
        $target = Join-Path $Native $installedAs
        if ((Test-Path $target) -and ((Get-FileHash -Algorithm SHA256 $target).Hash.ToLowerInvariant() -eq $fileSha)) { continue }
        Write-Log "fetching $package@$version from npm"
        Push-Location (Join-Path $Cache "npm")
        try { $tarball = (npm pack --silent "$package@$version" | Select-Object -Last 1) } finally { Pop-Location }
        $tarballPath = Join-Path $Cache "npm/$tarball"
        Test-Sha256 $tarballPath $tarballSha
        $unpack = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        New-Item -ItemType Directory $unpack | Out-Null
        tar -xzf $tarballPath -C $unpack $file
        Test-Sha256 (Join-Path $unpack $file) $fileSha
        Move-Item -Force (Join-Path $unpack $file) "$target.tmp"
        Move-Item -Force "$target.tmp" $target
        Remove-Item -Recurse -Force $unpack
    }
}

function Invoke-ToolsSetup {
    if (-not (Test-Path "tools/parquet-check/node_modules/hyparquet") -or -not (Test-Path "tools/parquet-check/node_modules/apache-arrow")) {
        Write-Log "installing the independent Parquet and Arrow readers (hyparquet, apache-arrow) for the tests"
        Push-Location tools/parquet-check
        try { npm ci --silent --no-audit --no-fund } finally { Pop-Location }
    }
}

function Invoke-Setup {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { throw "the .NET 10 SDK is needed: https://dotnet.microsoft.com/download (dotnet on PATH)" }
    Invoke-SystemSetup
    Invoke-NativeSetup
    Invoke-ToolsSetup
}

function Invoke-Build {
    Write-Log "building ($Configuration)"
    dotnet build SSIS.Batch.sln -c $Configuration -nologo -clp:ErrorsOnly -v quiet
}

function Invoke-Ssis { dotnet $SsisDll @args }

function Invoke-Tests([string[]]$Arguments) {
    Write-Log "running tests"
    $results = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
    $PSNativeCommandUseErrorActionPreference = $false
    dotnet test tests/SSIS.Batch.Tests.csproj -c $Configuration --no-build -nologo --logger "console;verbosity=normal" `
        --logger "trx;LogFileName=results.trx" --results-directory $results @Arguments
    $status = $LASTEXITCODE
    $trx = Join-Path $results "results.trx"
    if (Test-Path $trx) {
        $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
        Write-Output "tests: $($counters.passed) passed, $($counters.failed) failed, $($counters.notExecuted) skipped"
    }
    exit $status
}

function Invoke-Demo([string[]]$Arguments) {
    $liked = Get-MusicFolder "liked"
    $disliked = Get-MusicFolder "disliked"
    Write-Log "building the demo library from $liked (liked) and $disliked (disliked)"
    Invoke-Ssis demo-library $liked $disliked (Join-Path $Root "demo")
    Write-Log "running configs/demo.yaml"
    Invoke-Ssis run configs/demo.yaml @Arguments
}

# A bench library of real music in the codecs people keep: each demo track as Ogg Vorbis (as shipped), MP3 and FLAC.
function Get-BenchLibrary {
    $library = Join-Path $Cache "bench-library"
    if (-not (Test-Path (Join-Path $library ".done"))) {
        Write-Log "building the bench library (MP3 and FLAC transcodes of the demo music, once)"
        New-Item -ItemType Directory -Force $library | Out-Null
        Get-ChildItem (Get-MusicFolder "liked") -Filter *.ogg | ForEach-Object -ThrottleLimit ([Environment]::ProcessorCount) -Parallel {
            $target = Join-Path $using:library $_.Name
            if (-not (Test-Path $target)) { Copy-Item $_.FullName $target }
            ffmpeg -v error -y -i $_.FullName -c:a libmp3lame -b:a 256k (Join-Path $using:library "$($_.BaseName).mp3")
            ffmpeg -v error -y -i $_.FullName -c:a flac (Join-Path $using:library "$($_.BaseName).flac")
        }
        New-Item -ItemType File -Force (Join-Path $library ".done") | Out-Null
    }
    return $library
}

function Invoke-Bench([string[]]$Arguments) {
    $library = Get-BenchLibrary
    Invoke-Ssis bench probe $library @Arguments
    Invoke-Ssis bench fingerprint $library @Arguments
    Invoke-Ssis bench analyze $library @Arguments
    Invoke-Ssis bench write
}

try {
    switch ($Verb) {
        "setup" { Invoke-Setup }
        "build" { Invoke-Setup; Invoke-Build }
        "test" { Invoke-Setup; Invoke-Build; Invoke-Tests $Rest }
        "demo" { Invoke-Setup; Invoke-Build; Invoke-Demo $Rest }
        "bench" { Invoke-Setup; Invoke-Build; Invoke-Bench $Rest }
        default { Write-Output "usage: ./run.ps1 setup|build|test|demo|bench [args]"; exit 2 }
    }
} catch {
    # As run.sh: one line naming what failed; a failed command's own exit code when it had one.
    [Console]::Error.WriteLine("[run.ps1] error: $($_.Exception.Message)")
    exit $(if ($LASTEXITCODE) { $LASTEXITCODE } else { 1 })
}
