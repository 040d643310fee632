using BenchmarkDotNet.Attributes;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Bench;

/// <summary>
/// The header probe on every audio file of a folder (SSIS_BENCH_FOLDER, default: the demo library), page cache warm.
/// Run: dotnet run -c Release --project bench -- --filter '*ProbeBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ProbeBenchmarks
{
    private string[] _files = [];
    private readonly AudioProber _prober = new(new FfprobeReader());

    [GlobalSetup]
    public void Setup()
    {
        var folder = Environment.GetEnvironmentVariable("SSIS_BENCH_FOLDER") ?? Path.Combine(FindRepoRoot(), "demo", "library");
        _files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ogg") || f.EndsWith(".mp3") || f.EndsWith(".flac") || f.EndsWith(".wav") || f.EndsWith(".m4a"))
            .ToArray();
        if (_files.Length == 0) throw new InvalidOperationException($"No audio files in {folder}: run ./run.sh demo first.");
    }

    [Benchmark]
    public int ProbeAllHeaders()
    {
        var ok = 0;
        foreach (var file in _files)
            if (_prober.Probe(file).Error is null) ok++;
        return ok;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SSIS.Batch.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
